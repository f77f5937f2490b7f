#!/usr/bin/env python3
"""Writes a docker-archive image (the format of `docker save`) from directories, one layer each.

Used by build-base-image.sh. The format is what Jib accepts as a local base (`tar:///path`) and what
`ctr images import` and `docker load` read: manifest.json, the image config and gzipped layer tars.
Every entry gets mtime 0 and owner root (except paths given with --chown), in sorted order, so the
same inputs give the same bytes.

usage: docker_archive.py --out FILE --tag REF [--env K=V]... [--label K=V]... [--user U]
                         [--workdir DIR] [--chown PATH=UID:GID]... --layer NAME=DIR...
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile

EPOCH = "1970-01-01T00:00:00Z"


def pair(text):
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def layer_tar(root, out, chown):
    """Tars ROOT's content (paths relative to /) into OUT; returns the sha256 of the tar."""
    digest = hashlib.sha256()

    class Hashing(io.RawIOBase):
        def writable(self):
            return True

        def write(self, b):
            digest.update(b)
            out.write(b)
            return len(b)

    with tarfile.open(fileobj=Hashing(), mode="w|", format=tarfile.GNU_FORMAT) as tar:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, root)
            names = [] if rel_dir == "." else [rel_dir]
            names += [os.path.normpath(os.path.join(rel_dir, f)) for f in sorted(filenames)]
            # Symlinks to directories are listed in dirnames but not descended into: add them as links.
            names += [
                os.path.normpath(os.path.join(rel_dir, d))
                for d in dirnames
                if os.path.islink(os.path.join(dirpath, d))
            ]
            for name in names:
                path = os.path.join(root, name)
                info = tar.gettarinfo(path, arcname=name)  # tracks hard links itself
                info.mtime = 0
                info.uid, info.gid = chown.get("/" + name, (0, 0))
                info.uname = info.gname = ""
                if info.isreg():
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
                else:
                    tar.addfile(info)
    return "sha256:" + digest.hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--tag", required=True)
    p.add_argument("--env", type=pair, action="append", default=[])
    p.add_argument("--label", type=pair, action="append", default=[])
    p.add_argument("--user", default="")
    p.add_argument("--workdir", default="/")
    p.add_argument("--chown", type=pair, action="append", default=[])
    p.add_argument("--layer", type=pair, action="append", required=True)
    args = p.parse_args()

    chown = {}
    for path, owner in args.chown:
        uid, _, gid = owner.partition(":")
        chown[path] = (int(uid), int(gid or uid))

    work = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(args.out)))
    try:
        diff_ids, blobs, history = [], [], []
        for name, directory in args.layer:
            raw = os.path.join(work, "layer.tar")
            with open(raw, "wb") as f:
                diff_id = layer_tar(directory, f, chown)
            blob = os.path.join(work, diff_id.split(":")[1] + ".tar.gz")
            with open(raw, "rb") as src, open(blob, "wb") as dst:
                with gzip.GzipFile(filename="", mode="wb", fileobj=dst, mtime=0, compresslevel=6) as gz:
                    shutil.copyfileobj(src, gz, 1 << 20)
            os.remove(raw)
            diff_ids.append(diff_id)
            blobs.append(blob)
            history.append({"created": EPOCH, "created_by": f"build-base-image.sh: {name}"})

        config = {
            "architecture": "amd64",
            "os": "linux",
            "created": EPOCH,
            "config": {
                "User": args.user,
                "Env": [f"{k}={v}" for k, v in args.env],
                "WorkingDir": args.workdir,
                "Labels": dict(args.label),
            },
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }
        config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
        config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
        layer_names = [os.path.basename(b) for b in blobs]
        manifest = [{"Config": config_name, "RepoTags": [args.tag], "Layers": layer_names}]
        manifest_bytes = json.dumps(manifest, separators=(",", ":")).encode()

        tmp_out = os.path.join(work, "image.tar")
        with tarfile.open(tmp_out, "w", format=tarfile.GNU_FORMAT) as tar:

            def add_bytes(name, data):
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(data), 0, 0o644
                tar.addfile(info, io.BytesIO(data))

            add_bytes(config_name, config_bytes)
            for blob in blobs:
                info = tar.gettarinfo(blob, arcname=os.path.basename(blob))
                info.mtime, info.uid, info.gid, info.uname, info.gname, info.mode = 0, 0, 0, "", "", 0o644
                with open(blob, "rb") as f:
                    tar.addfile(info, f)
            add_bytes("manifest.json", manifest_bytes)
        os.replace(tmp_out, args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
