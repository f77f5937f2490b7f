#!/usr/bin/env bash
# Builds real Kubernetes binaries and etcd from Go modules into the cache; prints the directory holding
# them as the last stdout line (everything else goes to stderr): the control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler), the node (kubelet, kube-proxy) and kubectl.
#
# Why from Go modules: the machine has Go and the Go module proxy but no other route to release
# binaries, and all of these are plain Go programs that build with CGO_ENABLED=0 (as upstream releases them).
#
# Idempotent: a bin dir whose binaries both run is reused as is. Builds happen in a temp dir next to
# the target and the whole version dir is renamed into place, so an interrupted build leaves nothing
# that looks usable. A flock keeps concurrent callers from building twice.
#
# Overrides: VIGIL_K8S_VERSION (default v1.34.4), VIGIL_ETCD_VERSION (default v3.6.16),
# VIGIL_CACHE_DIR (default ~/.cache/vigil).
set -euo pipefail

K8S_VERSION="${VIGIL_K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${VIGIL_ETCD_VERSION:-v3.6.16}"
cache="${VIGIL_CACHE_DIR:-$HOME/.cache/vigil}"
root="$cache/kube"
dir="$root/$K8S_VERSION-etcd-$ETCD_VERSION"

work=""
log() { echo "ensure-kube-binaries: $*" >&2; }
die() { log "ERROR: $*"; died=1; exit 1; }
# Reports commands that fail without a die() message and always removes the temp build dir;
# INT/TERM are turned into exits so that this cleanup also runs when a caller gives up on us.
on_exit() {
  local rc=$?
  [ "$rc" -eq 0 ] || [ -n "${died:-}" ] || log "ERROR: failed (exit $rc) running: $BASH_COMMAND"
  [ -z "$work" ] || rm -rf "$work"
}
trap on_exit EXIT
trap 'log "interrupted; nothing was installed"; died=1; exit 130' INT
trap 'log "terminated; nothing was installed"; died=1; exit 143' TERM

# "Runs" means --version succeeds and reports the version we asked for; the dir name already pins
# the versions, so this mainly catches truncated or foreign-arch files.
KUBE_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)
usable() {
  local bin="$1/bin" out cmd
  [ -x "$bin/etcd" ] && [ -x "$bin/kubectl" ] || return 1
  for cmd in "${KUBE_COMMANDS[@]}"; do
    out="$("$bin/$cmd" --version 2>/dev/null)" && [ "$out" = "Kubernetes $K8S_VERSION" ] || return 1
  done
  out="$("$bin/etcd" --version 2>/dev/null)" && [[ "$out" == "etcd Version: ${ETCD_VERSION#v}"$'\n'* ]] || return 1
  out="$("$bin/kubectl" version --client 2>/dev/null)" && [[ "$out" == *"$K8S_VERSION"* ]] || return 1
}

# Fast path without the lock: the dir only ever appears complete (rename), so reading it is safe.
if usable "$dir"; then echo "$dir"; exit 0; fi

command -v go >/dev/null || die "go is not on PATH (needed to build Kubernetes and etcd)"
mkdir -p "$root"
exec 9>"$root/.lock"
if ! flock -n 9; then
  log "another process is building the kube binaries; waiting for it…"
  flock 9
fi
if usable "$dir"; then echo "$dir"; exit 0; fi

# Whoever held the lock before us and left a .build-* dir behind was killed mid-build.
rm -rf "$root"/.build-*
work="$(mktemp -d "$root/.build-XXXXXX")"   # same filesystem as $dir, so the final mv is a rename
golog="$work/go.log"

# Go's own chatter ("go: downloading …", hundreds of lines) goes to a log that is shown only on failure.
# The lock fd is closed for Go so that a build orphaned by a killed caller cannot hold the lock.
# Usage: run_go DIR go ARGS…
run_go() {
  local d="$1"; shift
  if ! (cd "$d" && "$@") >>"$golog" 2>&1 9>&-; then
    log "command failed in $d: $*"
    tail -n 60 "$golog" >&2
    die "Go build step failed (see output above)"
  fi
}

# Keep whatever GOFLAGS the environment has (here -buildvcs=false) and let the go command write the
# throwaway modules' go.mod/go.sum.
GOFLAGS="$(go env GOFLAGS) -mod=mod"
export GOFLAGS CGO_ENABLED=0

# Downloads MODULE@VERSION and prints one field (GoMod, Info, …) of `go mod download -json`.
mod_field() {
  local json
  if ! json="$(cd "$work" && go mod download -json "$1" 2>&1)"; then
    echo "$json" >&2
    return 1
  fi
  sed -n "s/^[[:space:]]*\"$2\": \"\(.*\)\",*\$/\1/p" <<<"$json"
}

mkdir -p "$work/out/bin"
t_all=$SECONDS

# --- Kubernetes --------------------------------------------------------------------------------
# k8s.io/kubernetes requires its staging repos (k8s.io/api, apiserver, …) at v0.0.0 and replaces
# them with ./staging/… paths; a dependency's replace directives are ignored, so the throwaway main
# module maps each of them to the published staging tag v0.<minor>.<patch> itself.
build_kubernetes() {
  local src="$work/src/kube" gomod info staging major minor build_date ver_ld="" pkg
  case "$K8S_VERSION" in v1.*.*) ;; *) die "VIGIL_K8S_VERSION must look like v1.X.Y, got $K8S_VERSION";; esac
  log "building Kubernetes $K8S_VERSION from Go modules (first time only, takes several minutes)…"
  staging="v0.${K8S_VERSION#v1.}"
  gomod="$(mod_field "k8s.io/kubernetes@$K8S_VERSION" GoMod)" && [ -f "$gomod" ] ||
    die "k8s.io/kubernetes@$K8S_VERSION is not available from the module proxy"

  mkdir -p "$src"
  {
    echo "module vigil.local/kubernetes-build"
    # Upstream's go/godebug lines: the main module's go line sets the binary's GODEBUG defaults.
    grep -E '^(go|godebug) ' "$gomod"
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo "replace ("
    awk -v v="$staging" '/^require[[:space:]]*\(/ {r = 1; next} r && /^\)/ {r = 0}
      r && $1 ~ /^k8s\.io\// && $2 == "v0.0.0" {printf "\t%s => %s %s\n", $1, $1, v}' "$gomod"
    echo ")"
  } >"$src/go.mod"
  grep -q '=> k8s.io/apiserver ' "$src/go.mod" ||
    die "found no v0.0.0 staging requirements in the go.mod of k8s.io/kubernetes@$K8S_VERSION"
  # A blank import behind a build tag is what makes `go mod tidy` resolve the command's packages.
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for cmd in "${KUBE_COMMANDS[@]}" kubectl; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$cmd"; done
    printf ')\n'
  } >"$src/tools.go"
  log "resolving modules (k8s.io staging modules pinned to $staging)…"
  run_go "$src" go mod tidy

  # Without these, --version and /version report "v0.0.0-master+$Format:%H$" rather than the
  # release, which clients reading /version would see; hack/lib/version.sh sets the same variables. buildDate is the tag's time on the
  # proxy, so rebuilding the same version gives the same binary.
  major="${K8S_VERSION#v}"; major="${major%%.*}"
  minor="${K8S_VERSION#v*.}"; minor="${minor%%.*}"
  info="$(mod_field "k8s.io/kubernetes@$K8S_VERSION" Info)"
  build_date="$(sed -n 's/.*"Time":"\([^".]*\).*/\1/p' "$info" 2>/dev/null || true)"
  build_date="${build_date:+${build_date%Z}Z}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ver_ld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ver_ld+=" -X $pkg.gitTreeState=clean -X $pkg.gitCommit="
    [ -z "$build_date" ] || ver_ld+=" -X $pkg.buildDate=$build_date"
  done
  # kubectl (with kustomize built in) for `kubectl apply -k …` against the test clusters, as users run it.
  for cmd in "${KUBE_COMMANDS[@]}" kubectl; do
    log "compiling $cmd (the first one is the slow part)…"
    run_go "$src" go build -trimpath -ldflags "-s -w$ver_ld" -o "$work/out/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd"
  done
}

# --- etcd --------------------------------------------------------------------------------------
# go.etcd.io/etcd/server/v3's root package is etcd's main (server/main.go calls etcdmain.Main), so
# it builds as is; the repo-root module go.etcd.io/etcd/v3 is not on the proxy.
build_etcd() {
  local src="$work/src/etcd" gomod
  log "building etcd $ETCD_VERSION from Go modules…"
  gomod="$(mod_field "go.etcd.io/etcd/server/v3@$ETCD_VERSION" GoMod)" && [ -f "$gomod" ] ||
    die "go.etcd.io/etcd/server/v3@$ETCD_VERSION is not available from the module proxy"
  mkdir -p "$src"
  {
    echo "module vigil.local/etcd-build"
    grep -E '^go ' "$gomod"
    echo "require go.etcd.io/etcd/server/v3 $ETCD_VERSION"
  } >"$src/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$src/tools.go"
  run_go "$src" go mod tidy
  run_go "$src" go build -trimpath -ldflags "-s -w" -o "$work/out/bin/etcd" go.etcd.io/etcd/server/v3
}

t=$SECONDS; build_etcd; log "etcd built in $((SECONDS - t))s"
t=$SECONDS; build_kubernetes; log "Kubernetes built in $((SECONDS - t))s"

usable "$work/out" || {
  for cmd in "${KUBE_COMMANDS[@]}"; do "$work/out/bin/$cmd" --version >&2 || true; done
  "$work/out/bin/etcd" --version >&2 || true
  die "freshly built binaries do not report $K8S_VERSION / etcd ${ETCD_VERSION#v}"
}
rm -rf "$dir"
mv "$work/out" "$dir"
log "Kubernetes $K8S_VERSION and etcd $ETCD_VERSION ready in $dir (built in $((SECONDS - t_all))s)"
echo "$dir"
