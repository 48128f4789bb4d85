#!/usr/bin/env bash
# Real network traffic for a sensor to see (Zeek, tshark), generated only between hosts this script creates
# itself: network namespaces joined by a bridge that lives in a namespace of its own, on a private subnet with no
# route anywhere else. Nothing is sent to any other address: every target is checked against the subnet first,
# and the namespaces have no link to the machine's own network.
#
#   scripts/generate_traffic.sh [options]
#     --name NAME        prefix of the namespaces (default aiopstg): NAME-sw (the bridge), NAME-client,
#                        NAME-web (HTTP on :80), NAME-dns (dnsmasq, the zone lab.test)
#     --subnet A.B.C     the /24 to use (default 10.77.0); must be private (10/8, 172.16/12, 192.168/16)
#     --http N           HTTP requests from the client (curl loop; default 30)
#     --dns N            DNS lookups from the client (dig; default 30)
#     --scan PORTS       nmap TCP connect scan of the web host over these ports (default 1-200)
#     --burst N          hping3 SYN burst to the web host's port 80 (default 200 packets)
#     --max-seconds S    hard limit on the whole run (default 120); each step has its own smaller limit
#     --capture FILE     also write a pcap of the bridge (tshark in NAME-sw) to FILE, for a sensor to replay
#     --install          install the Debian packages it needs (tshark nmap hping3 dnsmasq-base bind9-dnsutils curl)
#   Needs root (ip netns), Node.js (the HTTP server), and the packages above.
#
# Always removes what it created (namespaces, servers, capture) on exit, also on failure or Ctrl-C.
# Exit codes: 0 ok, 1 a step failed, 2 usage error or something missing.
set -euo pipefail

NAME=aiopstg
SUBNET=10.77.0
HTTP_COUNT=30
DNS_COUNT=30
SCAN_PORTS=1-200
BURST=200
MAX_SECONDS=120
CAPTURE=""
PACKAGES=(tshark nmap hping3 dnsmasq-base bind9-dnsutils curl iproute2)

say() { printf 'generate_traffic: %s\n' "$*" >&2; }
die() {
  local code=$1
  shift
  say "$*"
  exit "$code"
}
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

install_packages() {
  [[ $EUID -eq 0 ]] || die 2 "--install needs root"
  apt-get -o DPkg::Lock::Timeout=300 update -q
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${PACKAGES[@]}"
}

while (($#)); do
  case $1 in
    --name) NAME=$2; shift 2 ;;
    --subnet) SUBNET=$2; shift 2 ;;
    --http) HTTP_COUNT=$2; shift 2 ;;
    --dns) DNS_COUNT=$2; shift 2 ;;
    --scan) SCAN_PORTS=$2; shift 2 ;;
    --burst) BURST=$2; shift 2 ;;
    --max-seconds) MAX_SECONDS=$2; shift 2 ;;
    --capture) CAPTURE=$2; shift 2 ;;
    --install) install_packages; exit 0 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

[[ $NAME =~ ^[a-z][a-z0-9]{0,7}$ ]] || die 2 "--name must be 1-8 lowercase letters/digits (interface names are short): $NAME"
[[ $SUBNET =~ ^(10\.[0-9]{1,3}\.[0-9]{1,3}|172\.(1[6-9]|2[0-9]|3[01])\.[0-9]{1,3}|192\.168\.[0-9]{1,3})$ ]] ||
  die 2 "--subnet must be the first three octets of a private /24 (e.g. 10.77.0): $SUBNET"
for n in "$HTTP_COUNT" "$DNS_COUNT" "$BURST" "$MAX_SECONDS"; do
  [[ $n =~ ^[0-9]+$ ]] || die 2 "counts and --max-seconds are whole numbers: $n"
done
((HTTP_COUNT <= 1000 && DNS_COUNT <= 1000 && BURST <= 10000 && MAX_SECONDS <= 600)) ||
  die 2 "bounded on purpose: --http/--dns ≤ 1000, --burst ≤ 10000, --max-seconds ≤ 600"
[[ $SCAN_PORTS =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]] || die 2 "--scan takes ports like 1-200 or 22,80,443: $SCAN_PORTS"
[[ $EUID -eq 0 ]] || die 2 "needs root (ip netns); run as root"
missing=()
for cmd in ip node curl dig nmap hping3 dnsmasq; do command -v "$cmd" >/dev/null || missing+=("$cmd"); done
[[ -z $CAPTURE ]] || command -v tshark >/dev/null || missing+=(tshark)
((${#missing[@]} == 0)) || die 2 "missing: ${missing[*]} (install: $0 --install, or scripts/dev-stack.sh install)"

SW=$NAME-sw
CLIENT=$NAME-client
WEB=$NAME-web
DNS=$NAME-dns
CLIENT_IP=$SUBNET.10
WEB_IP=$SUBNET.20
DNS_IP=$SUBNET.30
HOSTS=("$CLIENT:$CLIENT_IP" "$WEB:$WEB_IP" "$DNS:$DNS_IP")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/$NAME-XXXXXX")
PIDS=()
CAPTURE_PID=""
WATCHDOG=""

# Every address this script sends to must be one of its own hosts.
own_target() {
  local ip=$1 h
  for h in "${HOSTS[@]}"; do [[ ${h#*:} == "$ip" ]] && return 0; done
  die 1 "refusing to send to $ip: not a host of this script's namespaces"
}

in_ns() { # ns command... (bounded: no step may outlive the run)
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local pid
  if [[ -n $CAPTURE_PID ]]; then
    kill -TERM "$CAPTURE_PID" 2>/dev/null || true
    wait "$CAPTURE_PID" 2>/dev/null || true
  fi
  # the watchdog's sleep first, then the servers
  for pid in $(ps -o pid= --ppid "$WATCHDOG" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  local ns
  for ns in "$CLIENT" "$WEB" "$DNS" "$SW"; do
    if ip netns list | grep -qw "^$ns"; then
      # anything still running in the namespace (a stuck step) goes with it
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || say "could not delete namespace $ns"
    fi
  done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for ns in "$SW" "$CLIENT" "$WEB" "$DNS"; do
  ip netns list | grep -qw "^$ns" && die 2 "namespace $ns exists already (another run, or a leftover: ip netns del $ns)"
done

# The whole run is bounded: a watchdog ends it after --max-seconds.
(
  sleep "$MAX_SECONDS"
  say "--max-seconds $MAX_SECONDS reached, stopping"
  kill -TERM $$ 2>/dev/null
) &
WATCHDOG=$!
PIDS+=("$WATCHDOG")

T0=$(date +%s%3N)
say "namespaces $SW (bridge), $CLIENT $CLIENT_IP, $WEB $WEB_IP, $DNS $DNS_IP"
ip netns add "$SW"
in_ns "$SW" ip link add br0 type bridge
in_ns "$SW" ip link set lo up
in_ns "$SW" ip link set br0 up
i=0
for h in "${HOSTS[@]}"; do
  ns=${h%%:*}
  addr=${h#*:}
  ip netns add "$ns"
  # no IPv6: link-local chatter would be addresses this script did not choose
  in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  # the veth pair is created inside the bridge's namespace and one end moved: it never exists in the host's
  in_ns "$SW" ip link add "p$i" type veth peer name eth0
  in_ns "$SW" ip link set eth0 netns "$ns"
  in_ns "$SW" ip link set "p$i" master br0 up
  in_ns "$ns" ip link set lo up
  in_ns "$ns" ip addr add "$addr/24" dev eth0
  in_ns "$ns" ip link set eth0 up
  i=$((i + 1))
done
in_ns "$SW" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true

if [[ -n $CAPTURE ]]; then
  # `ip netns exec` execs tshark: $! is tshark itself, which stops cleanly on SIGTERM (a background job of a
  # script ignores SIGINT)
  ip netns exec "$SW" tshark -q -i br0 -w "$WORK/capture.pcapng" -F pcapng >"$WORK/tshark.log" 2>&1 &
  CAPTURE_PID=$!
  for _ in $(seq 1 100); do
    grep -q "Capturing on" "$WORK/tshark.log" 2>/dev/null && break
    sleep 0.1
  done
  grep -q "Capturing on" "$WORK/tshark.log" || die 1 "tshark did not start: $(cat "$WORK/tshark.log")"
fi

# The servers: a small HTTP server (Node) on the web host, dnsmasq answering for lab.test only (no upstream,
# no /etc/hosts, no resolv.conf: it can never forward a query anywhere).
ip netns exec "$WEB" node -e '
  const http = require("node:http");
  let n = 0;
  http.createServer((req, res) => { n++; res.setHeader("content-type", "text/plain"); res.end(`hello ${n} ${req.url}\n`); })
    .listen(80, process.argv[1]);
' "$WEB_IP" &
PIDS+=($!)
ip netns exec "$DNS" dnsmasq --no-daemon --no-resolv --no-hosts --no-poll --bind-interfaces --listen-address="$DNS_IP" \
  --port=53 --pid-file="$WORK/dnsmasq.pid" --local=/lab.test/ \
  --host-record="web.lab.test,$WEB_IP" --host-record="dns.lab.test,$DNS_IP" --host-record="client.lab.test,$CLIENT_IP" \
  --log-facility=- 2>"$WORK/dnsmasq.log" &
PIDS+=($!)
for _ in $(seq 1 50); do
  in_ns "$CLIENT" curl -s -o /dev/null -m 1 "http://$WEB_IP/" && break
  sleep 0.1
done

step() { say "$1 ($(($(date +%s%3N) - T0)) ms)"; }

own_target "$DNS_IP"
step "DNS: $DNS_COUNT lookups"
names=(web.lab.test dns.lab.test client.lab.test nothing-here.lab.test)
for ((k = 0; k < DNS_COUNT; k++)); do
  in_ns "$CLIENT" timeout 5 dig +tries=1 +time=2 +short "@$DNS_IP" "${names[k % ${#names[@]}]}" A >/dev/null || true
done

own_target "$WEB_IP"
step "HTTP: $HTTP_COUNT requests"
ok=0
for ((k = 0; k < HTTP_COUNT; k++)); do
  if in_ns "$CLIENT" curl -s -o /dev/null -m 5 --noproxy '*' "http://$WEB_IP/page/$k"; then ok=$((ok + 1)); fi
done
((ok == HTTP_COUNT)) || die 1 "HTTP: $ok of $HTTP_COUNT requests answered"

step "nmap: TCP connect scan of $WEB_IP ports $SCAN_PORTS"
in_ns "$CLIENT" timeout 60 nmap -n -Pn -sT -p "$SCAN_PORTS" --max-retries 1 --host-timeout 50s "$WEB_IP" -oN "$WORK/nmap.txt" >/dev/null
grep -q '^80/tcp *open' "$WORK/nmap.txt" || die 1 "nmap did not find the web host's port 80 open: $(cat "$WORK/nmap.txt")"

step "hping3: $BURST SYN packets to $WEB_IP:80"
in_ns "$CLIENT" timeout 30 hping3 -q -S -p 80 -c "$BURST" -i u2000 "$WEB_IP" >/dev/null 2>&1 || true

if [[ -n $CAPTURE ]]; then
  sleep 0.5 # the last replies
  kill -TERM "$CAPTURE_PID"
  wait "$CAPTURE_PID" 2>/dev/null || true
  CAPTURE_PID=""
  mv "$WORK/capture.pcapng" "$CAPTURE"
  step "capture written to $CAPTURE"
fi
step "done"
