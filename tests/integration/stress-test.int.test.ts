/**
 * scripts/stress_test.sh on the dev stack, as an operator runs it: every injected failure (Zeek attacks over real
 * benign traffic, a loop filesystem filled to 91 %, a stress-ng CPU spike, a syslog flood with critical lines)
 * must surface within one cycle of each job, exit 0 and every row PASS; then the same run with the log classifier
 * switched off (`--disable logs`) must exit 1 with exactly the log-flood row FAIL and every other row PASS (the
 * proof that a PASS comes from the detector, not from the injection). After each run nothing of it is left: no
 * loop device or mount of its image, no stress-ng, no folder under the stack, no index of its run.
 * Needs root (losetup, mount) like the script; without root it skips loudly, or fails under REQUIRE_INTEGRATION=1.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { integrationRequired, REPO_ROOT, STACK_DIR, stackAvailable, URLS } from '../support/stack.ts';

/** The table's rows (scripts/stress/checks.ts) and the detector each needs; null: none (the alert rules alone). */
const ROWS: Record<string, 'network' | 'logs' | 'capacity' | null> = {
  'port-scan': 'network',
  'dns-exfiltration': 'network',
  'bulk-transfer': 'network',
  'host-alert': 'network',
  'disk-fill': null,
  'capacity-forecast': 'capacity',
  'cpu-spike': null,
  'log-flood': 'logs',
};
const RUN_TIMEOUT_MS = 420_000;

function rootOrSkip(): boolean {
  if (process.getuid?.() === 0) return true;
  const msg = 'scripts/stress_test.sh needs root (losetup, mount)';
  if (integrationRequired) throw new Error(`${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING THE STRESS TEST: ${msg}\n`);
  return false;
}

const available = (await stackAvailable('elasticsearch', 'prometheus', 'pushgateway', 'alertmanager', 'nodeExporter')) && rootOrSkip();

interface StressRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** row → PASS | FAIL, from the table on stdout. */
  rows: Map<string, string>;
  run: string;
}

function runStressTest(...args: string[]): Promise<StressRun> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn('bash', ['scripts/stress_test.sh', ...args], { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-200_000)));
    child.on('error', fail);
    child.on('close', (code) => {
      const rows = new Map<string, string>();
      for (const m of stdout.matchAll(/^(\S+)\s+(?:network|logs|capacity|-)\s+(PASS|FAIL)\s+\d+\.\d\s/gm)) rows.set(m[1]!, m[2]!);
      const run = /stress_test: run (st[0-9a-f]{6}):/.exec(stderr)?.[1] ?? '';
      done({ code, stdout, stderr, seconds: (Date.now() - started) / 1000, rows, run });
    });
  });
}

/** What a run must not leave behind (scripts/stress_test.sh's trap). */
async function expectCleanedUp(r: StressRun): Promise<void> {
  expect(r.run, 'the run names itself on stderr').toMatch(/^st[0-9a-f]{6}$/);
  const sh = (cmd: string) => promisify(execFile)('bash', ['-c', cmd]).then((o) => o.stdout);
  expect(await sh(`losetup -a | grep -F '/stress/${r.run}/' || true`)).toBe('');
  expect(await sh(`grep -F '/stress/${r.run}/' /proc/mounts || true`)).toBe('');
  expect(await sh('pgrep -x stress-ng || true')).toBe('');
  expect(existsSync(join(STACK_DIR, 'stress', r.run))).toBe(false);
  const indices = (await (await fetch(`${URLS.elasticsearch}/_cat/indices/${r.run}-*?h=index&expand_wildcards=all`)).text()).trim();
  expect(indices).toBe('');
  const groups = (await (await fetch(`${URLS.pushgateway}/api/v1/metrics`)).json()) as { data: { labels: Record<string, string> }[] };
  expect(groups.data.filter((g) => g.labels.instance === `${r.run}-ml`)).toEqual([]);
}

function report(r: StressRun): string {
  return `exit ${r.code} after ${r.seconds.toFixed(0)} s\n${r.stdout}\n--- stderr (end) ---\n${r.stderr.slice(-6_000)}`;
}

describe.skipIf(!available)('scripts/stress_test.sh on the dev stack', () => {
  it(
    'surfaces every injected failure within one cycle: exit 0, every row PASS, nothing left behind',
    async () => {
      const r = await runStressTest();
      console.warn(`stress_test.sh: ${r.seconds.toFixed(0)} s`);
      expect([...r.rows.keys()], report(r)).toEqual(Object.keys(ROWS));
      expect(Object.fromEntries(r.rows), report(r)).toEqual(Object.fromEntries(Object.keys(ROWS).map((row) => [row, 'PASS'])));
      expect(r.code, report(r)).toBe(0);
      expect(r.stdout).toContain(`stress_test: all ${Object.keys(ROWS).length} rows PASS`);
      await expectCleanedUp(r);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'with the log classifier switched off (--disable logs): exit 1, exactly the log-flood row FAIL, the others PASS',
    async () => {
      const r = await runStressTest('--disable', 'logs');
      console.warn(`stress_test.sh --disable logs: ${r.seconds.toFixed(0)} s`);
      const expected = Object.fromEntries(Object.entries(ROWS).map(([row, detector]) => [row, detector === 'logs' ? 'FAIL' : 'PASS']));
      expect(Object.fromEntries(r.rows), report(r)).toEqual(expected);
      expect(r.code, report(r)).toBe(1);
      expect(r.stdout).toContain('stress_test: FAIL: log-flood\n');
      expect(r.stdout).toMatch(/detector logs disabled \(--disable\)/);
      await expectCleanedUp(r);
    },
    RUN_TIMEOUT_MS,
  );
});
