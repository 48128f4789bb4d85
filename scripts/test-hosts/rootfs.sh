# shellcheck shell=bash
# test-hosts: the one root filesystem every host starts from (read-only lower layer of a per-host overlay):
# debootstrap minbase + what Ansible needs, apt through apt-cacher-ng on the bridge gateway, no SSH host keys
# (each host makes its own at start). Built once into the cache, atomically (a half-built tree never has the
# final name). Sourced by scripts/test-hosts.sh (after its settings).

build_rootfs() {
  if [[ -f $ROOTFS/.aiops-rootfs ]]; then
    info "root filesystem cached: $ROOTFS"
    return 0
  fi
  command -v debootstrap >/dev/null || die 2 "debootstrap missing; run: $SELF install"
  mkdir -p "$CACHE_DIR"
  local tmp=$ROOTFS.partial t0
  t0=$(now_ms)
  rm -rf --one-file-system "$tmp"
  info "debootstrap --variant=minbase $SUITE (+ $ROOTFS_PACKAGES) into $tmp"
  if ! debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" "$SUITE" "$tmp" "$MIRROR" >"$CACHE_DIR/debootstrap.log" 2>&1; then
    tail -n 30 "$CACHE_DIR/debootstrap.log" >&2
    die 1 "debootstrap failed (full log: $CACHE_DIR/debootstrap.log)"
  fi
  cat >"$tmp/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian}/debian-security $SUITE-security main
SOURCES
  # fresh package lists in the base (the build runs with this machine's network): Ansible's apt cache_valid_time
  # then skips six `apt-get update`s in a run that follows the build; an old cached base gets updated as usual
  chroot "$tmp" apt-get update -q >>"$CACHE_DIR/debootstrap.log" 2>&1 || die 1 "apt-get update in the root filesystem failed"
  # the hosts have no NAT and no resolver: apt goes through apt-cacher-ng on the gateway
  printf 'Acquire::http::Proxy "http://%s:%s";\n' "$GATEWAY" "$ACNG_PORT" >"$tmp/etc/apt/apt.conf.d/01proxy"
  # six hosts fetching one InRelease at once can leave apt-cacher-ng holding a request open for good ("Failure to
  # move file … out of the way"); an idle timeout with retries turns that hang into a second request
  printf 'Acquire::http::Timeout "30";\nAcquire::Retries "3";\n' >"$tmp/etc/apt/apt.conf.d/03timeouts"
  # minbase keeps no documentation or caches we would copy into six overlays
  printf 'APT::Install-Recommends "false";\n' >"$tmp/etc/apt/apt.conf.d/02no-recommends"
  rm -f "$tmp"/etc/ssh/ssh_host_*
  install -d -m 0700 "$tmp/root/.ssh"
  printf 'PasswordAuthentication no\nUseDNS no\nPermitRootLogin prohibit-password\n' >"$tmp/etc/ssh/sshd_config.d/aiops-test-hosts.conf"
  chroot "$tmp" apt-get clean
  rm -rf "$tmp"/var/log/*.log
  printf 'suite=%s packages=%s version=%s built=%s\n' "$SUITE" "$ROOTFS_PACKAGES" "$ROOTFS_VERSION" "$(date -Is)" >"$tmp/.aiops-rootfs"
  mv "$tmp" "$ROOTFS"
  # earlier builds (another package list or customisation) are dead weight in the cache
  local old
  for old in "$CACHE_DIR"/rootfs-"$SUITE"-*; do
    [[ $old == "$ROOTFS" || ! -d $old ]] || rm -rf --one-file-system "$old"
  done
  info "root filesystem built in $(secs_since "$t0") s: $ROOTFS ($(du -sh "$ROOTFS" | cut -f1))"
}
