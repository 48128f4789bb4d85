# shellcheck shell=bash
# test-hosts: `down` and `leftovers`. Podman and netavark leave things in the system even after `rm` (SERVERS.md
# §8): net.ipv4.ip_forward=1, empty NETAVARK_* firewall chains, libpod_parent cgroups, /run/containers, overlay
# mounts. `down` removes what this script's `up` created, puts ip_forward back, and checks that nothing is left.
# Sourced by scripts/test-hosts.sh (after its settings).

# Every mount point under the state folder, deepest first.
state_mounts() { awk -v d="$TH_DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r; }

libpod_cgroups() { find /sys/fs/cgroup -maxdepth 3 -type d -name 'libpod_parent' 2>/dev/null; }

netavark_chains() { # prints "table chain" for each NETAVARK chain
  local t
  command -v iptables >/dev/null || return 0
  for t in filter nat; do
    iptables -w -t "$t" -S 2>/dev/null | awk -v t="$t" '$1 == "-N" && $2 ~ /^NETAVARK/ { print t, $2 }'
  done
}

remove_netavark_chains() {
  local t c rule
  command -v iptables >/dev/null || return 0
  # first the jumps into them from the built-in chains, then the chains themselves
  for t in filter nat; do
    while read -r rule; do
      [[ -n $rule ]] || continue
      eval "iptables -w -t $t ${rule/-A /-D }" || true
    done < <(iptables -w -t "$t" -S 2>/dev/null | grep -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j NETAVARK' || true)
  done
  while read -r t c; do
    if [[ -n $c ]]; then iptables -w -t "$t" -F "$c" 2>/dev/null || true; fi
  done < <(netavark_chains)
  while read -r t c; do
    if [[ -n $c ]]; then iptables -w -t "$t" -X "$c" 2>/dev/null || true; fi
  done < <(netavark_chains)
}

remove_libpod_cgroups() {
  local top
  while read -r top; do
    if [[ -n $top ]]; then find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
  done < <(libpod_cgroups)
}

stop_apt_cacher() {
  local pid i
  pid=$(acng_pid) || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

cmd_down() {
  need_root
  local t0 m d
  t0=$(now_ms)
  if [[ -d $TH_DIR/podman ]] && command -v podman >/dev/null; then
    pm rm -f -t 2 --all >/dev/null 2>&1 || true
    pm network rm -f "$NETWORK" >/dev/null 2>&1 || true
  fi
  stop_apt_cacher
  while read -r m; do [[ -n $m ]] && { umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; }; done < <(state_mounts)
  remove_netavark_chains
  remove_libpod_cgroups
  local bridge
  bridge=$(cat "$TH_DIR/state/bridge" 2>/dev/null) || bridge=""
  if [[ -n $bridge ]] && ip link show "$bridge" >/dev/null 2>&1; then ip link delete "$bridge" 2>/dev/null || true; fi
  if [[ -f $TH_DIR/state/ip_forward ]]; then
    cat "$TH_DIR/state/ip_forward" >/proc/sys/net/ipv4/ip_forward
  fi
  for d in /run/containers /run/libpod; do
    [[ -e $d ]] || continue
    grep -qxF "$d" "$TH_DIR/state/run-dirs" 2>/dev/null || rm -rf --one-file-system "$d"
  done
  # /run/netns stays if it held anything before or holds namespaces of something else
  if [[ -d /run/netns ]] && ! grep -qxF /run/netns "$TH_DIR/state/run-dirs" 2>/dev/null; then
    rmdir /run/netns 2>/dev/null || true
  fi
  local expected_forward
  expected_forward=$(cat "$TH_DIR/state/ip_forward" 2>/dev/null || cat /proc/sys/net/ipv4/ip_forward)
  [[ -d $TH_DIR ]] && rm -rf --one-file-system "$TH_DIR"
  info "down in $(secs_since "$t0") s"
  report_leftovers "$expected_forward"
}

# Prints one line per thing podman or this script left behind; exit 1 when there is any.
report_leftovers() {
  local expected_forward=${1:-} found=0 line
  emit() {
    echo "leftover: $*"
    found=1
  }
  [[ -d $TH_DIR ]] && emit "state folder $TH_DIR"
  [[ -n $(state_mounts) ]] && emit "mounts under $TH_DIR: $(state_mounts | tr '\n' ' ')"
  grep -qF "$ROOTFS" /proc/self/mountinfo && emit "a mount of the root filesystem $ROOTFS"
  ip -4 addr show 2>/dev/null | grep -qF "inet $GATEWAY/" && emit "address $GATEWAY on an interface"
  [[ -n $(libpod_cgroups) ]] && emit "cgroups: $(libpod_cgroups | tr '\n' ' ')"
  while read -r line; do [[ -n $line ]] && emit "firewall chain $line"; done < <(netavark_chains)
  [[ -n $expected_forward && $(cat /proc/sys/net/ipv4/ip_forward) != "$expected_forward" ]] &&
    emit "net.ipv4.ip_forward = $(cat /proc/sys/net/ipv4/ip_forward), was $expected_forward"
  [[ -e /run/containers && ! -f $TH_DIR/state/run-dirs ]] && emit "/run/containers"
  [[ -e /run/libpod && ! -f $TH_DIR/state/run-dirs ]] && emit "/run/libpod"
  pgrep -f -- "$TH_DIR/acng" >/dev/null 2>&1 && emit "apt-cacher-ng process"
  pgrep -f -- "conmon.*$TH_DIR" >/dev/null 2>&1 && emit "conmon process"
  ((found == 0)) || return 1
  return 0
}
