# shellcheck shell=bash
# dev-stack: the component table. For each component (elasticsearch, es-secure, es-cluster-1..3, prometheus,
# pushgateway, alertmanager, node-exporter, rsyslog): its ports and URL, the marker its command line carries, its binary and Debian
# package, its readiness probe, its start and stop timeouts, and the function that starts it.
# Sourced by scripts/dev-stack.sh (after its settings).

is_component() {
  local c
  for c in "${ALL_COMPONENTS[@]}"; do [[ $c == "$1" ]] && return 0; done
  return 1
}

# The Elasticsearch nodes: started first (they are the slow ones), with their own timeouts.
is_es() { [[ $1 == elasticsearch || $1 == es-secure ]] || is_es_cluster_node "$1"; }

port_of() {
  case $1 in
    elasticsearch) echo "$ES_PORT" ;;
    prometheus) echo "$PROMETHEUS_PORT" ;;
    pushgateway) echo "$PUSHGATEWAY_PORT" ;;
    alertmanager) echo "$ALERTMANAGER_PORT" ;;
    node-exporter) echo "$NODE_EXPORTER_PORT" ;;
    es-secure) echo "$ES_SECURE_PORT" ;;
    rsyslog) echo "$RSYSLOG_TCP_PORT" ;;
    es-cluster-*) es_cluster_http_port "$1" ;;
  esac
}

# Every port the component listens on, one a line: the HTTP port, then the transport port of an Elasticsearch node.
ports_of() {
  port_of "$1"
  case $1 in
    elasticsearch) echo "$ES_TRANSPORT_PORT" ;;
    es-secure) echo "$ES_SECURE_TRANSPORT_PORT" ;;
    es-cluster-*) es_cluster_transport_port "$1" ;;
  esac
}

url_of() {
  if [[ $1 == rsyslog ]]; then
    echo "tcp://127.0.0.1:$RSYSLOG_TCP_PORT"
    return
  fi
  if [[ $1 == es-secure ]]; then echo "https://127.0.0.1:$ES_SECURE_PORT"; else echo "http://127.0.0.1:$(port_of "$1")"; fi
}

# A string that every stage of the component's command line contains (wrapper, setpriv, env, java).
marker_of() {
  case $1 in
    elasticsearch | es-secure | es-cluster-*) echo "$STACK_DIR/$1/" ;;
    prometheus) echo "--storage.tsdb.path=$STACK_DIR/prometheus/data" ;;
    pushgateway) echo "--persistence.file=$STACK_DIR/pushgateway/metrics.store" ;;
    alertmanager) echo "--storage.path=$STACK_DIR/alertmanager/data" ;;
    node-exporter) echo "--collector.textfile.directory=$STACK_DIR/node-exporter/textfile" ;;
    rsyslog) echo "-f $STACK_DIR/rsyslog/conf/rsyslog.conf" ;;
  esac
}

binary_of() {
  case $1 in
    prometheus) echo /usr/bin/prometheus ;;
    pushgateway) echo /usr/bin/prometheus-pushgateway ;;
    alertmanager) echo /usr/bin/prometheus-alertmanager ;;
    node-exporter) echo /usr/bin/prometheus-node-exporter ;;
    rsyslog) echo /usr/sbin/rsyslogd ;;
  esac
}

package_of() {
  case $1 in
    prometheus) echo prometheus ;;
    pushgateway) echo prometheus-pushgateway ;;
    alertmanager) echo prometheus-alertmanager ;;
    node-exporter) echo prometheus-node-exporter ;;
    rsyslog) echo rsyslog ;;
  esac
}

# One readiness probe, a few seconds at most. Exit 0 when the component answers.
probe() {
  local comp=$1 mode=${2:-ready}
  case $comp in
    elasticsearch)
      if [[ $mode == ready ]]; then
        curl_local -o /dev/null -m 5 "http://127.0.0.1:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s"
      else
        curl_local -o /dev/null -m 5 "http://127.0.0.1:$ES_PORT/_cluster/health"
      fi
      ;;
    es-secure)
      local pw q=""
      pw=$(<"$(es_secure_password_file)") || return 1
      [[ $mode == ready ]] && q="?wait_for_status=yellow&timeout=1s"
      # the password goes through curl's config on stdin, not the command line (ps would show it)
      printf 'user = "elastic:%s"\n' "$pw" |
        curl_local -K - -o /dev/null -m 5 --cacert "$(es_secure_ca)" "https://127.0.0.1:$ES_SECURE_PORT/_cluster/health$q"
      ;;
    es-cluster-*) probe_es_cluster_node "$comp" "$mode" ;;
    node-exporter) curl_local -o /dev/null -m 5 "http://127.0.0.1:$NODE_EXPORTER_PORT/metrics" ;;
    # no HTTP: ready when the TCP syslog input accepts a connection
    rsyslog) port_in_use "$RSYSLOG_TCP_PORT" ;;
    *) curl_local -o /dev/null -m 3 "$(url_of "$comp")/-/ready" ;;
  esac
}

ready_timeout_of() {
  if is_es_cluster_node "$1"; then
    echo "$ES_CLUSTER_READY_TIMEOUT"
  elif is_es "$1"; then echo "$ES_READY_TIMEOUT"; else echo "$READY_TIMEOUT"; fi
}

stop_timeout_of() {
  if is_es "$1"; then echo "$ES_STOP_TIMEOUT"; else echo "$STOP_TIMEOUT"; fi
}

start_component() {
  case $1 in
    elasticsearch) start_elasticsearch ;;
    es-secure) start_es_secure ;;
    es-cluster-*) start_es_cluster_node "$1" ;;
    prometheus) start_prometheus ;;
    pushgateway) start_pushgateway ;;
    alertmanager) start_alertmanager ;;
    node-exporter) start_node_exporter ;;
    rsyslog) start_rsyslog ;;
  esac
}
