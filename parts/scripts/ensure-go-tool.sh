#!/usr/bin/env bash
# Builds one Go tool the deploy tests need into the cache and prints its path as the last stdout line
# (everything else goes to stderr). Usage: ensure-go-tool.sh helm|promtool|lua-health
#
#   helm        the real Helm CLI (helm.sh/helm/v3), for `helm lint`/`template`/`install` of deploy/helm/vigil
#   promtool    Prometheus' rule tester (github.com/prometheus/prometheus/cmd/promtool), for `promtool test rules`
#   lua-health  a small runner of Argo CD health scripts on gopher-lua, the Lua VM Argo CD embeds, opened
#               with the libraries Argo CD opens (package, base, table, os; Argo CD's os is a reduced one, and
#               no string/math library) and `obj` set the way Argo CD sets it (util/lua/lua.go)
#
# Why from Go modules: like ensure-kube-binaries.sh, the Go module proxy is the only route to these here.
# Idempotent and locked the same way: a tool dir appears only complete (rename), a flock keeps concurrent
# callers from building twice, an interrupted build leaves nothing usable behind.
#
# Overrides: VIGIL_HELM_VERSION (default v3.21.4), VIGIL_PROMETHEUS_VERSION (the Go module version,
# default v0.316.0 = Prometheus 3.16.0), VIGIL_GOPHER_LUA_VERSION (default v1.1.2), VIGIL_CACHE_DIR.
set -euo pipefail

tool="${1:-}"
HELM_VERSION="${VIGIL_HELM_VERSION:-v3.21.4}"
PROMETHEUS_VERSION="${VIGIL_PROMETHEUS_VERSION:-v0.316.0}"
GOPHER_LUA_VERSION="${VIGIL_GOPHER_LUA_VERSION:-v1.1.2}"
cache="${VIGIL_CACHE_DIR:-$HOME/.cache/vigil}"
root="$cache/go-tools"

log() { echo "ensure-go-tool: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The lua-health runner's source lives here (below), so the script's own hash names its build.
self_hash() { sha256sum "${BASH_SOURCE[0]}" | cut -c1-12; }

case "$tool" in
  helm) dir="$root/helm-$HELM_VERSION" ;;
  promtool) dir="$root/promtool-$PROMETHEUS_VERSION" ;;
  lua-health) dir="$root/lua-health-$GOPHER_LUA_VERSION-$(self_hash)" ;;
  *) die "usage: ensure-go-tool.sh helm|promtool|lua-health (got '${tool}')" ;;
esac
bin="$dir/$tool"

usable() {
  local out
  case "$tool" in
    helm) out="$("$1/helm" version --template '{{.Version}}' 2>/dev/null)" && [ "$out" = "$HELM_VERSION" ] ;;
    promtool) out="$("$1/promtool" --version 2>/dev/null)" && [[ "$out" == "promtool, version ${PROMETHEUS_VERSION#v0.}"* ]] ;;
    lua-health) out="$(echo '[]' | "$1/lua-health" /dev/null 2>/dev/null)" && [ "$out" = "[]" ] ;;
  esac
}

if usable "$dir"; then echo "$bin"; exit 0; fi

command -v go >/dev/null || die "go is not on PATH (needed to build $tool)"
mkdir -p "$root"
exec 9>"$root/.lock-$tool"
if ! flock -n 9; then
  log "another process is building $tool; waiting for it…"
  flock 9
fi
if usable "$dir"; then echo "$bin"; exit 0; fi

rm -rf "$root"/.build-"$tool"-*
work="$(mktemp -d "$root/.build-$tool-XXXXXX")"
trap 'rm -rf "$work"' EXIT
golog="$work/go.log"
mkdir -p "$work/src" "$work/out"
GOFLAGS="$(go env GOFLAGS) -mod=mod"
export GOFLAGS CGO_ENABLED=0

# Go's chatter goes to a log shown only on failure; the lock fd is closed for Go (see ensure-kube-binaries.sh).
run_go() {
  if ! (cd "$work/src" && "$@") >>"$golog" 2>&1 9>&-; then
    tail -n 60 "$golog" >&2
    die "Go build step failed: $*"
  fi
}

# A throwaway main module requiring MODULE@VERSION, with a blank import of PACKAGE so `go mod tidy` resolves it.
tool_module() {
  printf 'module vigil.local/%s-build\n\ngo 1.26\n\nrequire %s %s\n' "$tool" "$1" "$2" >"$work/src/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$3" >"$work/src/tools.go"
  run_go go mod tidy
}

t=$SECONDS
log "building $tool from Go modules (first time only, takes a few minutes)…"
case "$tool" in
  helm)
    tool_module helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm
    # Without the version, `helm version` says v3.x-dev-ish defaults; upstream's Makefile sets the same variable.
    run_go go build -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
      -o "$work/out/helm" helm.sh/helm/v3/cmd/helm
    ;;
  promtool)
    tool_module github.com/prometheus/prometheus "$PROMETHEUS_VERSION" github.com/prometheus/prometheus/cmd/promtool
    # Module v0.X.Y is Prometheus 3.X.Y; promu sets the version through prometheus/common/version.
    # remove_all_sd (Prometheus' own build tag) leaves out the service-discovery plugins and their cloud SDKs,
    # which rule tests never use and which make most of a cold build's time.
    run_go go build -tags remove_all_sd -trimpath -ldflags "-s -w -X github.com/prometheus/common/version.Version=${PROMETHEUS_VERSION#v0.}" \
      -o "$work/out/promtool" github.com/prometheus/prometheus/cmd/promtool
    ;;
  lua-health)
    printf 'module vigil.local/lua-health\n\ngo 1.26\n\nrequire github.com/yuin/gopher-lua %s\n' \
      "$GOPHER_LUA_VERSION" >"$work/src/go.mod"
    cat >"$work/src/main.go" <<'EOF'
// lua-health SCRIPT < objects.json: runs an Argo CD health script once per object of the JSON array on
// stdin and prints a JSON array of the {status, message} tables it returned. Like Argo CD's util/lua: a
// fresh state per run with only the package, base, table and os libraries, `obj` decoded from the
// object (numbers as Lua numbers, arrays as 1-based tables), one second per run at most.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
)

type health struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

func decode(l *lua.LState, v interface{}) lua.LValue {
	switch x := v.(type) {
	case bool:
		return lua.LBool(x)
	case float64:
		return lua.LNumber(x)
	case string:
		return lua.LString(x)
	case []interface{}:
		t := l.CreateTable(len(x), 0)
		for _, item := range x {
			t.Append(decode(l, item))
		}
		return t
	case map[string]interface{}:
		t := l.CreateTable(0, len(x))
		for k, item := range x {
			t.RawSetH(lua.LString(k), decode(l, item))
		}
		return t
	}
	return lua.LNil
}

func run(script string, obj interface{}) (health, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}, {lua.OsLibName, lua.OpenOs}} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), Protect: true}, lua.LString(lib.name)); err != nil {
			return health{}, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", decode(l, obj))
	if err := l.DoString(script); err != nil {
		return health{}, err
	}
	t, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return health{}, fmt.Errorf("the script returned %s, not a table", l.Get(-1).Type())
	}
	return health{Status: lua.LVAsString(t.RawGetString("status")), Message: lua.LVAsString(t.RawGetString("message"))}, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: lua-health SCRIPT < objects.json")
		os.Exit(2)
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var objects []interface{}
	if err := json.NewDecoder(os.Stdin).Decode(&objects); err != nil {
		fmt.Fprintln(os.Stderr, "stdin is not a JSON array:", err)
		os.Exit(2)
	}
	results := []health{}
	for i, obj := range objects {
		h, err := run(string(script), obj)
		if err != nil {
			fmt.Fprintf(os.Stderr, "object %d: %v\n", i, err)
			os.Exit(1)
		}
		results = append(results, h)
	}
	json.NewEncoder(os.Stdout).Encode(results)
}
EOF
    run_go go mod tidy
    run_go go build -trimpath -ldflags "-s -w" -o "$work/out/lua-health" .
    ;;
esac

usable "$work/out" || die "the freshly built $tool does not run or reports another version"
rm -rf "$dir"
mv "$work/out" "$dir"
log "$tool ready in $dir (built in $((SECONDS - t))s)"
echo "$bin"
