#!/usr/bin/env bash
# Prepares what a real Kubernetes node needs beyond the Go binaries of ensure-kube-binaries.sh: containerd,
# runc, the CNI plugins, iptables and conntrack from Debian packages, and the pod sandbox ("pause") image built
# from Kubernetes' own pause.c as an image archive containerd can import. Prints the directory holding
# pause.tar as the last stdout line (everything else goes to stderr).
#
# Needs root (packages, and the node itself runs as root); says so and fails otherwise. Idempotent: installed
# packages and a built archive are reused; the archive is written to a temp file and renamed into place.
#
# Overrides: VIGIL_K8S_VERSION (default v1.34.4: pause.c is taken from that module), VIGIL_CACHE_DIR.
set -euo pipefail

K8S_VERSION="${VIGIL_K8S_VERSION:-v1.34.4}"
cache="${VIGIL_CACHE_DIR:-$HOME/.cache/vigil}"
dir="$cache/node/$K8S_VERSION"
log() { echo "ensure-node-parts: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "a Kubernetes node needs root (containerd, runc, network namespaces, cgroups); run as root"

# Debian package -> a command it provides (what we check for).
declare -A PACKAGES=(
  [containerd]=containerd [runc]=runc [containernetworking-plugins]=/usr/lib/cni/bridge
  [iptables]=iptables [conntrack]=conntrack [gcc]=gcc [libc6-dev]=/usr/lib/x86_64-linux-gnu/libc.a
)
missing=()
for pkg in "${!PACKAGES[@]}"; do
  what="${PACKAGES[$pkg]}"
  if [[ "$what" == /* ]]; then [ -e "$what" ] || missing+=("$pkg"); else command -v "$what" >/dev/null || missing+=("$pkg"); fi
done
mkdir -p "$cache/node"
exec 9>"$cache/node/.lock"
flock 9
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } ||
    die "could not install ${missing[*]} from Debian's packages"
fi

# The pause image: upstream builds pause.c statically with -Os and runs it as 65535 (build/pause/Makefile,
# Dockerfile); its tag is the one kubelet $K8S_VERSION expects as sandbox image.
if [ -s "$dir/pause.tar" ] && [ -s "$dir/pause.ref" ]; then echo "$dir"; exit 0; fi
src="$(go env GOMODCACHE)/k8s.io/kubernetes@$K8S_VERSION/build/pause"
[ -f "$src/linux/pause.c" ] || (cd /tmp && GOFLAGS=-mod=mod go mod download "k8s.io/kubernetes@$K8S_VERSION" >&2) ||
  die "cannot fetch k8s.io/kubernetes@$K8S_VERSION for pause.c"
tag="$(sed -n 's/^TAG ?= *//p' "$src/Makefile")"
[ -n "$tag" ] || die "no TAG in $src/Makefile"
ref="registry.k8s.io/pause:$tag"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs" "$work/image"
gcc -Os -Wall -Werror -static -DVERSION="v$tag-vigil" -o "$work/rootfs/pause" "$src/linux/pause.c"
strip "$work/rootfs/pause"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/rootfs" -cf "$work/image/layer.tar" pause
layer_sha="$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)"
cat >"$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","config":{"User":"65535:65535","Entrypoint":["/pause"]},"rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]}}
EOF
config_sha="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mv "$work/config.json" "$work/image/$config_sha.json"
# docker-archive layout (what `docker save` writes and `ctr images import` reads).
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]\n' "$config_sha" "$ref" >"$work/image/manifest.json"
mkdir -p "$dir"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/image" -cf "$work/pause.tar" .
mv "$work/pause.tar" "$dir/pause.tar"
echo "$ref" >"$dir/pause.ref"
log "pause image $ref built into $dir/pause.tar"
echo "$dir"
