#!/usr/bin/env bash
# The ML node's cron entries: one /etc/cron.d file that runs each batch job under flock, with the jobs'
# settings from an env file, each job's output appended to its own log (rotated by logrotate).
#
#   scripts/cron_setup.sh [options]              install or update (idempotent: an unchanged file is not rewritten)
#   scripts/cron_setup.sh --dry-run [options]    print the crontab it would install, change nothing
#   scripts/cron_setup.sh --uninstall [options]  remove the cron file and the logrotate file (logs and locks stay)
#   scripts/cron_setup.sh --run JOB              what cron calls: load the env file, run one job, exit with its code
#
# Jobs (name, default schedule, command run from --app-dir; each service's compiled bin, `pnpm build`, so a job does
# not pay tsx's start-up: `pnpm bench startup`):
#   log-classification  */5 * * * *   log-classifier classify              logs-* → logs-classified-*
#   anomaly-detection   */10 * * * *  anomaly-scorer detect                zeek-conn-* → anomalies-*
#   forecast            20 1 * * *    forecaster forecast                  daily: Prometheus → forecasts-* + gauges
#   training-anomaly    40 2 * * 0    anomaly-scorer train --since 7d      weekly, Sunday
#   training-forecast   10 3 * * 0    forecaster train                     weekly, Sunday
#   exporter-drain      * * * * *     pushgateway-exporter drain           every minute: outbox → Pushgateway
# where <service> runs as `node services/<service>/dist/cli.js`.
#
# Options (defaults in brackets):
#   --app-dir DIR        the project checkout or release the jobs run from [/opt/aiops/current]
#   --user USER          the user the jobs run as [aiops]
#   --env-file FILE      KEY=value lines loaded before each job (AIOPS_CONFIG, *_FILE secrets) [/etc/aiops/aiops.env]
#   --log-dir DIR        one <job>.log per job [/var/log/aiops]
#   --lock-dir DIR       one <job>.lock per job for flock [/var/lib/aiops/locks]
#   --cron-file FILE     [/etc/cron.d/aiops]  (cron.d file names must not contain a dot)
#   --logrotate-file F   [/etc/logrotate.d/aiops]
#   --schedule JOB=SPEC  (or --schedule=JOB=SPEC) replace one job's schedule, e.g. --schedule forecast='0 */6 * * *'; repeatable
#   --disable JOB        leave one job out; repeatable
#   --path PATH          PATH for the jobs [/usr/local/bin:/usr/bin:/bin]
#
# A job that is still running when cron starts it again is skipped (flock -n, exit 75 in its log), the jobs' own
# lock (exit 75) covers runs started by hand. Exit codes: 0 ok (installed, unchanged or removed), 1 failure,
# 64 usage; --run exits with the job's code (docs/contracts.md).
set -euo pipefail

SELF=scripts/cron_setup.sh
MARKER="# managed by $SELF"

APP_DIR=/opt/aiops/current
JOB_USER=aiops
ENV_FILE=/etc/aiops/aiops.env
LOG_DIR=/var/log/aiops
LOCK_DIR=/var/lib/aiops/locks
CRON_FILE=/etc/cron.d/aiops
LOGROTATE_FILE=/etc/logrotate.d/aiops
JOB_PATH=/usr/local/bin:/usr/bin:/bin
MODE=install
RUN_JOB=""

# The job table: the one place that names each job, its schedule and its command: the service whose bundle runs
# (`node services/<service>/dist/cli.js`, relative to --app-dir) and its arguments.
JOB_TABLE=(
  'log-classification|*/5 * * * *|log-classifier classify'
  'anomaly-detection|*/10 * * * *|anomaly-scorer detect'
  'forecast|20 1 * * *|forecaster forecast'
  'training-anomaly|40 2 * * 0|anomaly-scorer train --since 7d'
  'training-forecast|10 3 * * 0|forecaster train'
  'exporter-drain|* * * * *|pushgateway-exporter drain'
)
JOBS=()
declare -A SCHEDULE=() COMMAND=()
for row in "${JOB_TABLE[@]}"; do
  IFS='|' read -r job schedule command <<<"$row"
  JOBS+=("$job")
  SCHEDULE[$job]=$schedule
  COMMAND[$job]=$command
done
unset row job schedule command
declare -A DISABLED=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }
say() { printf 'cron_setup: %s\n' "$*" >&2; }
usage_error() {
  say "$*"
  say "see: $SELF --help"
  exit 64
}
is_job() { [[ -n ${SCHEDULE[$1]:-} ]]; }
# the bundle of the service a job runs (its command's first word), relative to --app-dir
job_bundle() { echo "services/${COMMAND[$1]%% *}/dist/cli.js"; }

# A cron field set: five fields of digits, *, /, -, commas (named months/days too); no % (cron would split there).
valid_schedule() { [[ $1 =~ ^[[:space:]]*([0-9A-Za-z*/,-]+[[:space:]]+){4}[0-9A-Za-z*/,-]+[[:space:]]*$ ]]; }

parse_args() {
  while (($#)); do
    # --option=value is --option value
    if [[ $1 == --*=* ]]; then set -- "${1%%=*}" "${1#*=}" "${@:2}"; fi
    case $1 in
      --dry-run) MODE=dry-run ;;
      --uninstall) MODE=uninstall ;;
      --run)
        MODE=run
        RUN_JOB=${2:?--run needs a job name}
        shift
        ;;
      --app-dir | --user | --env-file | --log-dir | --lock-dir | --cron-file | --logrotate-file | --schedule | --disable | --path)
        (($# >= 2)) || usage_error "$1 needs a value"
        case $1 in
          --app-dir) APP_DIR=$2 ;;
          --user) JOB_USER=$2 ;;
          --env-file) ENV_FILE=$2 ;;
          --log-dir) LOG_DIR=$2 ;;
          --lock-dir) LOCK_DIR=$2 ;;
          --cron-file) CRON_FILE=$2 ;;
          --logrotate-file) LOGROTATE_FILE=$2 ;;
          --path) JOB_PATH=$2 ;;
          --schedule)
            local job=${2%%=*} spec=${2#*=}
            [[ $2 == *=* ]] || usage_error "--schedule wants JOB=SPEC, got '$2'"
            is_job "$job" || usage_error "--schedule: unknown job '$job' (known: ${JOBS[*]})"
            valid_schedule "$spec" || usage_error "--schedule $job: '$spec' is not five cron fields"
            SCHEDULE[$job]=$spec
            ;;
          --disable)
            is_job "$2" || usage_error "--disable: unknown job '$2' (known: ${JOBS[*]})"
            DISABLED[$2]=1
            ;;
        esac
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
    shift
  done
  [[ $(basename "$CRON_FILE") != *.* ]] || usage_error "--cron-file: cron ignores files whose name has a dot ($CRON_FILE)"
  local v
  for v in "$APP_DIR" "$ENV_FILE" "$LOG_DIR" "$LOCK_DIR"; do
    [[ $v == /* && $v != *[[:space:]]* ]] || usage_error "paths must be absolute and without spaces: '$v'"
  done
}

self_path() { echo "$APP_DIR/scripts/cron_setup.sh"; }

crontab_text() {
  local job
  echo "$MARKER: do not edit by hand, rerun it (--dry-run shows this file)."
  echo "SHELL=/bin/bash"
  echo "PATH=$JOB_PATH"
  for job in "${JOBS[@]}"; do
    [[ -n ${DISABLED[$job]:-} ]] && continue
    printf '%s %s flock -n -E 75 %s/%s.lock %s --run %s --app-dir %s --env-file %s >>%s/%s.log 2>&1\n' \
      "${SCHEDULE[$job]}" "$JOB_USER" "$LOCK_DIR" "$job" "$(self_path)" "$job" "$APP_DIR" "$ENV_FILE" "$LOG_DIR" "$job"
  done
}

logrotate_text() {
  cat <<ROTATE
$MARKER
$LOG_DIR/*.log {
    daily
    rotate 14
    maxsize 50M
    compress
    delaycompress
    missingok
    notifempty
    copytruncate
    su $JOB_USER $JOB_USER
}
ROTATE
}

# Writes $2 into file $1 only when it differs (atomically, mode 0644 root); prints "changed" or "unchanged".
write_if_changed() {
  local file=$1 text=$2 tmp
  if [[ -f $file ]] && [[ $(cat "$file") == "$text" ]]; then
    echo unchanged
    return 0
  fi
  tmp=$(mktemp "$(dirname "$file")/.aiops-XXXXXX")
  printf '%s\n' "$text" >"$tmp"
  chmod 0644 "$tmp"
  mv "$tmp" "$file"
  echo changed
}

install_cron() {
  [[ $EUID -eq 0 ]] || { say "installing into $CRON_FILE needs root"; exit 1; }
  id "$JOB_USER" >/dev/null 2>&1 || { say "user '$JOB_USER' does not exist"; exit 1; }
  [[ -x $(self_path) ]] || say "warning: $(self_path) is missing or not executable: the entries would fail"
  local job
  for job in "${JOBS[@]}"; do
    [[ -n ${DISABLED[$job]:-} ]] && continue
    [[ -f $APP_DIR/$(job_bundle "$job") ]] || say "warning: $APP_DIR/$(job_bundle "$job") is missing: $job would fail until the release is built (pnpm build)"
  done
  [[ -r $ENV_FILE ]] || say "warning: env file $ENV_FILE is missing: the jobs would run with no settings"
  command -v flock >/dev/null || { say "flock missing (Debian package util-linux)"; exit 1; }
  install -d -m 0750 -o "$JOB_USER" -g "$JOB_USER" "$LOG_DIR" "$LOCK_DIR"
  mkdir -p "$(dirname "$CRON_FILE")" "$(dirname "$LOGROTATE_FILE")"
  local cron rotate
  cron=$(write_if_changed "$CRON_FILE" "$(crontab_text)")
  rotate=$(write_if_changed "$LOGROTATE_FILE" "$(logrotate_text)")
  if [[ $cron == unchanged && $rotate == unchanged ]]; then
    echo "unchanged: $CRON_FILE, $LOGROTATE_FILE"
  else
    echo "installed: $CRON_FILE ($cron), $LOGROTATE_FILE ($rotate)"
  fi
}

uninstall_cron() {
  local removed=()
  local f
  for f in "$CRON_FILE" "$LOGROTATE_FILE"; do
    if [[ -f $f ]]; then
      grep -qF "$MARKER" "$f" || { say "$f was not written by $SELF; left alone"; exit 1; }
      rm -f "$f"
      removed+=("$f")
    fi
  done
  if ((${#removed[@]})); then echo "removed: ${removed[*]}"; else echo "unchanged: nothing installed"; fi
}

run_job() {
  is_job "$RUN_JOB" || usage_error "--run: unknown job '$RUN_JOB' (known: ${JOBS[*]})"
  if [[ -r $ENV_FILE ]]; then
    set -a
    # shellcheck disable=SC1090 # the operator's env file
    . "$ENV_FILE"
    set +a
  fi
  cd "$APP_DIR"
  local bundle
  bundle=$(job_bundle "$RUN_JOB")
  [[ -f $bundle ]] || { say "$RUN_JOB: $APP_DIR/$bundle is missing: build the release first (pnpm build)"; exit 1; }
  local t0 rc=0
  t0=$(date +%s)
  local args
  read -r -a args <<<"${COMMAND[$RUN_JOB]#* }" # the table holds plain words
  say "$(date -Is) $RUN_JOB: start (node $bundle ${args[*]})"
  node "$bundle" "${args[@]}" || rc=$?
  say "$(date -Is) $RUN_JOB: exit $rc after $(($(date +%s) - t0)) s"
  exit "$rc"
}

main() {
  parse_args "$@"
  case $MODE in
    dry-run) crontab_text ;;
    install) install_cron ;;
    uninstall) uninstall_cron ;;
    run) run_job ;;
  esac
}

main "$@"
