import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import type { MetricsSnapshot } from '../metrics/metrics-outbox.ts';
import { ExitCode } from './exit-codes.ts';
import { runJob, type JobContext } from './job-runner.ts';
import { parseSlice, sliceInstance, sliceLockName } from './job-slice.ts';

describe('parseSlice', () => {
  it('reads i/n', () => {
    expect(parseSlice('0/2')).toEqual({ id: 0, max: 2 });
    expect(parseSlice(' 3/4 ')).toEqual({ id: 3, max: 4 });
    expect(parseSlice('0/1')).toEqual({ id: 0, max: 1 });
  });

  it.each(['2/2', '1/0', '-1/2', '0', '0/2/3', 'a/b', '0.5/2', '0/2000', ''])('refuses "%s" saying what it expects', (raw) => {
    expect(() => parseSlice(raw)).toThrow(/--slice: expected i\/n with 0 ≤ i < n/);
  });
});

describe('a sliced run', () => {
  it('has its own lock and grouping instance, so two slices of one job run side by side and keep both gauges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-slice-'));
    const config = loadConfig({ env: { AIOPS_STATE_DIR: join(dir, 'state'), AIOPS_INSTANCE: 'ml-1' } });
    const snapshots: MetricsSnapshot[] = [];
    const outbox = { write: async (s: MetricsSnapshot) => (snapshots.push(s), `snap-${snapshots.length}`) };
    const logger = pino({ level: 'silent' });
    const seen: (JobContext['slice'] | undefined)[] = [];
    // both runs hold their lock at the same time: each waits for the other to have started
    let release!: () => void;
    const bothStarted = new Promise<void>((r) => (release = r));
    let started = 0;
    const run = (slice: { id: number; max: number }) =>
      runJob({
        job: 'demo',
        config,
        logger,
        outbox,
        slice,
        run: async (ctx) => {
          seen.push(ctx.slice);
          if (++started === 2) release();
          await bothStarted;
        },
      });
    const outcomes = await Promise.all([run({ id: 0, max: 2 }), run({ id: 1, max: 2 })]);
    expect(outcomes.map((o) => o.exitCode)).toEqual([ExitCode.OK, ExitCode.OK]);
    // the two locks are taken by concurrent file I/O, so either slice may start first
    expect([...seen].sort((a, b) => (a?.id ?? -1) - (b?.id ?? -1))).toEqual([{ id: 0, max: 2 }, { id: 1, max: 2 }]);
    expect(snapshots.map((s) => s.instance).sort()).toEqual(['ml-1.slice-0-of-2', 'ml-1.slice-1-of-2']);
    expect(snapshots.every((s) => s.job === 'demo')).toBe(true);
  });

  it('names the unsliced run as before', () => {
    expect(sliceInstance('ml-1', undefined)).toBe('ml-1');
    expect(sliceLockName('demo', undefined)).toBe('demo');
    expect(sliceLockName('demo', { id: 1, max: 3 })).toBe('demo.slice-1-of-3');
  });
});
