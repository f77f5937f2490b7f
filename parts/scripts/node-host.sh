#!/usr/bin/env bash
# The host side of the test node (dev.vigil.parts.KubeNode): what a Kubernetes node's OS setup would do, kept
# inside this machine and undone completely so that every run starts clean.
#
#   node-host.sh up BRIDGE NODE_CIDR      tear down any earlier node, then create the bridge holding the node IP
#   node-host.sh expose BRIDGE NODE_IP PORT   make 127.0.0.1:PORT reachable from pods as NODE_IP:PORT
#   node-host.sh down BRIDGE              stop every node process, pod and shim; unmount, delete network state,
#                                         cgroups and iptables rules of any node this script set up
#
# Node state lives in /tmp/vigil-node-* directories (short paths: unix sockets live there). There is no route off
# the host and no masquerade: pods reach the node IP and each other, nothing else.
set -uo pipefail

log() { echo "node-host: $*" >&2; }
[ "$(id -u)" -eq 0 ] || { log "ERROR: the test node needs root"; exit 1; }
CHAIN=VIGIL-NODE

# PIDs whose command line mentions a node state dir (containerd, kubelet, shims, control plane, …).
node_pids() {
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q '/tmp/vigil-node-' && echo "${p#/proc/}"
  done
}

# Every process in the kubepods cgroups: the pods' containers, which shims started.
pod_pids() {
  local d
  for d in /sys/fs/cgroup/*/kubepods* /sys/fs/cgroup/unified/kubepods*; do
    [ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -u
}

kill_all() {
  local pids round
  for round in 1 2 3 4 5 6 7 8 9 10; do
    pids="$( (node_pids; pod_pids) | grep -v "^$$\$" | sort -u)"
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null
    sleep 0.3 # processes take a moment to leave their cgroups after SIGKILL
  done
  log "WARNING: processes still running after SIGKILL: $pids"
}

down() {
  local bridge="$1" m d
  kill_all
  # Mounts under node dirs (rootfs overlays, shm, volumes, network namespaces), deepest first.
  awk '$2 ~ /^\/tmp\/vigil-node-/ {print $2}' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "WARNING: cannot unmount $m"
  done
  for d in /tmp/vigil-node-*; do [ -d "$d" ] && rm -rf "$d"; done
  # Cgroups the kubelet made, deepest first (rmdir only removes empty ones).
  for d in /sys/fs/cgroup/*/kubepods* /sys/fs/cgroup/unified/kubepods*; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  ip link del "$bridge" 2>/dev/null
  # Veths whose namespace is gone are deleted by the kernel; leftovers still attached to nothing are ours.
  for m in $(ip -o link show type veth 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^veth'); do
    ip link del "$m" 2>/dev/null
  done
  # kube-proxy's and kubelet's chains (KUBE-*) and this script's own: each table is written back without them.
  local save table
  for save in iptables-save ip6tables-save; do
    command -v "$save" >/dev/null || continue
    for table in nat filter mangle; do
      if "$save" -t "$table" 2>/dev/null | grep -qE "KUBE-|$CHAIN"; then
        "$save" -t "$table" | grep -vE "KUBE-|$CHAIN" | "${save%-save}-restore" -T "$table" ||
          log "WARNING: cannot clean the $table table ($save)"
      fi
    done
  done
  return 0
}

up() {
  local bridge="$1" cidr="$2"
  down "$bridge"
  ip link add "$bridge" type bridge || { log "ERROR: cannot create bridge $bridge"; exit 1; }
  ip addr add "$cidr" dev "$bridge" || { log "ERROR: cannot add $cidr to $bridge"; exit 1; }
  ip link set "$bridge" up
  # Services on 127.0.0.1 are exposed to pods by DNAT (see expose); the kernel routes such packets only with this.
  sysctl -qw "net.ipv4.conf.$bridge.route_localnet=1"
  iptables -t nat -N "$CHAIN" 2>/dev/null
  iptables -t nat -C PREROUTING -i "$bridge" -j "$CHAIN" 2>/dev/null ||
    iptables -t nat -I PREROUTING -i "$bridge" -j "$CHAIN"
}

expose() {
  local bridge="$1" ip="$2" port="$3"
  iptables -t nat -C "$CHAIN" -i "$bridge" -d "$ip" -p tcp --dport "$port" -j DNAT --to-destination "127.0.0.1:$port" 2>/dev/null ||
    iptables -t nat -A "$CHAIN" -i "$bridge" -d "$ip" -p tcp --dport "$port" -j DNAT --to-destination "127.0.0.1:$port"
}

case "${1:-}" in
  up) up "$2" "$3" ;;
  expose) expose "$2" "$3" "$4" ;;
  down) down "$2" ;;
  *) log "usage: node-host.sh up BRIDGE CIDR | expose BRIDGE IP PORT | down BRIDGE"; exit 2 ;;
esac
