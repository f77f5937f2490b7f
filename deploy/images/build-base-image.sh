#!/usr/bin/env bash
# Builds the base image of Vigil's container images (operator, ingester) from Debian packages and the
# local JDK, without a container engine or a registry; prints the image archive's path as the last
# stdout line (progress goes to stderr).
#
# What the image holds: a jlinked Java runtime (/opt/java, only the modules the apps use) on a glibc
# root filesystem unpacked from Debian's packages (libc6, libgcc-s1, libstdc++6, zlib1g; the CA
# bundle of ca-certificates, also as Java's trust store; os-release from base-files), /etc/passwd and
# /etc/group with the non-root user "nonroot" (65532:65532), which is the image's user. No shell,
# no package manager. Written as a docker-archive tarball with gzipped layers: Jib takes it as a
# local base (tar:///path; Jib reads no OCI archive there), `ctr images import` and `docker load`
# read it too.
#
# Cached under ${VIGIL_CACHE_DIR:-~/.cache/vigil}/images/ as vigil-base-<key>.tar, where the key
# hashes every input: this script and its helpers, the module list, the JDK's release file and the
# exact Debian package versions apt would download. A change to any of them builds a new archive;
# otherwise the cached one is printed at once. A flock keeps concurrent callers from building twice;
# the archive appears only complete (rename).
#
# Options: --link PATH  also point PATH (a symlink) at the archive, for builds that need a fixed name.
# Environment: VIGIL_IMAGE_JDK (a JDK 17+ home with jmods/; default: the JDK of `javac` on PATH,
# or JAVA_HOME), VIGIL_CACHE_DIR.
# Needs: apt-get and dpkg-deb (Debian/Ubuntu), python3, a JDK with jmods. Runs as any user; when the
# apt package lists are missing or stale, root runs `apt-get update` once, others are told to.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${VIGIL_CACHE_DIR:-$HOME/.cache/vigil}/images"
link=""
while [ $# -gt 0 ]; do
  case "$1" in
    --link) link="$2"; shift 2 ;;
    *) echo "usage: $0 [--link PATH]" >&2; exit 2 ;;
  esac
done

PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g ca-certificates base-files)
# From jdeps over both apps' quarkus-app (java.rmi: jakarta.transaction; java.sql: Jackson, Micrometer)
# plus what is loaded by name: jdk.crypto.ec (TLS with EC keys: AWS, most OpenSearch endpoints),
# jdk.naming.dns, jdk.zipfs. Left out although jdeps lists them: java.desktop (java.beans, which
# Jackson and jakarta.el use only when present; 7 MB compressed), jdk.compiler (Vert.x codegen).
MODULES=java.base,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
USER_ID=65532

work=""
log() { echo "build-base-image: $*" >&2; }
die() { log "ERROR: $*"; died=1; exit 1; }
on_exit() {
  local rc=$?
  [ "$rc" -eq 0 ] || [ -n "${died:-}" ] || log "ERROR: failed (exit $rc) running: $BASH_COMMAND"
  [ -z "$work" ] || rm -rf "$work"
}
trap on_exit EXIT
trap 'log "interrupted; nothing was written"; died=1; exit 130' INT
trap 'log "terminated; nothing was written"; died=1; exit 143' TERM

for tool in apt-get apt-cache dpkg-deb python3 sha256sum flock; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH (the base image is assembled from Debian packages)"
done

jdk="${VIGIL_IMAGE_JDK:-}"
if [ -z "$jdk" ] && command -v javac >/dev/null; then jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"; fi
[ -n "$jdk" ] || jdk="${JAVA_HOME:-}"
[ -f "$jdk/jmods/java.base.jmod" ] && [ -x "$jdk/bin/jlink" ] ||
  die "no JDK with jmods found (looked at '${jdk:-nothing}'); set VIGIL_IMAGE_JDK to a JDK 17+ home"

# The candidate version and checksum of each package, as `apt-get download` would fetch them.
package_versions() { apt-cache show --no-all-versions "${PACKAGES[@]}" 2>/dev/null | grep -E '^(Package|Version|SHA256):' || true; }
versions="$(package_versions)"
if [ "$(grep -c '^Package:' <<<"$versions")" -ne "${#PACKAGES[@]}" ]; then
  [ "$(id -u)" -eq 0 ] || die "apt knows none or only some of: ${PACKAGES[*]} — run 'apt-get update' (as root) first"
  log "apt package lists missing; running apt-get update…"
  apt-get update -qq >&2
  versions="$(package_versions)"
fi

key="$(
  {
    cat "$0" "$here/docker_archive.py" "$here/TrustStore.java"
    echo "$MODULES"
    command -v objcopy || true
    cat "$jdk/release"
    echo "$versions"
  } | sha256sum | cut -c1-16
)"
archive="$cache/vigil-base-$key.tar"

finish() {
  if [ -n "$link" ]; then
    mkdir -p "$(dirname "$link")"
    ln -sfn "$archive" "$link"
  fi
  echo "$archive"
  exit 0
}
# Fast path without the lock: the archive only ever appears complete.
[ -f "$archive" ] && finish

mkdir -p "$cache"
exec 9>"$cache/.lock"
if ! flock -n 9; then
  log "another process is building the base image; waiting for it…"
  flock 9
fi
[ -f "$archive" ] && finish

rm -rf "$cache"/.build-*
work="$(mktemp -d "$cache/.build-XXXXXX")"
t0=$SECONDS
log "building base image $key (Debian packages + jlinked $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$jdk/release"); about 20 s)…"

# --- Debian packages -------------------------------------------------------------------------
mkdir -p "$work/debs" "$work/os"
if ! (cd "$work/debs" && apt-get download -qq -o APT::Sandbox::User=root "${PACKAGES[@]}") >&2 9>&-; then
  [ "$(id -u)" -eq 0 ] && [ -z "${VIGIL_BASE_IMAGE_RETRY:-}" ] ||
    die "apt-get download ${PACKAGES[*]} failed — the package lists may be stale: run 'apt-get update' (as root)"
  # Stale lists name versions the mirror no longer has. Fresh lists may name other versions, so the key
  # changes: start over (once) rather than build under the old key.
  log "download failed; refreshing the package lists and starting over…"
  apt-get update -qq >&2
  rm -rf "$work"; work=""
  flock -u 9; exec 9>&-
  VIGIL_BASE_IMAGE_RETRY=1 exec bash "$0" ${link:+--link "$link"}
fi
mkdir -p "$work/os/var/lib/dpkg/status.d"
for deb in "$work"/debs/*.deb; do
  name="$(dpkg-deb -f "$deb" Package)"
  if [ "$name" = base-files ]; then
    # Only what identifies the distribution (scanners read os-release and the dpkg status below).
    dpkg-deb -x "$deb" "$work/base-files"
    mkdir -p "$work/os/etc" "$work/os/usr/lib"
    cp "$work/base-files/usr/lib/os-release" "$work/os/usr/lib/os-release"
    ln -s ../usr/lib/os-release "$work/os/etc/os-release"
    cp "$work/base-files/etc/debian_version" "$work/os/etc/debian_version"
  else
    dpkg-deb -x "$deb" "$work/os"
  fi
  { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } >"$work/os/var/lib/dpkg/status.d/$name"
done
# No programs: libc6's tools (ldd, iconv, locale, …), ca-certificates' update script, docs.
rm -rf "$work/os"/{bin,sbin,usr/bin,usr/sbin,usr/libexec} "$work/os/usr/share"/{doc,doc-base,lintian,man,info,locale,bug,gcc,gdb} \
  "$work/os/usr/lib/x86_64-linux-gnu/gconv" "$work/os/etc/ca-certificates.conf"
# update-ca-certificates' bundle, made the same way (its postinst does not run here).
mkdir -p "$work/os/etc/ssl/certs"
find "$work/os/usr/share/ca-certificates" -name '*.crt' | LC_ALL=C sort | xargs cat >"$work/os/etc/ssl/certs/ca-certificates.crt"
cat >"$work/os/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:$USER_ID:$USER_ID:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$work/os/etc/group" <<EOF
root:x:0:
nonroot:x:$USER_ID:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$work/os/etc/nsswitch.conf"
mkdir -p "$work/os/tmp" "$work/os/home/nonroot" "$work/os/root"
chmod 1777 "$work/os/tmp"
chmod 700 "$work/os/home/nonroot" "$work/os/root"
# --- Java runtime ----------------------------------------------------------------------------
mkdir -p "$work/java/opt"
"$jdk/bin/jlink" --add-modules "$MODULES" --output "$work/java/opt/java" \
  --strip-debug --no-header-files --no-man-pages --compress=0 >&2
# Uncompressed modules gzip better in the layer than jlink's own compression (19 MB against 27 MB).
# libjvm.so ships its symbol table: 4 MB, of no use without a debugger.
if command -v objcopy >/dev/null; then objcopy --strip-unneeded "$work/java/opt/java/lib/server/libjvm.so"; fi
rm -f "$work/java/opt/java/bin/keytool" "$work/java/opt/java/bin/rmiregistry" "$work/java/opt/java/bin/jfr"
"$jdk/bin/java" "$here/TrustStore.java" "$work/os/etc/ssl/certs/ca-certificates.crt" \
  "$work/java/opt/java/lib/security/cacerts" >&2
chmod -R a+rX "$work/os" "$work/java"

# --- archive ---------------------------------------------------------------------------------
java_version="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk/release")"
python3 "$here/docker_archive.py" --out "$work/base.tar" --tag "vigil-base:$key" \
  --user "$USER_ID:$USER_ID" --workdir / \
  --env PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin --env JAVA_HOME=/opt/java --env LANG=C.UTF-8 \
  --label "dev.vigil.base.key=$key" --label "dev.vigil.base.java=$java_version" \
  --label "dev.vigil.base.debian-packages=$(grep -E '^(Package|Version):' <<<"$versions" | paste -sd' ' | sed 's/Package: //g; s/ Version: /=/g')" \
  --chown "/home/nonroot=$USER_ID:$USER_ID" \
  --layer "debian packages=$work/os" --layer "java runtime=$work/java"
mv "$work/base.tar" "$archive"
log "base image ready: $archive ($(du -k "$archive" | cut -f1) KiB, built in $((SECONDS - t0)) s)"
finish
