#!/usr/bin/env bash
# Builds a real kube-apiserver and etcd from Go modules into the cache; prints the directory holding
# them as the last stdout line (everything else goes to stderr).
#
# Why from Go modules: the machine has Go and the Go module proxy but no other route to release
# binaries, and kube-apiserver/etcd are plain Go programs that build with CGO_ENABLED=0.
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

log() { echo "ensure-kube-binaries: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || log "failed (exit $rc) at line $LINENO: $BASH_COMMAND"' EXIT

# "Runs" means --version succeeds and reports the version we asked for; the dir name already pins
# the versions, so this mainly catches truncated or foreign-arch files.
usable() {
  local bin="$1/bin"
  [ -x "$bin/kube-apiserver" ] && [ -x "$bin/etcd" ] || return 1
  "$bin/kube-apiserver" --version 2>/dev/null | grep -qxF "Kubernetes $K8S_VERSION" || return 1
  "$bin/etcd" --version 2>/dev/null | grep -qxF "etcd Version: ${ETCD_VERSION#v}" || return 1
}

# Fast path without the lock: the dir only ever appears complete (rename), so reading it is safe.
if usable "$dir"; then echo "$dir"; exit 0; fi

command -v go >/dev/null || die "go is not on PATH (needed to build kube-apiserver and etcd)"
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
trap 'rc=$?; [ $rc -eq 0 ] || log "failed (exit $rc) at line $LINENO: $BASH_COMMAND"; rm -rf "$work"' EXIT

# Go's own chatter ("go: downloading …", hundreds of lines) goes to a log that is shown only on failure.
# Usage: run_go DIR go ARGS…
run_go() {
  local d="$1"; shift
  if ! (cd "$d" && "$@") >>"$golog" 2>&1; then
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

# --- kube-apiserver ----------------------------------------------------------------------------
# k8s.io/kubernetes requires its staging repos (k8s.io/api, apiserver, …) at v0.0.0 and replaces
# them with ./staging/… paths; replace directives of a dependency are ignored, so our throwaway main
# module must map each of them to the published staging tag v0.<minor>.<patch>.
build_kube_apiserver() {
  local src="$work/src/kube" gomod staging go_line godebug_line minor
  log "building kube-apiserver $K8S_VERSION from Go modules (first time only, takes several minutes)…"
  case "$K8S_VERSION" in v1.*.*) ;; *) die "VIGIL_K8S_VERSION must look like v1.X.Y, got $K8S_VERSION";; esac
  staging="v0.${K8S_VERSION#v1.}"
  gomod="$(mod_gomod "k8s.io/kubernetes@$K8S_VERSION")" || die "k8s.io/kubernetes@$K8S_VERSION is not available from the module proxy"
  [ -f "$gomod" ] || die "could not locate go.mod of k8s.io/kubernetes@$K8S_VERSION"

  # Reuse upstream's go and godebug lines: the main module's go line decides the binary's GODEBUG
  # defaults, and upstream releases are built with theirs.
  go_line="$(grep -m1 '^go ' "$gomod")"
  godebug_line="$(grep -m1 '^godebug ' "$gomod" || true)"
  mkdir -p "$src"
  {
    echo "module vigil.local/kube-apiserver-build"
    echo
    echo "$go_line"
    [ -z "$godebug_line" ] || echo "$godebug_line"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    awk -v v="$staging" '/^require[[:space:]]*\(/{r=1; next} r && /^\)/{r=0}
      r && $1 ~ /^k8s\.io\// && $2 == "v0.0.0" {printf "\t%s => %s %s\n", $1, $1, v}' "$gomod"
    echo ")"
  } >"$src/go.mod"
  grep -q '=> k8s.io/apiserver ' "$src/go.mod" || die "found no v0.0.0 staging requirements in k8s.io/kubernetes@$K8S_VERSION go.mod"
  # A blank import under a build tag is what lets `go mod tidy` see the command we want.
  printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver"\n' >"$src/tools.go"

  log "resolving modules (k8s.io/* staging modules pinned to $staging)…"
  run_go cd "$src" \&\& go mod tidy
  # Without these, --version and /version say v0.0.0-master and the apiserver's compatibility
  # version is derived from that; these are the variables hack/lib/version.sh sets for releases.
  local ver_ld="" pkg major minor_num build_date
  major="${K8S_VERSION#v}"; major="${major%%.*}"
  minor_num="${K8S_VERSION#v*.}"; minor_num="${minor_num%%.*}"
  build_date="$(mod_time "k8s.io/kubernetes@$K8S_VERSION")"
  build_date="${build_date:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ver_ld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor_num"
    ver_ld+=" -X $pkg.gitTreeState=clean -X $pkg.gitCommit= -X $pkg.buildDate=${build_date%.*}${build_date:+Z}"
  done
  ver_ld="${ver_ld//ZZ/Z}"
  log "compiling kube-apiserver (this is the slow part)…"
  run_go cd "$src" \&\& go build -trimpath -ldflags "$ldflags_common$ver_ld" -o "$work/out/bin/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
}

# --- etcd --------------------------------------------------------------------------------------
# go.etcd.io/etcd/server/v3's root package is etcd's main (server/main.go), so it builds directly;
# the repo-root module go.etcd.io/etcd/v3 is not published on the proxy.
build_etcd() {
  local src="$work/src/etcd" gomod go_line
  log "building etcd $ETCD_VERSION from Go modules…"
  gomod="$(mod_gomod "go.etcd.io/etcd/server/v3@$ETCD_VERSION")" || die "go.etcd.io/etcd/server/v3@$ETCD_VERSION is not available from the module proxy"
  go_line="$(grep -m1 '^go ' "$gomod")"
  mkdir -p "$src"
  printf 'module vigil.local/etcd-build\n\n%s\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$go_line" "$ETCD_VERSION" >"$src/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >"$src/tools.go"
  run_go cd "$src" \&\& go mod tidy
  run_go cd "$src" \&\& go build -trimpath -ldflags "$ldflags_common" -o "$work/out/bin/etcd" go.etcd.io/etcd/server/v3
}

t=$SECONDS; build_etcd; log "etcd built in $((SECONDS - t))s"
t=$SECONDS; build_kube_apiserver; log "kube-apiserver built in $((SECONDS - t))s"

usable "$work/out" || {
  "$work/out/bin/kube-apiserver" --version >&2 || true
  "$work/out/bin/etcd" --version >&2 || true
  die "freshly built binaries do not report $K8S_VERSION / etcd ${ETCD_VERSION#v}"
}
rm -rf "$dir"
mv "$work/out" "$dir"
log "kube-apiserver $K8S_VERSION and etcd $ETCD_VERSION ready in $dir (built in $((SECONDS - t_all))s)"
echo "$dir"
