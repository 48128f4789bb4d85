import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import type { JobOutcome } from './job-runner.ts';
import { assertCronExpression, runJobEvery, runJobOnSchedule, ScheduleError } from './job-schedule.ts';

describe('runJobOnSchedule', () => {
  it('rejects an invalid cron expression naming the field', () => {
    expect(() => assertCronExpression('*/15 * * * *')).not.toThrow();
    expect(() => assertCronExpression('61 * * * *')).toThrow(ScheduleError);
    expect(() => assertCronExpression('61 * * * *')).toThrow(/minute: 61/);
    expect(() => assertCronExpression('*/15 * * *')).toThrow(/expected 5 or 6 fields/);
  });

  it('runs the job on each tick, then stops cleanly once the shutdown signal fires', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-sched-'));
    const config = loadConfig({ env: { AIOPS_STATE_DIR: dir } });
    const controller = new AbortController();
    const outcomes: JobOutcome[] = [];
    let runs = 0;
    const done = runJobOnSchedule(
      '* * * * * *', // every second
      {
        job: 'sched',
        config,
        logger: pino({ level: 'silent' }),
        outbox: { write: async () => 'ok' },
        signal: controller.signal,
        run: async () => {
          runs++;
        },
      },
      (o) => outcomes.push(o),
    );
    await new Promise((r) => setTimeout(r, 2_600));
    controller.abort('SIGTERM');
    await done;
    const afterStop = runs;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(afterStop).toBeGreaterThanOrEqual(2);
    expect(runs).toBe(afterStop); // no tick after the stop
    expect(outcomes.every((o) => o.status === 'success')).toBe(true);
  });
});

describe('runJobEvery (--follow)', () => {
  const options = (signal: AbortSignal, run: () => Promise<void>) => ({
    job: 'follow',
    config: loadConfig({ env: { AIOPS_STATE_DIR: mkdtempSync(join(tmpdir(), 'aiops-follow-')) } }),
    logger: pino({ level: 'silent' }),
    outbox: { write: async () => 'ok' as const },
    signal,
    run,
  });

  it('starts a run every interval after the previous start, keeps going after a failed run, and stops on the signal', async () => {
    const controller = new AbortController();
    const starts: number[] = [];
    const outcomes: JobOutcome[] = [];
    const done = runJobEvery(
      0.3,
      options(controller.signal, async () => {
        starts.push(Date.now());
        if (starts.length === 2) throw new Error('the server went away');
      }),
      (o) => outcomes.push(o),
    );
    await new Promise((r) => setTimeout(r, 1_100));
    controller.abort('SIGTERM');
    await done;
    const afterStop = starts.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(afterStop).toBeGreaterThanOrEqual(3);
    expect(starts.length).toBe(afterStop);
    expect(outcomes.map((o) => o.status).slice(0, 3)).toEqual(['success', 'failure', 'success']);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(290);
  });

  it('rejects a non-positive interval', async () => {
    await expect(runJobEvery(0, options(new AbortController().signal, async () => {}))).rejects.toThrow(ScheduleError);
  });
});
