# shellcheck shell=bash
# dev-stack: rsyslog, the log shipper of the dev stack (Debian rsyslog + rsyslog-elasticsearch). It runs the
# shipped config (infrastructure/rsyslog: rsyslog.conf including aiops-contract.conf and aiops-inputs.conf) as
# its own daemon, not the system's: syslog over TCP and UDP on loopback, imfile on <stack>/rsyslog/files/<source>/*.log,
# everything into the dev Elasticsearch as `logs-YYYY.MM.DD` (prefixed with AIOPS_ES_INDEX_PREFIX when set, as
# every service of the project reads it), with a disk-assisted queue under <stack>/rsyslog/work.
# Sourced by scripts/dev-stack.sh (after its settings).

RSYSLOG_CONF_SRC=$REPO_ROOT/infrastructure/rsyslog

rsyslog_dir() { echo "$STACK_DIR/rsyslog"; }

# The environment the shipped config reads at load (its backtick `echo $VAR` values), one NAME=VALUE a line.
rsyslog_env() {
  local d
  d=$(rsyslog_dir)
  cat <<ENV
AIOPS_RSYSLOG_CONF_DIR=$d/conf
AIOPS_RSYSLOG_WORK_DIR=$d/work
AIOPS_RSYSLOG_FILES_DIR=$d/files
AIOPS_RSYSLOG_ERROR_FILE=$d/refused.jsonl
AIOPS_RSYSLOG_ADDRESS=127.0.0.1
AIOPS_RSYSLOG_TCP_PORT=$RSYSLOG_TCP_PORT
AIOPS_RSYSLOG_UDP_PORT=$RSYSLOG_UDP_PORT
AIOPS_RSYSLOG_ES_SERVER=http://127.0.0.1:$ES_PORT
AIOPS_RSYSLOG_INDEX_PREFIX=${AIOPS_ES_INDEX_PREFIX:-}
ENV
}

# Copies the shipped config into <stack>/rsyslog/conf and validates it with `rsyslogd -N1` before any start.
prepare_rsyslog() {
  local d
  d=$(rsyslog_dir)
  mkdir -p "$d/conf" "$d/work" "$d/files/syslog" "$d/files/auth" "$d/files/kern" "$d/files/app"
  local f
  for f in rsyslog.conf aiops-contract.conf aiops-inputs.conf; do
    cp "$RSYSLOG_CONF_SRC/$f" "$d/conf/$f.tmp"
    mv "$d/conf/$f.tmp" "$d/conf/$f"
  done
  rsyslog_env >"$d/rsyslog.env"
  local out
  # shellcheck disable=SC2046 # one NAME=VALUE word per line
  if ! out=$(env $(<"$d/rsyslog.env") /usr/sbin/rsyslogd -N1 -f "$d/conf/rsyslog.conf" 2>&1); then
    printf '%s\n' "$out" >&2
    die 1 "rsyslog: invalid config $d/conf/rsyslog.conf (from $RSYSLOG_CONF_SRC)"
  fi
}

start_rsyslog() {
  local d
  d=$(rsyslog_dir)
  prepare_rsyslog
  rm -f "$d/rsyslogd.pid"
  # -n: stay in the foreground (launch() holds the process group); -i: its own PID file, never /run/rsyslogd.pid
  # shellcheck disable=SC2046 # one NAME=VALUE word per line
  launch rsyslog env $(<"$d/rsyslog.env") /usr/sbin/rsyslogd -n -f "$d/conf/rsyslog.conf" -i "$d/rsyslogd.pid"
}
