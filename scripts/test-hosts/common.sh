# shellcheck shell=bash
# test-hosts: messages, root check, the apt install of what `up` needs, and `pm`, podman confined to the state
# folder (its own root, runroot, containers.conf). Sourced by scripts/test-hosts.sh (after its settings).

info() { printf 'test-hosts: %s\n' "$*" >&2; }
die() {
  local code=$1
  shift
  printf 'test-hosts: %s\n' "$*" >&2
  exit "$code"
}
now_ms() { date +%s%3N; }
secs_since() { # start_ms -> "12.3"
  local d=$(($(now_ms) - $1))
  printf '%d.%d' $((d / 1000)) $((d % 1000 / 100))
}
need_root() { [[ $EUID -eq 0 ]] || die 2 "needs root (rootful podman, debootstrap, a bridge); run as root"; }
dpkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
host_ip() { echo "10.213.0.${OCTET[$1]}"; }

# Another engineer may hold the dpkg lock: wait for it (DPkg::Lock::Timeout) instead of failing.
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q "$@"; }

cmd_install() {
  need_root
  local p t0
  local -a missing=()
  t0=$(now_ms)
  for p in "${APT_PACKAGES[@]}"; do dpkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    info "Debian packages already installed: ${APT_PACKAGES[*]}"
    return 0
  fi
  info "apt-get install ${missing[*]}"
  if ! apt_get install -y --no-install-recommends "${missing[@]}"; then
    apt_get update
    apt_get install -y --no-install-recommends "${missing[@]}"
  fi
  info "install done in $(secs_since "$t0") s"
}

missing_commands() {
  local c
  for c in podman runc netavark iptables catatonit debootstrap apt-cacher-ng ssh ssh-keygen; do
    case $c in
      netavark) [[ -x /usr/lib/podman/netavark ]] || echo netavark ;;
      *) command -v "$c" >/dev/null || echo "$c" ;;
    esac
  done
}

# Podman with every piece of its state under TH_DIR: storage root, runroot, tmp_dir, network configs, events.
write_containers_conf() {
  mkdir -p "$TH_DIR/podman/tmp" "$TH_DIR/podman/networks"
  cat >"$TH_DIR/containers.conf" <<CONF
# written by $SELF; podman of the test hosts only (CONTAINERS_CONF)
[containers]
# podman's default nofile (1048576) is above this machine's hard limit
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
init_path = "/usr/bin/catatonit"

[engine]
# crun refuses the hybrid cgroup layout here; no systemd, so cgroupfs
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$TH_DIR/podman/events.log"
tmp_dir = "$TH_DIR/podman/tmp"

[network]
network_backend = "netavark"
network_config_dir = "$TH_DIR/podman/networks"
CONF
}

pm() {
  CONTAINERS_CONF=$TH_DIR/containers.conf podman --root "$TH_DIR/podman/root" --runroot "$TH_DIR/podman/runroot" "$@"
}
