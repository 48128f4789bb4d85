#!/usr/bin/env bash
# pnpm bench [PIPELINE...] — side-by-side benchmarks of ours against the reference implementations (scikit-learn,
# prophet from PyPI; bench-only, never imported by the product). Installs the Python references into bench/.venv
# on first use, then runs bench/<pipeline>/run.ts for each pipeline (all but e2e when none is named; e2e needs the
# dev stack up, so it runs only when named). Arguments starting with -- go to every run.ts (`pnpm bench e2e
# --scale 0.1`). Each run prints its table and writes out/bench/<pipeline>.json; docs/benchmarks.md quotes the
# figures with this command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p out/bench
pipelines=()
flags=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --*) flags+=("$1"); [[ $# -gt 1 && $2 != --* && ! -f bench/$2/run.ts ]] && { flags+=("$2"); shift; } ;;
    *) pipelines+=("$1") ;;
  esac
  shift
done
if [[ ${#pipelines[@]} -eq 0 ]]; then
  for f in bench/*/run.ts; do
    p=$(basename "$(dirname "$f")")
    [[ $p == e2e ]] || pipelines+=("$p")
  done
fi
VENV=bench/.venv
needs_python=0
for p in "${pipelines[@]}"; do [[ $p == e2e ]] || needs_python=1; done
# e2e runs only our CLIs against the dev stack: no Python references to install for it.
if [[ $needs_python == 1 ]] && { [[ ! -x $VENV/bin/python ]] || ! $VENV/bin/python -c 'import sklearn, prophet' 2>/dev/null; }; then
  echo "bench: installing the Python reference implementations into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r bench/requirements.txt
fi
export AIOPS_BENCH_PYTHON=$PWD/$VENV/bin/python
for p in "${pipelines[@]}"; do
  [[ -f bench/$p/run.ts ]] || { echo "bench: no bench/$p/run.ts" >&2; exit 64; }
  echo "== bench $p ==" >&2
  # e2e's harness holds a day's inputs (at scale 1, 21 M backfill samples and 2 M log lines) and ran out of V8's
  # default 4 GB heap; the jobs it runs are separate processes with their own default heap
  heap=()
  [[ $p == e2e ]] && heap=(--max-old-space-size=12288)
  pnpm exec tsx ${heap[@]+"${heap[@]}"} "bench/$p/run.ts" ${flags[@]+"${flags[@]}"}
done
