# shellcheck shell=bash
# dev-stack: the Prometheus side of the stack, from the Debian packages: prometheus (config rendered from
# infrastructure/dev-stack/prometheus.yml with the ports in use), pushgateway (persisted to a file),
# alertmanager (infrastructure/dev-stack/alertmanager.yml, gossip off) and node-exporter. Each config is
# checked with promtool/amtool before the start. Sourced by scripts/dev-stack.sh (after its settings).

# Runs a config checker (promtool, amtool) on the stack's copy of a config; dies with its output when invalid.
check_config() { # comp copy source checker...
  local comp=$1 copy=$2 src=$3 out
  shift 3
  if ! out=$("$@" "$copy" 2>&1); then
    printf '%s\n' "$out" >&2
    die 1 "$comp: invalid config $copy (from $src)"
  fi
}

render_prometheus_config() {
  local dst=$1
  sed -e "s/127\.0\.0\.1:9090/127.0.0.1:$PROMETHEUS_PORT/g" \
    -e "s/127\.0\.0\.1:9091/127.0.0.1:$PUSHGATEWAY_PORT/g" \
    -e "s/127\.0\.0\.1:9093/127.0.0.1:$ALERTMANAGER_PORT/g" \
    -e "s/127\.0\.0\.1:9100/127.0.0.1:$NODE_EXPORTER_PORT/g" \
    "$CONFIG_SRC/prometheus.yml" >"$dst.tmp"
  mv "$dst.tmp" "$dst"
}

# The generated recording and alert rules (infrastructure/prometheus/rules/*.rules.yml, from packages/mixin), so
# the dev Prometheus evaluates what production does. Replaced as a whole on every start: a renamed or removed
# rule file does not linger. Tests put their own rule files beside, in <stack>/prometheus/rules/.
copy_generated_rules() {
  local dst=$1
  rm -rf "$dst.tmp"
  mkdir -p "$dst.tmp"
  cp "$REPO_ROOT"/infrastructure/prometheus/rules/*.rules.yml "$dst.tmp/"
  rm -rf "$dst"
  mv "$dst.tmp" "$dst"
}

start_prometheus() {
  local d=$STACK_DIR/prometheus
  mkdir -p "$d/data" "$d/rules"
  copy_generated_rules "$d/rules/generated"
  render_prometheus_config "$d/prometheus.yml"
  check_config prometheus "$d/prometheus.yml" "$CONFIG_SRC/prometheus.yml" promtool check config
  # --web.enable-admin-api: scripts/stress_test.sh deletes the series it injected (loopback only; never in production)
  launch prometheus /usr/bin/prometheus \
    --config.file="$d/prometheus.yml" \
    --storage.tsdb.path="$d/data" \
    --storage.tsdb.retention.time=30d \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
    --web.external-url="http://127.0.0.1:$PROMETHEUS_PORT/" \
    --web.enable-lifecycle \
    --web.enable-admin-api
}

start_pushgateway() {
  local d=$STACK_DIR/pushgateway
  mkdir -p "$d"
  launch pushgateway /usr/bin/prometheus-pushgateway \
    --web.listen-address="127.0.0.1:$PUSHGATEWAY_PORT" \
    --persistence.file="$d/metrics.store"
}

start_alertmanager() {
  local d=$STACK_DIR/alertmanager
  mkdir -p "$d/data"
  cp "$CONFIG_SRC/alertmanager.yml" "$d/alertmanager.yml.tmp"
  mv "$d/alertmanager.yml.tmp" "$d/alertmanager.yml"
  check_config alertmanager "$d/alertmanager.yml" "$CONFIG_SRC/alertmanager.yml" amtool check-config
  launch alertmanager /usr/bin/prometheus-alertmanager \
    --config.file="$d/alertmanager.yml" \
    --storage.path="$d/data" \
    --web.listen-address="127.0.0.1:$ALERTMANAGER_PORT" \
    --web.external-url="http://127.0.0.1:$ALERTMANAGER_PORT/" \
    --cluster.listen-address=
}

start_node_exporter() {
  local d=$STACK_DIR/node-exporter
  mkdir -p "$d/textfile"
  # the Debian build enables the systemd collector, which fails on every scrape without systemd as PID 1
  launch node-exporter /usr/bin/prometheus-node-exporter \
    --web.listen-address="127.0.0.1:$NODE_EXPORTER_PORT" \
    --no-collector.systemd \
    --collector.textfile.directory="$d/textfile"
}
