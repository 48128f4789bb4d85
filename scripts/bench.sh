#!/usr/bin/env bash
# pnpm bench [PIPELINE...] — side-by-side benchmarks of ours against the reference implementations (scikit-learn,
# prophet from PyPI; bench-only, never imported by the product). Installs the Python references into bench/.venv
# on first use, then runs bench/<pipeline>/run.ts for each pipeline (all when none is named). Each run prints its
# table and writes out/bench/<pipeline>.json; docs/benchmarks.md quotes the figures with this command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV=bench/.venv
if [[ ! -x $VENV/bin/python ]] || ! $VENV/bin/python -c 'import sklearn, prophet' 2>/dev/null; then
  echo "bench: installing the Python reference implementations into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r bench/requirements.txt
fi
export AIOPS_BENCH_PYTHON=$PWD/$VENV/bin/python
mkdir -p out/bench
pipelines=("$@")
if [[ ${#pipelines[@]} -eq 0 ]]; then
  for f in bench/*/run.ts; do pipelines+=("$(basename "$(dirname "$f")")"); done
fi
for p in "${pipelines[@]}"; do
  [[ -f bench/$p/run.ts ]] || { echo "bench: no bench/$p/run.ts" >&2; exit 64; }
  echo "== bench $p ==" >&2
  pnpm exec tsx "bench/$p/run.ts"
done
