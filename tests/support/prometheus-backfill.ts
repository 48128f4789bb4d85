/**
 * History for the dev Prometheus: real traces turned into node_exporter-shaped series, backfilled through
 * scripts/support/prometheus-backfill.ts (promtool blocks moved into the data dir; shared with the stress run).
 *
 * Real CPU % traces become node_exporter-shaped counters, so the forecaster's own contract PromQL
 * (`rate(node_cpu_seconds_total{mode="idle"}[5m])`) runs on them unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backfillIntoPrometheus as backfillInto, type BackfillSeries, type Sample } from '../../scripts/support/prometheus-backfill.ts';
import { STACK_DIR } from './stack.ts';
import { externalDataDir } from '@aiops/datasets';

export const DATA_DIR = externalDataDir();
const PROMETHEUS_DATA_DIR = join(STACK_DIR, 'prometheus', 'data');

/** CPU usage [%] of a Bitbrains GWA-T-12 VM trace (`;\t`-separated; "Timestamp [ms]" is really epoch seconds). */
export function readBitbrainsCpu(file: string): Sample[] {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return lines.slice(1).map((line, i) => {
    const fields = line.split(';\t');
    const time = Number(fields[0]);
    const value = Number(fields[4]);
    if (!Number.isFinite(time) || !Number.isFinite(value)) throw new Error(`${file}:${i + 2}: timestamp or CPU usage [%] is not a number`);
    return { time, value };
  });
}

/**
 * node_cpu_seconds_total{mode="idle"} of one CPU whose busy share over each trace interval (t[i-1], t[i]] is the
 * trace's CPU % at t[i], sampled every `scrapeSeconds` (several samples per 5 minutes, so rate(...[5m]) has points
 * to work with). An interval longer than `maxGapSeconds` is a gap: no samples, the counter resumes where it was.
 */
export function idleCounterFromCpuPercent(cpu: Sample[], scrapeSeconds = 60, maxGapSeconds = 600): Sample[] {
  const out: Sample[] = [];
  let counter = 0;
  for (let i = 1; i < cpu.length; i++) {
    const from = cpu[i - 1]!.time;
    const to = cpu[i]!.time;
    if (to <= from) throw new Error(`CPU trace not ascending at ${to}`);
    const idleShare = 1 - Math.min(100, Math.max(0, cpu[i]!.value)) / 100;
    if (to - from > maxGapSeconds) continue;
    for (let t = Math.floor(from / scrapeSeconds) * scrapeSeconds + scrapeSeconds; t <= to; t += scrapeSeconds) {
      out.push({ time: t, value: counter + idleShare * (t - from) });
    }
    counter += idleShare * (to - from);
  }
  return out;
}

/** Backfills into the dev stack's Prometheus (scripts/support/prometheus-backfill.ts); returns the block ids. */
export function backfillIntoPrometheus(series: BackfillSeries[], type: 'counter' | 'gauge', dataDir = PROMETHEUS_DATA_DIR): Promise<string[]> {
  return backfillInto(series, type, dataDir);
}

export type { BackfillSeries, Sample };
