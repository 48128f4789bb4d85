#!/usr/bin/env bash
# The platform end to end under injected failures, on the dev stack (scripts/dev-stack.sh up): every failure is
# injected the way the real thing reaches the platform, one cycle of each job runs, and a PASS/FAIL table says, per
# injected failure, whether it surfaced and how many seconds after the injection.
#
#   scripts/stress_test.sh [--timeout S] [--settle S] [--disable network|logs|capacity]...
#     --timeout S    hard limit on the whole run, cleanup excluded (default 300)
#     --settle S     after the cycle's last job ended, how long a row may still take to surface (default 45)
#     --disable D    do not run detector D's jobs (network: anomaly-scorer train + detect; logs: log-classifier train + classify;
#                    capacity: forecaster forecast). Its failures are still injected and checked, so their rows
#                    must FAIL: the proof that a row's PASS comes from the detector. Repeatable, or comma-separated;
#                    AIOPS_STRESS_DISABLE=logs,network does the same.
#   Needs root (losetup, mount), the dev stack up, stress-ng (scripts/dev-stack.sh install), promtool. The jobs run
#   from their bundles (`node services/<service>/dist/cli.js`, as cron_setup.sh runs them; built when missing).
#
# Injected (scripts/stress/injections.ts, zeek-injection.ts):
#   network   real benign Zeek conn records (data/zeek, CTU) with a vertical port scan, DNS exfiltration and a bulk
#             upload blended in (@aiops/zeek's generators), written into the folder zeek-ingest --follow reads
#   disk      a 64 MiB ext4 image, loop-mounted under the stack folder (node_exporter sees it), filled to 91 %
#   cpu       stress-ng on every CPU for 45 s at nice 19
#   logs      ~4,000 real syslog lines (Loghub Linux + OpenSSH) and 40 critical kernel lines (oom-killer,
#             EXT4-fs error, remount read-only) over TCP syslog into the dev rsyslog → Elasticsearch
# Rows and what each checks: scripts/stress/checks.ts, and docs/runbook.md#the-end-to-end-check-stress-test.
#
# What differs from production (said here and in docs/runbook.md#the-end-to-end-check-stress-test):
#   - Alert rules: the mixin's stress profile (pnpm mixin:generate --profile stress): every `for:` is 10 s instead
#     of 5 m – 14 d; expressions, thresholds, labels and annotations are production's. Restored afterwards.
#   - Alertmanager: infrastructure/alertmanager/alertmanager.yml (routes, inhibition, templates) with the receivers'
#     URL files pointing at a receiver this run starts on 127.0.0.1, and group_wait/group_interval 1 s/2 s.
#   - Capacity history: the forecaster needs ≥ 2 days; the loop filesystem's 3 days before the run are backfilled
#     (promtool) as node_exporter's own series, a rise from 40 % to 88 %; only the fill itself is measured live.
#   - Models are trained at the start of the run (Benign CTU rows for the network, the shipped labels for logs),
#     not weekly; scrape and evaluation every 5 s (production 15 s); jobs run once, not from cron.
#   - Everything lives under the run's own index prefix and instance label; nothing leaves 127.0.0.1.
#
# Always cleans up, also on failure or Ctrl-C (trap): the dev configs restored, the run's indices, templates,
# Pushgateway groups and Prometheus series deleted, its processes stopped, the filesystem unmounted, the loop
# device detached, its folder removed.
# Exit codes: 0 every row PASS, 1 a row FAILed, 2 usage error or something missing, 3 cleanup left something.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT=$PWD

TIMEOUT=300
SETTLE=45
DISABLE=${AIOPS_STRESS_DISABLE:-}

say() { printf 'stress_test: %s\n' "$*" >&2; }
die() {
  local code=$1
  shift
  say "$*"
  exit "$code"
}
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

while (($#)); do
  case $1 in
    --timeout) TIMEOUT=${2:?--timeout needs seconds}; shift 2 ;;
    --settle) SETTLE=${2:?--settle needs seconds}; shift 2 ;;
    --disable) DISABLE=${DISABLE:+$DISABLE,}${2:?--disable needs network, logs or capacity}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[[ $TIMEOUT =~ ^[0-9]+$ && $SETTLE =~ ^[0-9]+$ ]] || die 2 "--timeout and --settle take whole seconds"
((TIMEOUT >= 60 && TIMEOUT <= 1800)) || die 2 "--timeout must be within 60..1800 s"
IFS=, read -r -a disabled <<<"$DISABLE"
for d in "${disabled[@]}"; do
  [[ $d == network || $d == logs || $d == capacity ]] || die 2 "--disable takes network, logs or capacity, not '$d'"
done

[[ $EUID -eq 0 ]] || die 2 "needs root (losetup, mount)"
missing=()
for cmd in losetup mkfs.ext4 mount umount mountpoint fallocate stress-ng nice promtool curl node pnpm timeout; do
  command -v "$cmd" >/dev/null || missing+=("$cmd")
done
((${#missing[@]} == 0)) || die 2 "missing: ${missing[*]} (scripts/dev-stack.sh install)"

# The stack's settings (ports, folder) as dev-stack.sh derives them from the same AIOPS_* variables.
while IFS='=' read -r name value; do
  case $name in
    AIOPS_STACK_DIR | AIOPS_PROMETHEUS_URL | AIOPS_PUSHGATEWAY_URL | AIOPS_ALERTMANAGER_URL | AIOPS_NODE_EXPORTER_URL | AIOPS_RSYSLOG_TCP_PORT)
      export "$name=${!name:-$value}" ;;
    AIOPS_ES_URL) export AIOPS_ES_URLS=${AIOPS_ES_URLS:-$value} ;;
  esac
done < <(scripts/dev-stack.sh env)
for url in "$AIOPS_ES_URLS" "$AIOPS_PROMETHEUS_URL" "$AIOPS_PUSHGATEWAY_URL" "$AIOPS_ALERTMANAGER_URL" "$AIOPS_NODE_EXPORTER_URL"; do
  [[ $url =~ ^https?://(127\.0\.0\.1|localhost)(:[0-9]+)?/?$ ]] || die 2 "the stress run talks to loopback only, not $url"
done
# The jobs run as cron runs them: each service's bundle (`pnpm build`), built here when one is missing.
for b in services/{zeek-ingest,anomaly-scorer,forecaster,log-classifier,pushgateway-exporter}/dist/cli.js packages/common/dist/cli.js; do
  [[ -f $b ]] || { say "$b missing: pnpm build"; pnpm -s build >&2 || die 2 "pnpm build failed"; break; }
done
scripts/dev-stack.sh status elasticsearch prometheus pushgateway alertmanager node-exporter rsyslog >/dev/null ||
  die 2 "the dev stack is not up (scripts/dev-stack.sh up; status: scripts/dev-stack.sh status)"

RUN=st$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
WORK=$AIOPS_STACK_DIR/stress/$RUN
MNT=$WORK/mnt
IMG=$WORK/disk.img
LOOP=""
mkdir -p "$MNT"

# shellcheck disable=SC2317 # called from the trap
stop_processes() {
  [[ -f $WORK/pids ]] || return 0
  local pid what i
  while read -r pid what; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done <"$WORK/pids"
  for ((i = 0; i < 50; i++)); do
    local alive=0
    while read -r pid what; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done <"$WORK/pids"
    ((alive)) || return 0
    sleep 0.1
  done
  while read -r pid what; do
    say "cleanup: $what (process group $pid) ignored SIGTERM: SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || true
  done <"$WORK/pids"
}

# shellcheck disable=SC2317 # the trap
cleanup() {
  local rc=$? left=0
  trap - EXIT INT TERM
  say "cleanup"
  timeout 90 pnpm exec tsx scripts/stress/cleanup.ts || left=1
  stop_processes
  if mountpoint -q "$MNT"; then
    umount "$MNT" 2>/dev/null || { sleep 1; umount "$MNT"; } || { say "cleanup: umount $MNT failed: lazy unmount"; umount -l "$MNT"; } || left=1
  fi
  [[ -n $LOOP ]] && { losetup -d "$LOOP" || left=1; }
  [[ -z $(losetup -j "$IMG" 2>/dev/null) ]] || { say "cleanup: $IMG still has a loop device"; left=1; }
  rm -rf "$WORK"
  rmdir "$AIOPS_STACK_DIR/stress" 2>/dev/null || true
  ((left == 0)) || say "cleanup left something behind (see above)"
  ((rc == 0 && left == 1)) && rc=3
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The filesystem the disk rows fill: an ext4 image on a loop device, no reserved blocks (so "full" means full).
truncate -s 64M "$IMG"
mkfs.ext4 -q -F -m 0 "$IMG"
LOOP=$(losetup --find --show "$IMG")
mount -t ext4 "$LOOP" "$MNT"
say "run $RUN: $LOOP on $MNT; timeout ${TIMEOUT} s${DISABLE:+; disabled: $DISABLE}"

export AIOPS_STRESS_RUN=$RUN AIOPS_STRESS_WORK=$WORK AIOPS_STRESS_MOUNT=$MNT AIOPS_STRESS_LOOP_DEVICE=$LOOP
export AIOPS_STRESS_DISABLE=$DISABLE AIOPS_STRESS_SETTLE=$SETTLE
AIOPS_STRESS_DEADLINE=$((($(date +%s) + TIMEOUT) * 1000))
export AIOPS_STRESS_DEADLINE
rc=0
timeout --kill-after=10 "$((TIMEOUT + 15))" pnpm exec tsx "$REPO_ROOT/scripts/stress/run.ts" || rc=$?
((rc == 124 || rc == 137)) && say "the run hit --timeout ${TIMEOUT} s"
((rc <= 1)) || rc=1
exit "$rc"
