#!/usr/bin/env bash
# End-to-end check of the binaries from ensure-kube-binaries.sh: starts etcd and kube-apiserver on
# free loopback ports, waits for /readyz, creates a namespace, a CRD and a custom resource with curl,
# then stops both. Prints start-up times and RSS; exits non-zero (with log tails) on any failure.
# Also serves as the reference for the flags the Java harness passes (see APISERVER_FLAGS below).
#
# Usage: smoke-kube-apiserver.sh [BIN_PARENT_DIR]   (default: whatever ensure-kube-binaries.sh prints)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$("$here/ensure-kube-binaries.sh" | tail -n 1)}"
bin="$dir/bin"
tmp="$(mktemp -d)"
etcd_pid="" api_pid=""

log() { echo "smoke-kube: $*" >&2; }
fail() {
  log "FAILED: $*"
  for f in etcd apiserver; do [ -f "$tmp/$f.log" ] && { log "--- last lines of $f.log"; tail -n 25 "$tmp/$f.log" >&2; }; done
  exit 1
}
stop() { # stop PID NAME: SIGTERM, then SIGKILL if it lingers; prints how long the shutdown took
  local pid="$1" t0=$SECONDS
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { log "$2 ignored SIGTERM for 30s, killing"; kill -KILL "$pid"; }
  wait "$pid" 2>/dev/null || true
  log "$2 stopped in ~$((SECONDS - t0))s"
}
cleanup() { stop "$api_pid" kube-apiserver; stop "$etcd_pid" etcd; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port nobody accepts on right now; good enough for a one-off smoke test on loopback.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

etcd_port="$(free_port)"; peer_port="$(free_port)"; api_port="$(free_port)"
mkdir -p "$tmp/etcd-data" "$tmp/certs"
openssl genrsa -out "$tmp/sa.key" 2048 2>/dev/null || fail "openssl could not generate the service-account key"
echo 'admintoken,admin,admin,system:masters' >"$tmp/tokens.csv"

ETCD_FLAGS=(
  --data-dir "$tmp/etcd-data"
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port"
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port"
  --initial-cluster "default=http://127.0.0.1:$peer_port"
  --log-level warn
)
APISERVER_FLAGS=(
  --etcd-servers "http://127.0.0.1:$etcd_port"
  --bind-address 127.0.0.1 --secure-port "$api_port"
  --advertise-address 127.0.0.1
  --cert-dir "$tmp/certs"
  --token-auth-file "$tmp/tokens.csv"
  --authorization-mode=RBAC
  --service-account-issuer=https://kubernetes.default.svc
  --service-account-key-file "$tmp/sa.key"
  --service-account-signing-key-file "$tmp/sa.key"
  --service-cluster-ip-range 10.0.0.0/24
  --disable-admission-plugins=ServiceAccount
)
# Extra flags for experiments, e.g. SMOKE_APISERVER_EXTRA="--v=2"
read -r -a extra <<<"${SMOKE_APISERVER_EXTRA:-}"
APISERVER_FLAGS+=("${extra[@]}")

t0="$(now)"
"$bin/etcd" "${ETCD_FLAGS[@]}" >"$tmp/etcd.log" 2>&1 &
etcd_pid=$!
until curl -sf "http://127.0.0.1:$etcd_port/health" | grep -q '"health":"true"'; do
  kill -0 "$etcd_pid" 2>/dev/null || fail "etcd exited during start-up"
  sleep 0.05
done
etcd_ready="$(elapsed "$t0")"

t0="$(now)"
"$bin/kube-apiserver" "${APISERVER_FLAGS[@]}" >"$tmp/apiserver.log" 2>&1 &
api_pid=$!
base="https://127.0.0.1:$api_port"
kc() { curl -sk -H 'Authorization: Bearer admintoken' "$@"; }
deadline=$((SECONDS + 120))
until [ "$(kc "$base/readyz" 2>/dev/null)" = ok ]; do
  kill -0 "$api_pid" 2>/dev/null || fail "kube-apiserver exited during start-up"
  [ $SECONDS -lt $deadline ] || fail "kube-apiserver not ready after 120s: $(kc "$base/readyz?verbose" | grep -v '^\[+\]')"
  sleep 0.05
done
api_ready="$(elapsed "$t0")"
rss_ready_api="$(rss_mb "$api_pid")"

post() { # post PATH JSON -> HTTP status; body in $tmp/resp
  kc -o "$tmp/resp" -w '%{http_code}' -H 'Content-Type: application/json' -X POST "$base$1" -d "$2"
}
[ "$(post /api/v1/namespaces '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"smoke"}}')" = 201 ] ||
  fail "creating a namespace: $(cat "$tmp/resp")"
crd='{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
 "metadata":{"name":"widgets.smoke.example.com"},
 "spec":{"group":"smoke.example.com","scope":"Namespaced",
  "names":{"plural":"widgets","singular":"widget","kind":"Widget"},
  "versions":[{"name":"v1","served":true,"storage":true,
   "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"}}}}}}}]}}'
[ "$(post /apis/apiextensions.k8s.io/v1/customresourcedefinitions "$crd")" = 201 ] ||
  fail "creating a CRD: $(cat "$tmp/resp")"
# A CRD is usable once Established; creating a CR before that returns 404.
t0="$(now)"
until kc "$base/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.smoke.example.com" |
  tr -d ' \n' | grep -q '"type":"Established","status":"True"'; do
  [ "$(elapsed "$t0" | cut -d. -f1)" -lt 30 ] || fail "CRD not Established after 30s"
  sleep 0.05
done
crd_ready="$(elapsed "$t0")"
[ "$(post /apis/smoke.example.com/v1/namespaces/smoke/widgets \
  '{"apiVersion":"smoke.example.com/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":3}}')" = 201 ] ||
  fail "creating a custom resource: $(cat "$tmp/resp")"
kc "$base/apis/smoke.example.com/v1/namespaces/smoke/widgets/w1" | tr -d ' \n' | grep -q '"size":3' ||
  fail "reading the custom resource back"
# The structural schema must prune unknown fields, i.e. the apiextensions machinery really runs.
[ "$(post /apis/smoke.example.com/v1/namespaces/smoke/widgets \
  '{"apiVersion":"smoke.example.com/v1","kind":"Widget","metadata":{"name":"w2"},"spec":{"size":"big"}}')" = 422 ] ||
  fail "schema validation of a custom resource did not reject a bad value: $(cat "$tmp/resp")"
[ "$(curl -sk -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' "$base/api/v1/namespaces")" = 401 ] ||
  fail "a wrong bearer token was not rejected"
version="$(kc "$base/version" | tr -d ' \n')"

log "etcd ready after ${etcd_ready}s, RSS $(rss_mb "$etcd_pid") MB (peak $(hwm_mb "$etcd_pid") MB)"
log "kube-apiserver /readyz ok after ${api_ready}s, RSS ${rss_ready_api} MB at ready," \
  "$(rss_mb "$api_pid") MB after the checks (peak $(hwm_mb "$api_pid") MB)"
log "CRD Established ${crd_ready}s after creation; /version: $version"
log "etcd flags: ${ETCD_FLAGS[*]}"
log "kube-apiserver flags: ${APISERVER_FLAGS[*]}"
grep -E '^[EF][0-9]{4} ' "$tmp/apiserver.log" | cut -c1-220 | sed 's/^/smoke-kube: apiserver log: /' >&2 || true
log "all checks passed"
