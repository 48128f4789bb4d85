# shellcheck shell=bash
# dev-stack: Elasticsearch, what both nodes share and the dev node. The user it runs as (aiops-es when this
# script runs as root) and the clean environment it runs in, the per-node folders under <stack>/<node>, the
# launch of a single-node loopback node (launch_es), and the dev node `elasticsearch` itself (security off).
# The second node, es-secure, is in es-secure.sh. Sourced by scripts/dev-stack.sh (after its settings).

# ES_CMD = the prefix that runs a command as the Elasticsearch user (as is when not root) in a clean
# environment; append more NAME=VALUE pairs, then the command.
ES_CMD=()
es_cmd_prefix() {
  ES_CMD=()
  if am_root; then ES_CMD=(setpriv "--reuid=$ES_USER" "--regid=$ES_USER" --init-groups); fi
  ES_CMD+=(env -i "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "LANG=C.UTF-8"
    "HOME=$STACK_DIR" "ES_JAVA_HOME=$ES_JAVA_HOME_DIR")
}
# Elasticsearch wants at least 65535 open files (a warning on loopback, but bulk loads into many daily indices
# can hit a low limit); raise it for the child when allowed (not in every VM, even as root).
es_limits() {
  if prlimit --nofile=65535:65535 true 2>/dev/null; then echo prlimit --nofile=65535:65535; fi
}
as_es_user() {
  es_cmd_prefix
  "${ES_CMD[@]}" "$@"
}

ensure_es_user() {
  am_root || return 0
  id -u "$ES_USER" >/dev/null 2>&1 && return 0
  info "creating system user $ES_USER (Elasticsearch refuses to run as root)"
  useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
}

# Per-instance folders: config (a copy of the distribution's, so the two nodes share nothing), data, logs, tmp.
prepare_es_dirs() {
  local comp=$1 d=$STACK_DIR/$1 fresh=0 sub
  mkdir -p "$d/data" "$d/logs" "$d/tmp"
  # (re)copied when missing or when ES_VERSION changed; the keystore of the instance is kept
  if [[ ! -f $d/config/jvm.options || $(cat "$d/config/.dist-version" 2>/dev/null) != "$ES_VERSION" ]]; then
    mkdir -p "$d/config"
    [[ -f $d/config/elasticsearch.keystore ]] || fresh=1
    cp -R "$ES_DIST/config/." "$d/config/"
    if ((fresh)); then rm -f "$d/config/elasticsearch.keystore"; fi
    echo "$ES_VERSION" >"$d/config/.dist-version"
  fi
  if am_root; then
    ensure_es_user
    chown -R "$ES_USER:$ES_USER" "$d/config"
    for sub in data logs tmp; do # recursive only when needed: data can hold many files
      [[ $(stat -c %U "$d/$sub") == "$ES_USER" ]] || chown -R "$ES_USER:$ES_USER" "$d/$sub"
    done
    if ! as_es_user test -x "$ES_DIST/bin/elasticsearch" -a -w "$d/data" -a -r "$d/config/jvm.options"; then
      die 2 "$comp: user $ES_USER cannot reach $d (a parent folder of $STACK_DIR is not accessible to other users, e.g. /root is mode 700); set AIOPS_STACK_DIR to a folder under /work, /srv or /tmp"
    fi
  fi
}

# Starts the node <stack>/<comp>: on loopback, single-node discovery (but for a node of es-cluster, whose discovery
# settings come in the extra arguments), its own config, data, logs and tmp folders, <home>/bin/elasticsearch run
# as the Elasticsearch user; the arguments after the seventh are more settings (-E name=value).
launch_es() { # comp heap home http_port transport_port cluster_name node_name [-E setting...]
  local comp=$1 heap=$2 home=$3 http_port=$4 transport_port=$5 cluster=$6 node=$7 d=$STACK_DIR/$1
  shift 7
  local -a discovery=(-E discovery.type=single-node)
  if is_es_cluster_node "$comp"; then discovery=(); fi
  es_cmd_prefix
  # shellcheck disable=SC2046 # word splitting of es_limits is wanted
  launch "$comp" $(es_limits) "${ES_CMD[@]}" "ES_PATH_CONF=$d/config" "ES_TMPDIR=$d/tmp" \
    "ES_JAVA_OPTS=-Xms$heap -Xmx$heap" \
    "$home/bin/elasticsearch" ${discovery[@]+"${discovery[@]}"} -E network.host=127.0.0.1 \
    -E "http.port=$http_port" -E "transport.port=$transport_port" \
    -E "path.data=$d/data" -E "path.logs=$d/logs" \
    -E "cluster.name=$cluster" -E "node.name=$node" \
    -E action.destructive_requires_name=false \
    -E cluster.routing.allocation.disk.threshold_enabled=false \
    "$@"
}

start_elasticsearch() {
  prepare_es_dirs elasticsearch
  launch_es elasticsearch "$ES_HEAP" "$ES_DIST" "$ES_PORT" "$ES_TRANSPORT_PORT" aiops-dev dev \
    -E xpack.security.enabled=false
}

es_cluster_status() {
  local body
  body=$(curl_local -m 3 "http://127.0.0.1:$ES_PORT/_cluster/health" 2>/dev/null) || return 0
  sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$body"
}
