// The job runner as cron sees it: a real child process, real signals, real exit codes, real outbox files.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MetricsOutbox } from '../metrics/metrics-outbox.ts';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/batch-job.ts');
const TSX = resolve(import.meta.dirname, '../../../../node_modules/.bin/tsx');

function startJob(dir: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(TSX, [FIXTURE, 'run', '--ledger', join(dir, 'ledger'), ...args], {
    env: { ...process.env, AIOPS_STATE_DIR: join(dir, 'state'), AIOPS_OUTBOX_DIR: join(dir, 'outbox'), AIOPS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; stderr: string }>((r) => child.on('exit', (code) => r({ code, stderr })));
  return { child, exited };
}

async function waitForFile(path: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear`);
    await sleep(50);
  }
}

const ledger = (dir: string) => readFileSync(join(dir, 'ledger'), 'utf8').trim().split('\n').map(Number);

async function gauges(dir: string) {
  const outbox = new MetricsOutbox(join(dir, 'outbox'));
  const entries = await outbox.list();
  const snapshots = await Promise.all(entries.map((e) => outbox.read(e)));
  return snapshots.map((s) => Object.fromEntries(s.samples.map((x) => [x.name, x.value])));
}

describe('a job process under cron', () => {
  it('exits 0 and leaves its gauges in the outbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-proc-'));
    const { code } = await startJob(dir, ['--batches', '3']).exited;
    expect(code).toBe(0);
    expect(ledger(dir)).toEqual([1, 2, 3]);
    const [g] = await gauges(dir);
    expect(g).toMatchObject({ aiops_job_records_processed: 30 });
    expect(g!.aiops_job_last_success_timestamp_seconds).toBeGreaterThan(Date.now() / 1000 - 60);
  }, 30_000);

  it('on SIGTERM finishes the current batch, exits 143 and records no success', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-proc-'));
    const { child, exited } = startJob(dir, ['--ready', join(dir, 'ready')]);
    await waitForFile(join(dir, 'ready'));
    child.kill('SIGTERM');
    const { code } = await exited;
    expect(code).toBe(143);
    const batches = ledger(dir);
    // Every started batch was completed: the ledger is 1..n with no gap and at least the first batch.
    expect(batches).toEqual(Array.from({ length: batches.length }, (_, i) => i + 1));
    const [g] = await gauges(dir);
    expect(g!.aiops_job_records_processed).toBe(batches.length * 10);
    expect(g!.aiops_job_last_success_timestamp_seconds).toBeUndefined();
    expect(existsSync(join(dir, 'state/locks/fixture-batch-job.lock'))).toBe(false);
  }, 30_000);

  it('exits 75 while another run holds the lock, and 1 on failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-proc-'));
    const first = startJob(dir, ['--ready', join(dir, 'ready')]);
    await waitForFile(join(dir, 'ready'));
    const second = await startJob(dir, ['--batches', '1']).exited;
    expect(second.code).toBe(75);
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(130);

    const failing = await startJob(mkdtempSync(join(tmpdir(), 'aiops-proc-')), ['--batches', '5', '--fail']).exited;
    expect(failing.code).toBe(1);
  }, 60_000);

  it('exits 78 naming every bad field when the configuration is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-proc-'));
    const { code, stderr } = await startJob(dir, ['--batches', '1'], {
      AIOPS_PROMETHEUS_URL: 'nope',
      AIOPS_ES_URLS: 'also-nope',
    }).exited;
    expect(code).toBe(78);
    expect(stderr).toContain('prometheus.url');
    expect(stderr).toContain('elasticsearch.nodes.0');
  }, 30_000);

  it('--follow reruns the job until SIGTERM, then exits 0 with one snapshot per run; bad --follow values are usage errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-proc-'));
    const { child, exited } = startJob(dir, ['--batches', '1', '--follow', '0.2']);
    const deadline = Date.now() + 20_000;
    while (!(existsSync(join(dir, 'ledger')) && ledger(dir).length >= 3) && Date.now() < deadline) await sleep(50);
    child.kill('SIGTERM');
    const { code } = await exited;
    expect(code).toBe(0);
    const runs = ledger(dir);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(new Set(runs)).toEqual(new Set([1])); // each run is one whole batch: none was cut by the signal
    expect((await gauges(dir)).length).toBe(runs.length);
    expect(existsSync(join(dir, 'state/locks/fixture-batch-job.lock'))).toBe(false);

    for (const args of [['--follow', '0'], ['--follow', 'soon'], ['--follow', '5', '--schedule', '* * * * *']]) {
      const bad = await startJob(mkdtempSync(join(tmpdir(), 'aiops-proc-')), ['--batches', '1', ...args]).exited;
      expect(bad.code).toBe(64);
      expect(bad.stderr).toMatch(/--follow/);
    }
  }, 60_000);
});
