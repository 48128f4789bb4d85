import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import type { MetricsSnapshot } from '../metrics/metrics-outbox.ts';
import { ExitCode } from './exit-codes.ts';
import { runJob, type JobFunction } from './job-runner.ts';
import { metrics } from '@aiops/contracts';

const logger = pino({ level: 'silent' });

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'aiops-job-'));
  const config = loadConfig({ env: { AIOPS_STATE_DIR: join(dir, 'state'), AIOPS_INSTANCE: 'ml-1' } });
  const snapshots: MetricsSnapshot[] = [];
  const outbox = { write: async (s: MetricsSnapshot) => (snapshots.push(s), `snap-${snapshots.length}`) };
  let clock = 1_800_000_000_000;
  const now = () => (clock += 2_500);
  const run = (job: string, fn: JobFunction, signal?: AbortSignal) =>
    runJob({ job, config, logger, outbox, run: fn, now, ...(signal ? { signal } : {}) });
  return { dir, config, snapshots, run };
}

const valueOf = (s: MetricsSnapshot | undefined, name: string) => s?.samples.find((x) => x.name === name)?.value;

describe('runJob', () => {
  it('exits 0 and writes success, duration and record gauges plus the job’s own gauges', async () => {
    const { snapshots, run } = setup();
    const outcome = await run('demo', async (ctx) => {
      ctx.addRecordsProcessed(40);
      ctx.addRecordsProcessed(2);
      return { gauges: [{ name: metrics.logsReviewPending.name, help: 'h', labels: {}, value: 7 }] };
    });
    expect(outcome).toMatchObject({ status: 'success', exitCode: ExitCode.OK, recordsProcessed: 42 });
    const [snapshot] = snapshots;
    expect(snapshot).toMatchObject({ job: 'demo', instance: 'ml-1' });
    expect(valueOf(snapshot, metrics.jobRecordsProcessed.name)).toBe(42);
    expect(valueOf(snapshot, metrics.jobDuration.name)).toBe(2.5);
    expect(valueOf(snapshot, metrics.jobLastSuccessTimestamp.name)).toBe(1_800_000_005);
    expect(valueOf(snapshot, metrics.jobLastFailureTimestamp.name)).toBeUndefined();
    expect(valueOf(snapshot, metrics.logsReviewPending.name)).toBe(7);
    expect(snapshot!.samples.every((s) => s.name.startsWith('aiops_job_') ? s.labels.job === 'demo' : true)).toBe(true);
  });

  it('exits 1 on failure, records the failure time and never a success time', async () => {
    const { snapshots, run } = setup();
    const outcome = await run('demo', async (ctx) => {
      ctx.addRecordsProcessed(5);
      throw new Error('bulk write not confirmed');
    });
    expect(outcome).toMatchObject({ status: 'failure', exitCode: ExitCode.FAILURE, recordsProcessed: 5 });
    expect(outcome.error?.message).toBe('bulk write not confirmed');
    expect(valueOf(snapshots[0], metrics.jobLastFailureTimestamp.name)).toBeGreaterThan(0);
    expect(valueOf(snapshots[0], metrics.jobLastSuccessTimestamp.name)).toBeUndefined();
  });

  it('never lets two runs of the same job interleave: the second exits 75 without running', async () => {
    const { run } = setup();
    let release!: () => void;
    const first = run('demo', () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    let secondRan = false;
    const second = await run('demo', async () => {
      secondRan = true;
    });
    expect(second).toMatchObject({ status: 'locked', exitCode: ExitCode.LOCKED });
    expect(secondRan).toBe(false);
    release();
    expect((await first).status).toBe('success');
    // The lock is released afterwards: a later run proceeds.
    expect((await run('demo', async () => {})).status).toBe('success');
  });

  it('runs different jobs side by side', async () => {
    const { run } = setup();
    const [a, b] = await Promise.all([
      run('a', () => new Promise((r) => setTimeout(r, 30))),
      run('b', () => new Promise((r) => setTimeout(r, 30))),
    ]);
    expect([a.status, b.status]).toEqual(['success', 'success']);
  });

  it('takes over a lock left behind by a process that no longer exists', async () => {
    const { config, run } = setup();
    const lockDir = join(config.paths.stateDir, 'locks');
    mkdirSync(lockDir, { recursive: true });
    // PID 2^22+1 is above Linux's pid_max ceiling, so it cannot be alive.
    writeFileSync(join(lockDir, 'demo.lock'), JSON.stringify({ pid: 4_194_305, host: (await import('node:os')).hostname(), acquiredAt: '' }));
    expect((await run('demo', async () => {})).status).toBe('success');
    expect(readdirSync(lockDir)).toEqual([]);
  });

  it('takes over a lock whose holder is a zombie (killed, not yet reaped)', async () => {
    const { config, run } = setup();
    const lockDir = join(config.paths.stateDir, 'locks');
    mkdirSync(lockDir, { recursive: true });
    // the inner sleep exits at once and its parent (exec'd into `sleep 5`) never waits for it: a zombie for 5 s
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number((await once(parent.stdout, 'data'))[0].toString().trim());
      let state = '';
      for (let i = 0; i < 50 && state !== 'Z'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      }
      expect(state).toBe('Z');
      writeFileSync(join(lockDir, 'demo.lock'), JSON.stringify({ pid, host: (await import('node:os')).hostname(), acquiredAt: '' }));
      expect((await run('demo', async () => {})).status).toBe('success');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('ends as interrupted (143 for SIGTERM, 130 for SIGINT) when the shutdown signal fires mid-run', async () => {
    const { snapshots, run } = setup();
    for (const [reason, code] of [
      ['SIGTERM', ExitCode.INTERRUPTED_SIGTERM],
      ['SIGINT', ExitCode.INTERRUPTED_SIGINT],
    ] as const) {
      const controller = new AbortController();
      let batches = 0;
      const outcome = await run(
        'demo',
        async (ctx) => {
          while (!ctx.signal.aborted) {
            batches++;
            ctx.addRecordsProcessed(10);
            if (batches === 3) controller.abort(reason);
            await new Promise((r) => setTimeout(r, 1));
          }
        },
        controller.signal,
      );
      expect(outcome).toMatchObject({ status: 'interrupted', exitCode: code, recordsProcessed: 30 });
    }
    expect(snapshots.every((s) => valueOf(s, metrics.jobLastSuccessTimestamp.name) === undefined)).toBe(true);
  });

  it('fails the run when its gauges cannot be written, so cron notices', async () => {
    const { config } = setup();
    const outcome = await runJob({
      job: 'demo',
      config,
      logger,
      outbox: { write: async () => Promise.reject(new Error('disk full')) },
      run: async () => {},
    });
    expect(outcome).toMatchObject({ status: 'failure', exitCode: ExitCode.FAILURE });
  });
});
