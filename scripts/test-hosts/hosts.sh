# shellcheck shell=bash
# test-hosts: `up` and `status`. The SSH key Ansible logs in with, the internal bridge, apt-cacher-ng on its
# gateway, the six containers (each: --init, its own address, the others in /etc/hosts, the root filesystem as
# the lower layer of its own overlay, sshd in the foreground with host keys made at start).
# Sourced by scripts/test-hosts.sh (after its settings).

ssh_opts() {
  printf '%s\n' -i "$TH_DIR/ssh/id_ed25519" -o BatchMode=yes -o ConnectTimeout=2 -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
}

host_ssh() { # host command...
  local h=$1
  shift
  local -a opts
  mapfile -t opts < <(ssh_opts)
  # shellcheck disable=SC2029 # the command is meant to be expanded here and run there as given
  ssh "${opts[@]}" "root@$(host_ip "$h")" "$@"
}

ensure_ssh_key() {
  mkdir -p "$TH_DIR/ssh"
  chmod 0700 "$TH_DIR/ssh"
  [[ -f $TH_DIR/ssh/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C "aiops-test-hosts" -f "$TH_DIR/ssh/id_ed25519"
  install -m 0600 "$TH_DIR/ssh/id_ed25519.pub" "$TH_DIR/ssh/authorized_keys"
}

# What podman changes in the system, saved before the first `up` so that `down` can put it back.
save_system_state() {
  mkdir -p "$TH_DIR/state"
  [[ -f $TH_DIR/state/ip_forward ]] || cat /proc/sys/net/ipv4/ip_forward >"$TH_DIR/state/ip_forward"
  if [[ ! -f $TH_DIR/state/run-dirs ]]; then
    local d
    # `if`, not `[[ … ]] && echo`: a missing last directory would end the loop with status 1 and stop `up` under set -e
    for d in /run/containers /run/libpod /run/netns; do if [[ -e $d ]]; then echo "$d"; fi; done >"$TH_DIR/state/run-dirs"
  fi
}

ensure_network() {
  pm network exists "$NETWORK" && return 0
  pm network create --internal --disable-dns --subnet "$SUBNET" --gateway "$GATEWAY" "$NETWORK" >/dev/null
  # podman 4.3 has no --interface-name: remember the bridge it chose, for `down` and `leftovers`
  pm network inspect -f '{{.NetworkInterface}}' "$NETWORK" >"$TH_DIR/state/bridge"
}

acng_pid() {
  local pid
  pid=$(cat "$TH_DIR/run/apt-cacher-ng.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$TH_DIR/acng" && echo "$pid"
}

# The proxy this machine's own apt (or environment) goes through, if any: where the network is reached only that
# way, apt-cacher-ng must use it too, or the hosts' apt fails as soon as a package is not in the cache yet.
upstream_proxy() {
  local p
  p=$(apt-config shell P Acquire::http::Proxy 2>/dev/null | sed -n "s/^P='\(.*\)'$/\1/p" || true)
  [[ -n $p && $p != DIRECT && $p != false ]] || p=${http_proxy:-${HTTP_PROXY:-}}
  printf '%s' "$p"
}

# apt-cacher-ng on the bridge gateway (the bridge exists only once a container is attached). No Remap lines: the
# packaged config answers 503 to the hosts' plain-mirror requests. CONNECT passes through to the npm registry
# only, for pnpm on ml-node.
start_apt_cacher() {
  acng_pid >/dev/null && return 0
  mkdir -p "$TH_DIR/acng/log" "$TH_DIR/run" "$ACNG_CACHE"
  local proxy
  proxy=$(upstream_proxy)
  [[ -z $proxy ]] || info "apt-cacher-ng goes upstream through $proxy"
  cat >"$TH_DIR/acng/acng.conf" <<CONF
${proxy:+Proxy: $proxy
}CacheDir: $ACNG_CACHE
LogDir: $TH_DIR/acng/log
SupportDir: /usr/lib/apt-cacher-ng
BindAddress: $GATEWAY
Port: $ACNG_PORT
ForeGround: 1
PidFile: $TH_DIR/run/apt-cacher-ng.pid.acng
SocketPath: $TH_DIR/run/apt-cacher-ng.socket
ReportPage: acng-report.html
ExThreshold: 4
PassThroughPattern: ^registry\.npmjs\.org:443\$
CONF
  # shellcheck disable=SC2016 # expanded by the inner bash
  setsid bash -c 'echo $$ >"$0"; exec apt-cacher-ng -c "$1"' "$TH_DIR/run/apt-cacher-ng.pid" "$TH_DIR/acng" \
    </dev/null >>"$TH_DIR/acng/log/foreground.log" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do
    curl --noproxy '*' -fsS -o /dev/null -m 2 "http://$GATEWAY:$ACNG_PORT/acng-report.html" 2>/dev/null && return 0
    sleep 0.2
  done
  tail -n 20 "$TH_DIR/acng/log/foreground.log" >&2 || true
  die 1 "apt-cacher-ng did not answer on $GATEWAY:$ACNG_PORT"
}

host_running() { [[ $(pm inspect -f '{{.State.Running}}' "$1" 2>/dev/null) == true ]]; }

start_host() {
  local h=$1 other
  if pm container exists "$h"; then
    host_running "$h" || pm start "$h" >/dev/null
    return 0
  fi
  local -a args=(run -d --name "$h" --hostname "$h" --network "$NETWORK" --ip "$(host_ip "$h")" --init
    -v "$TH_DIR/ssh/authorized_keys:/root/.ssh/authorized_keys:ro")
  for other in "${HOSTS[@]}"; do
    [[ $other == "$h" ]] || args+=(--add-host "$other:$(host_ip "$other")")
  done
  # CAP_SYS_PTRACE: root reads /proc/PID/exe of other users' processes, as on a VM; without it the Debian init
  # scripts' `start-stop-daemon --stop --exec` never matches a daemon running as prometheus, so `service ... restart`
  # starts a second copy (bind: address already in use) and status reports "not running" forever
  # CAP_AUDIT_CONTROL (+ AUDIT_WRITE): pam_loginuid can set the login uid, as on a VM; without it cron refuses
  # every job ("Cannot make/remove an entry for the specified session") and runs none
  args+=(--cap-add SYS_PTRACE --cap-add AUDIT_CONTROL --cap-add AUDIT_WRITE)
  [[ -n ${EXTRA_CAPS[$h]:-} ]] && args+=(--cap-add "${EXTRA_CAPS[$h]}")
  # --rootfs stands where an image name stands: every option goes before it
  args+=(--rootfs "$ROOTFS:O" sh -c 'ssh-keygen -A >/dev/null; mkdir -p /run/sshd; exec /usr/sbin/sshd -D -e')
  pm "${args[@]}" >/dev/null
}

wait_ssh() {
  local h=$1 deadline=$(($(date +%s) + READY_TIMEOUT))
  until host_ssh "$h" true 2>/dev/null; do
    if (($(date +%s) >= deadline)); then
      pm logs --tail 20 "$h" >&2 || true
      die 1 "$h: no SSH answer on $(host_ip "$h") after $READY_TIMEOUT s"
    fi
    sleep 0.3
  done
}

cmd_up() {
  need_root
  local missing
  missing=$(missing_commands)
  [[ -z $missing ]] || die 2 "missing: $(echo "$missing" | tr '\n' ' ')— run: $SELF install"
  local t0 h
  t0=$(now_ms)
  build_rootfs
  mkdir -p "$TH_DIR"
  write_containers_conf
  ensure_ssh_key
  save_system_state
  ensure_network
  for h in "${HOSTS[@]}"; do
    start_host "$h"
    start_apt_cacher
  done
  for h in "${HOSTS[@]}"; do wait_ssh "$h"; done
  cmd_status >/dev/null || die 1 "a host is not up after start"
  info "six hosts up in $(secs_since "$t0") s (apt-cacher-ng on $GATEWAY:$ACNG_PORT); Ansible settings: $SELF env"
  cmd_status
}

cmd_status() {
  local h rc=0
  for h in "${HOSTS[@]}"; do
    if [[ -d $TH_DIR/podman ]] && host_running "$h" && host_ssh "$h" true 2>/dev/null; then
      printf '%-11s %-8s %s\n' "$h" running "$(host_ip "$h")"
    else
      printf '%-11s %-8s %s\n' "$h" stopped "$(host_ip "$h")"
      rc=3
    fi
  done
  if acng_pid >/dev/null; then
    printf '%-11s %-8s %s\n' apt-cacher running "$GATEWAY:$ACNG_PORT"
  else
    printf '%-11s %-8s %s\n' apt-cacher stopped "$GATEWAY:$ACNG_PORT"
    rc=3
  fi
  return "$rc"
}
