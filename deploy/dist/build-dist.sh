#!/usr/bin/env bash
# The CLI as a release artifact that needs no source build: dist/vigil-<version>.tar.gz with
#   bin/vigil            the launcher (the repository's own bin/vigil: it finds lib/vigil.jar)
#   lib/vigil.jar        the runnable jar (cli/target/vigil.jar, built by `make dist`)
#   crds/                the CRDs `vigil validate` checks manifests against
#   completion/vigil.bash  bash completion (`source` it, or copy to /etc/bash_completion.d/vigil)
# Needs Java 17+ to run. `vigil demo` is not in it: the demo needs the repository's images and parts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/cli/target/vigil.jar"
out="${1:-$root/dist}"
[ -f "$jar" ] || { echo "build-dist: $jar missing (run: make dist)" >&2; exit 1; }
version="$(java -jar "$jar" --version | awk '{print $NF}')"
name="vigil-$version"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/bin" "$stage/$name/lib" "$stage/$name/completion"
cp "$root/bin/vigil" "$stage/$name/bin/vigil"
cp "$jar" "$stage/$name/lib/vigil.jar"
cp -r "$root/crds" "$stage/$name/crds"
java -jar "$jar" generate-completion > "$stage/$name/completion/vigil.bash"
cp "$root/LICENSE" "$stage/$name/" 2>/dev/null || true
mkdir -p "$out"
# Reproducible: fixed owner, order and times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' \
  -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
