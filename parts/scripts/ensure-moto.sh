#!/usr/bin/env bash
# Prepares moto's server (the AWS emulator) in a venv under the cache; prints the venv's path as the last line.
# Idempotent: a complete venv with the pinned version is reused; an interrupted install is redone.
set -euo pipefail

MOTO_VERSION="${VIGIL_MOTO_VERSION:-5.2.5}"
cache="${VIGIL_CACHE_DIR:-$HOME/.cache/vigil}"
venv="$cache/moto-$MOTO_VERSION"
mkdir -p "$cache"

exec 9>"$cache/moto.lock"
flock 9

# A venv's scripts carry its absolute path, so it is built in place and marked complete only at the end.
if [ -f "$venv/.complete" ] && [ -x "$venv/bin/moto_server" ]; then
  echo "$venv"
  exit 0
fi

echo "installing moto[server]==$MOTO_VERSION into $venv (first time only, about a minute)…" >&2
rm -rf "$venv"
python3 -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
"$venv/bin/python" -c "import moto, flask" >&2
touch "$venv/.complete"
echo "moto $MOTO_VERSION ready" >&2
echo "$venv"
