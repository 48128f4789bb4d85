#!/usr/bin/env bash
# Copies the log lines (comments and blank lines dropped) of fail2ban's test logs into data/linux-logs/raw/fail2ban/,
# one file per test log, as the upstream repository has them (fail2ban/tests/files/logs/<name>). The lines come from
# the Debian package (the same files as upstream's tag 1.0.2): `apt-get download fail2ban` needs no root and no
# dpkg lock, so this runs anywhere apt has package lists. Usage: scripts/linux-logs/import-fail2ban-tests.sh [DEB]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=data/linux-logs/raw/fail2ban
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb=${1:-}
if [[ -z $deb ]]; then
  (cd "$work" && apt-get download fail2ban >/dev/null 2>&1) || { echo "import-fail2ban-tests: apt-get download fail2ban failed" >&2; exit 1; }
  deb=$(ls "$work"/fail2ban_*.deb)
fi
dpkg-deb -x "$deb" "$work/x"
logs="$work/x/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"
[[ -d $logs ]] || { echo "import-fail2ban-tests: $deb has no tests/files/logs" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out"
for f in "$logs"/*; do
  [[ -f $f ]] || continue
  name=$(basename "$f")
  grep -v '^[[:space:]]*#' "$f" | grep -v '^[[:space:]]*$' > "$out/$name.log" || rm -f "$out/$name.log"
done
echo "import-fail2ban-tests: $(ls "$out" | wc -l) files, $(cat "$out"/*.log | wc -l) lines from $(basename "$deb")" >&2
