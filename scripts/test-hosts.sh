#!/usr/bin/env bash
# The six test hosts of the Ansible playbooks: podman containers on one machine, each a Debian 12 host with its
# own hostname, PIDs, filesystem and address, reached by Ansible over plain SSH (docs/vm-setup.md, SERVERS.md §8).
#
#   scripts/test-hosts.sh install   Debian packages (podman, runc, netavark, catatonit, debootstrap, apt-cacher-ng,
#                                   ansible, ansible-lint) when missing
#   scripts/test-hosts.sh up        build the root filesystem once (cached), start apt-cacher-ng and the six hosts,
#                                   wait until each one's sshd answers; idempotent
#   scripts/test-hosts.sh down      remove the hosts, the network, apt-cacher-ng, and everything podman left in the
#                                   system (ip_forward restored, NETAVARK_* chains, libpod_parent cgroups, overlay
#                                   mounts, run dirs); then verify that nothing is left (exit 1 if something is)
#   scripts/test-hosts.sh status    one line per host; exit 0 all up, 3 otherwise
#   scripts/test-hosts.sh env       the settings for Ansible (source it: ANSIBLE_PRIVATE_KEY_FILE, ANSIBLE_HOME, …)
#   scripts/test-hosts.sh leftovers print what podman left in the system (nothing when clean; exit 1 otherwise)
#   scripts/test-hosts.sh rootfs    build the cached root filesystem only
#   scripts/test-hosts.sh artifacts build what the ml_node role deploys here (a Node 20 archive from this machine's
#                                   Node, the project with node_modules) and print the AIOPS_TEST_* lines for the
#                                   test inventory
#
# Hosts (bridge 10.213.0.0/24, gateway 10.213.0.1 = this machine, apt-cacher-ng on 10.213.0.1:3142):
#   obs-server 10.213.0.10  log-server 10.213.0.11  net-sensor 10.213.0.12  ml-node 10.213.0.13
#   telem-a 10.213.0.14     telem-b 10.213.0.15
# The bridge is internal to this machine: no NAT, no DNS; apt (and pnpm through CONNECT to the npm registry) go
# through apt-cacher-ng. Nothing ever targets an address outside this bridge and loopback.
#
# State (podman root, SSH key, configs, logs) lives in AIOPS_TEST_HOSTS_DIR (default <AIOPS_STACK_DIR>/test-hosts,
# AIOPS_STACK_DIR defaulting to <repo>/.stack); the root filesystem and apt-cacher-ng's cache in
# AIOPS_CACHE_DIR/test-hosts (default ~/.cache/aiops/test-hosts), so a second `up` in the same run builds nothing.
# Needs root (podman rootful: rootless podman cannot create a bridge here).
#
# Exit codes: 0 ok, 1 a step failed (or `down` found leftovers), 2 usage or something missing, 3 `status` found a
# host down.
set -Eeuo pipefail
# a step that fails under set -e names itself (a silent exit 1 from `up` cost a CI run its diagnosis)
trap 'printf "test-hosts: failed (exit %s) at %s:%s: %s\n" "$?" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR

SCRIPT_DIR=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -P "$SCRIPT_DIR/.." && pwd)
SELF="scripts/test-hosts.sh"

# ---------------------------------------------------------------------------------------------------- settings
STACK_DIR=${AIOPS_STACK_DIR:-$REPO_ROOT/.stack}
[[ $STACK_DIR == /* ]] || STACK_DIR=$PWD/$STACK_DIR
TH_DIR=${AIOPS_TEST_HOSTS_DIR:-$STACK_DIR/test-hosts}
[[ $TH_DIR == /* ]] || TH_DIR=$PWD/$TH_DIR
CACHE_DIR=${AIOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aiops}/test-hosts
SUITE=bookworm
MIRROR=${AIOPS_TEST_HOSTS_MIRROR:-http://deb.debian.org/debian}
READY_TIMEOUT=${AIOPS_TEST_HOSTS_READY_TIMEOUT:-60}

NETWORK=aiops-test-hosts
SUBNET=10.213.0.0/24
GATEWAY=10.213.0.1
ACNG_PORT=3142
# name → last octet; the order is the start order
HOSTS=(obs-server log-server net-sensor ml-node telem-a telem-b)
declare -A OCTET=([obs-server]=10 [log-server]=11 [net-sensor]=12 [ml-node]=13 [telem-a]=14 [telem-b]=15)
# net-sensor sets its capture NIC promiscuous (zeek role): that needs CAP_NET_ADMIN in its namespace
declare -A EXTRA_CAPS=([net-sensor]=NET_ADMIN)

# What the base holds: what Ansible needs to manage a host (sshd, python3 with apt bindings, sudo) and
# iproute2. Everything a role installs is installed by the role, so the plays are tested from a bare host.
ROOTFS_PACKAGES=openssh-server,python3,python3-apt,sudo,iproute2
ROOTFS_VERSION=4 # bump when the customisation below changes
ROOTFS_KEY=$(printf '%s %s %s %s' "$SUITE" "$ROOTFS_PACKAGES" "$ROOTFS_VERSION" "$MIRROR" | sha256sum | cut -c1-12)
ROOTFS=$CACHE_DIR/rootfs-$SUITE-$ROOTFS_KEY
ACNG_CACHE=$CACHE_DIR/apt-cacher-ng

APT_PACKAGES=(podman runc netavark iptables catatonit debootstrap apt-cacher-ng ansible ansible-lint openssh-client)

# ---------------------------------------------------------------------------------------------------- modules
# shellcheck source-path=SCRIPTDIR source=test-hosts/common.sh
source "$SCRIPT_DIR/test-hosts/common.sh"
# shellcheck source-path=SCRIPTDIR source=test-hosts/rootfs.sh
source "$SCRIPT_DIR/test-hosts/rootfs.sh"
# shellcheck source-path=SCRIPTDIR source=test-hosts/hosts.sh
source "$SCRIPT_DIR/test-hosts/hosts.sh"
# shellcheck source-path=SCRIPTDIR source=test-hosts/artifacts.sh
source "$SCRIPT_DIR/test-hosts/artifacts.sh"
# shellcheck source-path=SCRIPTDIR source=test-hosts/teardown.sh
source "$SCRIPT_DIR/test-hosts/teardown.sh"

usage() {
  sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -Eeuo/d' -e 's/^# \{0,1\}//'
}

cmd_env() {
  cat <<ENV
AIOPS_TEST_HOSTS_DIR=$TH_DIR
ANSIBLE_HOME=$TH_DIR/ansible-home
ANSIBLE_LOCAL_TEMP=$TH_DIR/ansible-home/tmp
ANSIBLE_PRIVATE_KEY_FILE=$TH_DIR/ssh/id_ed25519
ANSIBLE_INVENTORY=$REPO_ROOT/ansible/inventories/test-hosts/hosts.yml
ENV
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  (($# == 0)) || die 2 "$cmd takes no argument"
  case $cmd in
    install) cmd_install ;;
    rootfs)
      need_root
      build_rootfs
      ;;
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status || exit $? ;;
    env) cmd_env ;;
    leftovers) report_leftovers || exit $? ;;
    artifacts) cmd_artifacts ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
