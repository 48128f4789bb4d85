#!/usr/bin/env bash
# The tests, end to end (`pnpm test:all`; .ci/run runs exactly this): install and start the dev stack of real
# servers (scripts/dev-stack.sh), install the workspace, run typecheck + lint + every test with integration
# tests required (REQUIRE_INTEGRATION=1 pnpm run ci; plain `pnpm ci` is a pnpm built-in), and always stop the stack, keeping the tests' exit code.
# Note: the final `down` stops every dev-stack server, including one a developer had running before.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/dev-stack.sh install
# podman, debootstrap, apt-cacher-ng, ansible, ansible-lint: the six test hosts of the Ansible tests
scripts/test-hosts.sh install
pnpm install --frozen-lockfile

REPORT=out/vitest-report.json
rm -f "$REPORT"

# The closing line CI reads: "vitest: N passed, N failed, N skipped", from vitest's JSON report.
summary() {
  [[ -f $REPORT ]] || { echo "vitest: no report (the tests did not run)"; return; }
  node -e 'const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);' "$PWD/$REPORT"
}

stop_stack() {
  local rc=$?
  trap - EXIT INT TERM
  echo "test-all: stopping the dev stack" >&2
  scripts/dev-stack.sh down || echo "test-all: scripts/dev-stack.sh down failed" >&2
  # the Ansible test tears its hosts down itself; this catches a run that died half-way
  scripts/test-hosts.sh down >/dev/null || echo "test-all: scripts/test-hosts.sh down found leftovers" >&2
  summary
  exit "$rc"
}
trap stop_stack EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The default stack; es-secure and es-cluster are started by their own tests (es-security.int.test.ts,
# es-cluster.int.test.ts) and stopped by them, and by the `down` above if a run dies half-way.
scripts/dev-stack.sh up
REQUIRE_INTEGRATION=1 pnpm run ci
