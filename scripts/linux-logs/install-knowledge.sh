#!/usr/bin/env bash
# Installs the Debian packages the log classifier's knowledge base is extracted from (logcheck-database, fail2ban),
# or, with --unpack DIR, unpacks their .deb files into DIR without root and without touching the system (what
# extract-knowledge.ts --root DIR reads). The extracted data/knowledge/linux-kb.json is in the repository, so
# training and CI need neither; this is for rebuilding it.
set -euo pipefail
pkgs=(logcheck-database fail2ban)
if [[ ${1:-} == --unpack ]]; then
  dir=${2:?usage: install-knowledge.sh --unpack DIR}
  mkdir -p "$dir"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download "${pkgs[@]}" >/dev/null)
  : > "$dir/VERSIONS"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$dir"
    echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >> "$dir/VERSIONS"
  done
  echo "install-knowledge: unpacked $(tr '\n' ' ' < "$dir/VERSIONS")into $dir" >&2
  exit 0
fi
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${pkgs[@]}"
