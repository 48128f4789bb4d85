#!/usr/bin/env bash
# The dev stack: the real servers the integration tests talk to, on loopback, without systemd or Docker.
#
#   scripts/dev-stack.sh install                 Debian packages (servers + the tools the tests run), JDK/Maven if
#                                                missing, the Elasticsearch zip
#   scripts/dev-stack.sh up [component...]       start (idempotent) and wait until each answers
#   scripts/dev-stack.sh down [component...]     SIGTERM, SIGKILL after a timeout (no args: everything)
#   scripts/dev-stack.sh status [component...]   running = PID alive AND port answers; exit 0 all up, 3 otherwise
#   scripts/dev-stack.sh restart <component...>  down + up
#   scripts/dev-stack.sh env                     print the settings in use
#
# Components (default set = the first six):
#   elasticsearch  http://127.0.0.1:9200   (transport 9300)  Elasticsearch 8 from Maven Central, security off
#   prometheus     http://127.0.0.1:9090   infrastructure/dev-stack/prometheus.yml, 30 d retention
#   pushgateway    http://127.0.0.1:9091   persisted to a file
#   alertmanager   http://127.0.0.1:9093   infrastructure/dev-stack/alertmanager.yml, gossip off
#   node-exporter  http://127.0.0.1:9100
#   rsyslog        tcp+udp 127.0.0.1:5514 syslog in (port: 5514 + the Elasticsearch port - 9200, so each stack on
#                  its own ports gets its own), imfile on <stack>/rsyslog/files/{syslog,auth,kern,app}/*.log, out into
#                  this stack's Elasticsearch as ${AIOPS_ES_INDEX_PREFIX}logs-YYYY.MM.DD (infrastructure/rsyslog)
#   es-secure      https://127.0.0.1:9201  (transport 9301) the same Elasticsearch with TLS + auth; only when
#                  named (`up es-secure`); its URL, CA and password file are in <stack>/es-secure/connection.env
#   es-cluster     http://127.0.0.1:9202,9203,9204 (transport 9302-9304) three nodes of the same Elasticsearch
#                  forming one cluster (aiops-cluster), security off, 512m heap each; only when named (`up es-cluster`,
#                  or one node: es-cluster-1, es-cluster-2, es-cluster-3); ready = green with all three nodes
#
# Everything (configs copies, data, logs, PID files, the unpacked Elasticsearch) lives under
# AIOPS_STACK_DIR (default <repo>/.stack); `rm -rf .stack` after `down` resets the stack.
# The Elasticsearch zip is cached in AIOPS_CACHE_DIR (default ~/.cache/aiops). Elasticsearch refuses to run
# as root: when run as root this script runs it as the system user aiops-es (created if missing).
# See docs/adr/0001-elasticsearch-8-from-maven-integ-test-zip.md.
#
# Environment overrides: ES_VERSION, AIOPS_STACK_DIR, AIOPS_CACHE_DIR, AIOPS_ES_JAVA_HOME, AIOPS_ES_USER,
# AIOPS_ES_HEAP (1g), AIOPS_ES_SECURE_HEAP (512m), AIOPS_ES_PORT, AIOPS_ES_TRANSPORT_PORT, AIOPS_PROMETHEUS_PORT,
# AIOPS_PUSHGATEWAY_PORT, AIOPS_ALERTMANAGER_PORT, AIOPS_NODE_EXPORTER_PORT, AIOPS_RSYSLOG_TCP_PORT,
# AIOPS_RSYSLOG_UDP_PORT, AIOPS_ES_INDEX_PREFIX (rsyslog's index prefix, empty by default), AIOPS_ES_SECURE_PORT,
# AIOPS_ES_SECURE_TRANSPORT_PORT, AIOPS_ES_CLUSTER_PORT (9202: the first node's; the others follow),
# AIOPS_ES_CLUSTER_TRANSPORT_PORT (9302), AIOPS_ES_CLUSTER_HEAP (512m), AIOPS_ES_CLUSTER_READY_TIMEOUT (240 s),
# AIOPS_ES_READY_TIMEOUT (120 s), AIOPS_READY_TIMEOUT (20 s),
# AIOPS_ES_STOP_TIMEOUT (60 s), AIOPS_STOP_TIMEOUT (15 s).
#
# Exit codes: 0 ok, 1 a component failed to start or stop, 2 usage error or something missing, 3 `status`
# found a component not running.
set -euo pipefail

# The code is in scripts/dev-stack/, one file per concept (each starts with what it holds); this file keeps the
# usage text (the comment above, printed by `usage`), the settings, the argument checks and the dispatch.
#   common.sh            messages, time, PID and log files, process checks, launching a server, the stack lock
#   components.sh        the component table: ports, URLs, command-line markers, binaries, probes, timeouts
#   commands.sh          up, down, status
#   install.sh           install (Debian packages, Java/Maven, the Elasticsearch zip: fetch + unzip), what up lacks
#   elasticsearch.sh     what both Elasticsearch nodes share (user, folders, launch) and the dev node
#   es-secure.sh         the TLS + auth node: certificates, password, keystore, connection.env
#   es-cluster.sh        the three-node cluster es-cluster-1..3: ports, discovery, its green-with-3-nodes probe
#   es-analysis-shim.sh  es-secure's home with the analysis shim plugin, built with javac
#   prometheus-stack.sh  prometheus, pushgateway, alertmanager, node-exporter
#   rsyslog.sh           rsyslog, the log shipper (infrastructure/rsyslog), validated with rsyslogd -N1
SCRIPT_DIR=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd -P "$SCRIPT_DIR/.." && pwd)
CONFIG_SRC=$REPO_ROOT/infrastructure/dev-stack
SELF="scripts/dev-stack.sh"

# ---------------------------------------------------------------------------------------------------- settings
ES_VERSION=${ES_VERSION:-8.19.21}
ES_MAVEN_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
CACHE_DIR=${AIOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aiops}
ES_JAVA_HOME_DIR=${AIOPS_ES_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture 2>/dev/null || echo amd64)}
ES_USER=${AIOPS_ES_USER:-aiops-es}
ES_HEAP=${AIOPS_ES_HEAP:-1g}
ES_SECURE_HEAP=${AIOPS_ES_SECURE_HEAP:-512m}
ES_CLUSTER_HEAP=${AIOPS_ES_CLUSTER_HEAP:-512m}

ES_PORT=${AIOPS_ES_PORT:-9200}
ES_TRANSPORT_PORT=${AIOPS_ES_TRANSPORT_PORT:-9300}
PROMETHEUS_PORT=${AIOPS_PROMETHEUS_PORT:-9090}
PUSHGATEWAY_PORT=${AIOPS_PUSHGATEWAY_PORT:-9091}
ALERTMANAGER_PORT=${AIOPS_ALERTMANAGER_PORT:-9093}
NODE_EXPORTER_PORT=${AIOPS_NODE_EXPORTER_PORT:-9100}
RSYSLOG_TCP_PORT=${AIOPS_RSYSLOG_TCP_PORT:-$((5514 + ES_PORT - 9200))}
RSYSLOG_UDP_PORT=${AIOPS_RSYSLOG_UDP_PORT:-$RSYSLOG_TCP_PORT}
ES_SECURE_PORT=${AIOPS_ES_SECURE_PORT:-9201}
ES_SECURE_TRANSPORT_PORT=${AIOPS_ES_SECURE_TRANSPORT_PORT:-9301}
ES_CLUSTER_PORT=${AIOPS_ES_CLUSTER_PORT:-9202}
ES_CLUSTER_TRANSPORT_PORT=${AIOPS_ES_CLUSTER_TRANSPORT_PORT:-9302}

ES_READY_TIMEOUT=${AIOPS_ES_READY_TIMEOUT:-120}
# three JVMs starting at once on a shared 2-core machine, then electing a master and allocating replicas
ES_CLUSTER_READY_TIMEOUT=${AIOPS_ES_CLUSTER_READY_TIMEOUT:-240}
READY_TIMEOUT=${AIOPS_READY_TIMEOUT:-20}
ES_STOP_TIMEOUT=${AIOPS_ES_STOP_TIMEOUT:-60}
STOP_TIMEOUT=${AIOPS_STOP_TIMEOUT:-15}

APT_PACKAGES=(prometheus prometheus-pushgateway prometheus-alertmanager prometheus-node-exporter openssl curl unzip
  rsyslog rsyslog-elasticsearch
  # not servers, but what the transport tests run: scripts/generate_traffic.sh and its tshark check
  tshark nmap hping3 dnsmasq-base bind9-dnsutils iproute2)
DEFAULT_COMPONENTS=(elasticsearch prometheus pushgateway alertmanager node-exporter rsyslog)
ALL_COMPONENTS=("${DEFAULT_COMPONENTS[@]}" es-secure es-cluster-1 es-cluster-2 es-cluster-3)

# The stack folder, absolute and without symlinks: its path is part of each process's command line, which is
# how a PID file is checked against the process it names.
STACK_DIR=${AIOPS_STACK_DIR:-$REPO_ROOT/.stack}
[[ $STACK_DIR == /* ]] || STACK_DIR=$PWD/$STACK_DIR
if [[ -d $STACK_DIR ]]; then STACK_DIR=$(cd -P "$STACK_DIR" && pwd); fi
ES_DIST=$STACK_DIR/dist/elasticsearch-$ES_VERSION
ES_ZIP=$CACHE_DIR/elasticsearch-$ES_VERSION.zip

# ---------------------------------------------------------------------------------------------------- modules
# shellcheck source-path=SCRIPTDIR source=dev-stack/common.sh
source "$SCRIPT_DIR/dev-stack/common.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/components.sh
source "$SCRIPT_DIR/dev-stack/components.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/commands.sh
source "$SCRIPT_DIR/dev-stack/commands.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/install.sh
source "$SCRIPT_DIR/dev-stack/install.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/elasticsearch.sh
source "$SCRIPT_DIR/dev-stack/elasticsearch.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/es-secure.sh
source "$SCRIPT_DIR/dev-stack/es-secure.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/es-cluster.sh
source "$SCRIPT_DIR/dev-stack/es-cluster.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/es-analysis-shim.sh
source "$SCRIPT_DIR/dev-stack/es-analysis-shim.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/prometheus-stack.sh
source "$SCRIPT_DIR/dev-stack/prometheus-stack.sh"
# shellcheck source-path=SCRIPTDIR source=dev-stack/rsyslog.sh
source "$SCRIPT_DIR/dev-stack/rsyslog.sh"

# ------------------------------------------------------------------------------------ usage, env, the dispatch
usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

cmd_env() {
  cat <<ENV
ES_VERSION=$ES_VERSION
AIOPS_STACK_DIR=$STACK_DIR
AIOPS_CACHE_DIR=$CACHE_DIR
AIOPS_ES_JAVA_HOME=$ES_JAVA_HOME_DIR
AIOPS_ES_USER=$ES_USER
AIOPS_ES_HEAP=$ES_HEAP
AIOPS_ES_SECURE_HEAP=$ES_SECURE_HEAP
AIOPS_ES_URL=$(url_of elasticsearch)
AIOPS_PROMETHEUS_URL=$(url_of prometheus)
AIOPS_PUSHGATEWAY_URL=$(url_of pushgateway)
AIOPS_ALERTMANAGER_URL=$(url_of alertmanager)
AIOPS_NODE_EXPORTER_URL=$(url_of node-exporter)
AIOPS_RSYSLOG_TCP_PORT=$RSYSLOG_TCP_PORT
AIOPS_RSYSLOG_UDP_PORT=$RSYSLOG_UDP_PORT
AIOPS_RSYSLOG_FILES_DIR=$STACK_DIR/rsyslog/files
AIOPS_SECURE_ES_URL=$(url_of es-secure)
AIOPS_ES_CLUSTER_URLS=$(es_cluster_urls)
ENV
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  local c
  local -a named=()
  for c in "$@"; do # es-cluster = its three nodes
    if [[ $c == es-cluster ]]; then named+=("${ES_CLUSTER_NODES[@]}"); else named+=("$c"); fi
  done
  set -- ${named[@]+"${named[@]}"}
  for c in "$@"; do
    is_component "$c" || die 2 "unknown component '$c' (known: ${ALL_COMPONENTS[*]} es-cluster)"
  done
  case $cmd in
    install)
      (($# == 0)) || die 2 "install takes no component"
      open_stack
      cmd_install
      ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    restart)
      (($#)) || die 2 "usage: $SELF restart <component...>"
      cmd_down "$@"
      cmd_up "$@"
      ;;
    env) cmd_env ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
