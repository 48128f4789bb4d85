#!/usr/bin/env bash
# The project as one archive for the ML node (ansible role ml_node, ml_node_release_archive): the files git
# tracks at a commit, paths relative to the repository root.
#
#   scripts/build_release.sh [--ref REF] [--worktree] [--with-node-modules] --out FILE.tar.gz
#
#   --ref REF             the commit, tag or branch to archive (git archive) [HEAD]
#   --worktree            archive the working tree instead (tracked + untracked, not ignored; uncommitted edits
#                         included): what the tests deploy
#   --with-node-modules   add the installed node_modules folders (pnpm's layout, symlinks kept), for hosts that
#                         cannot reach the npm registry (then ml_node_pnpm_install: false); implies --worktree
#   --out FILE            the archive to write (gzip), atomically
#
# Prints the archive's path and size on stderr. Exit 0 ok, 1 failure, 64 usage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

REF=HEAD
WORKTREE=0
NODE_MODULES=0
OUT=""
while (($#)); do
  case $1 in
    --ref) REF=${2:?--ref needs a value}; shift ;;
    --worktree) WORKTREE=1 ;;
    --with-node-modules) NODE_MODULES=1; WORKTREE=1 ;;
    --out) OUT=${2:?--out needs a value}; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build_release: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
  shift
done
[[ -n $OUT ]] || { echo "build_release: --out FILE is required" >&2; exit 64; }
mkdir -p "$(dirname "$OUT")"
tmp=$(mktemp "$(dirname "$OUT")/.release-XXXXXX")
trap 'rm -f "$tmp" "$tmp.files" "$tmp.dirs"' EXIT

if ((WORKTREE)); then
  # files git tracks or would track (uncommitted edits included; deleted ones left out), then whole node_modules
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
  done >"$tmp.files"
  : >"$tmp.dirs"
  if ((NODE_MODULES)); then
    [[ -d node_modules ]] || { echo "build_release: no node_modules (run pnpm install first)" >&2; exit 1; }
    find . \( -path ./.stack -o -path ./out \) -prune -o -name node_modules -type d -prune -printf '%P\0' >"$tmp.dirs"
  fi
  tar --null -czf "$tmp" --owner=0 --group=0 --exclude='node_modules/.cache' --exclude='node_modules/.vite' \
    --no-recursion -T "$tmp.files" --recursion -T "$tmp.dirs"
  rm -f "$tmp.files" "$tmp.dirs"
else
  git archive --format=tar.gz -o "$tmp" "$REF"
fi
chmod 0644 "$tmp"
mv "$tmp" "$OUT"
trap - EXIT
echo "build_release: $OUT ($(du -h "$OUT" | cut -f1))" >&2
