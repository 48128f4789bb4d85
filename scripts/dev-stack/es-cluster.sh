# shellcheck shell=bash
# dev-stack: es-cluster, three Elasticsearch nodes of the same distribution forming one cluster on loopback
# (started only when named: `up es-cluster`, or one node: `up es-cluster-2`). Each node is its own component
# (es-cluster-1..3: own PID file, config, data, logs and tmp under <stack>/es-cluster-N) so a test can kill -9 one
# and bring it back with `up es-cluster-N`; `es-cluster` names all three. HTTP ports AIOPS_ES_CLUSTER_PORT + 0..2,
# transport ports AIOPS_ES_CLUSTER_TRANSPORT_PORT + 0..2; every node is master-eligible and a data node, security
# off, AIOPS_ES_CLUSTER_HEAP (512m) each. A node is ready when the cluster it sees has all three nodes and is
# green: after a restart, that is when its shard copies are recovered again.
# Sourced by scripts/dev-stack.sh (after its settings).

ES_CLUSTER_NODES=(es-cluster-1 es-cluster-2 es-cluster-3)

is_es_cluster_node() { [[ $1 =~ ^es-cluster-[1-3]$ ]]; }

# es-cluster-2 -> 1 (the offset of its ports)
es_cluster_index() { echo $((${1##*-} - 1)); }

es_cluster_http_port() { echo $((ES_CLUSTER_PORT + $(es_cluster_index "$1"))); }
es_cluster_transport_port() { echo $((ES_CLUSTER_TRANSPORT_PORT + $(es_cluster_index "$1"))); }

# Comma-separated node URLs, the form AIOPS_ES_URLS takes.
es_cluster_urls() {
  local n out=""
  for n in "${ES_CLUSTER_NODES[@]}"; do out+="${out:+,}http://127.0.0.1:$(es_cluster_http_port "$n")"; done
  echo "$out"
}

start_es_cluster_node() {
  local comp=$1 n seeds=""
  for n in "${ES_CLUSTER_NODES[@]}"; do seeds+="${seeds:+,}127.0.0.1:$(es_cluster_transport_port "$n")"; done
  prepare_es_dirs "$comp"
  # initial_master_nodes only matters for the very first election (an empty data folder); a node that restarts
  # rejoins the cluster recorded in its data folder.
  launch_es "$comp" "$ES_CLUSTER_HEAP" "$ES_DIST" "$(es_cluster_http_port "$comp")" "$(es_cluster_transport_port "$comp")" \
    aiops-cluster "$comp" \
    -E "discovery.seed_hosts=$seeds" \
    -E "cluster.initial_master_nodes=$(IFS=,; echo "${ES_CLUSTER_NODES[*]}")" \
    -E xpack.security.enabled=false
}

probe_es_cluster_node() { # comp mode
  local q=""
  [[ $2 == ready ]] && q="?wait_for_status=green&wait_for_nodes=${#ES_CLUSTER_NODES[@]}&timeout=1s"
  curl_local -o /dev/null -m 5 "http://127.0.0.1:$(es_cluster_http_port "$1")/_cluster/health$q"
}

# "green, 3 nodes" as the node sees it (status line)
es_cluster_node_health() {
  local body status nodes
  body=$(curl_local -m 3 "http://127.0.0.1:$(es_cluster_http_port "$1")/_cluster/health" 2>/dev/null) || return 0
  status=$(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$body")
  nodes=$(sed -n 's/.*"number_of_nodes":\([0-9]*\).*/\1/p' <<<"$body")
  echo "$status, $nodes nodes"
}
