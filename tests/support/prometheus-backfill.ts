/**
 * Backfilling history into the dev Prometheus the way SERVERS.md measured it works: OpenMetrics text → `promtool
 * tsdb create-blocks-from openmetrics` (one file per UTC day: promtool re-reads its whole input once per 2 h block,
 * so one 30-day file is ~9× slower) → the blocks moved into the running server's data dir, which loads them at its
 * next block reload (about once a minute; no restart, no admin API needed).
 *
 * Real CPU % traces become node_exporter-shaped counters, so the forecaster's own contract PromQL
 * (`rate(node_cpu_seconds_total{mode="idle"}[5m])`) runs on them unchanged.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { STACK_DIR } from './stack.ts';
import { externalDataDir } from '@aiops/datasets';

export interface Sample {
  /** Epoch seconds. */
  time: number;
  value: number;
}

export interface BackfillSeries {
  /** Sample name, e.g. node_cpu_seconds_total. */
  name: string;
  labels: Record<string, string>;
  samples: Sample[];
}

export const DATA_DIR = externalDataDir();
export const PROMETHEUS_DATA_DIR = join(STACK_DIR, 'prometheus', 'data');

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

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
}

/** One OpenMetrics text per UTC day (`YYYY-MM-DD` → text); every series ascending, each file ending in # EOF. */
export function openMetricsByDay(series: BackfillSeries[], type: 'counter' | 'gauge'): Map<string, string> {
  const days = new Map<string, string[]>();
  for (const s of series) {
    const family = type === 'counter' ? s.name.replace(/_total$/, '') : s.name;
    const labels = labelText(s.labels);
    for (const sample of s.samples) {
      const day = new Date(sample.time * 1000).toISOString().slice(0, 10);
      let lines = days.get(day);
      if (!lines) days.set(day, (lines = [`# TYPE ${family} ${type}`]));
      lines.push(`${s.name}{${labels}} ${sample.value} ${sample.time}`);
    }
  }
  return new Map([...days].map(([day, lines]) => [day, `${lines.join('\n')}\n# EOF\n`]));
}

/**
 * Builds the blocks next to the data dir (same filesystem, so the final rename is atomic) and moves them in.
 * Returns the block ids.
 */
export async function backfillIntoPrometheus(series: BackfillSeries[], type: 'counter' | 'gauge', dataDir = PROMETHEUS_DATA_DIR): Promise<string[]> {
  const staging = join(dataDir, '..', `backfill-${process.pid}-${Date.now()}`);
  const blocks = join(staging, 'blocks');
  mkdirSync(blocks, { recursive: true });
  try {
    for (const [day, text] of openMetricsByDay(series, type)) {
      const file = join(staging, `${day}.om`);
      writeFileSync(file, text);
      await promisify(execFile)('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, blocks], { timeout: 120_000 });
    }
    const ids = readdirSync(blocks).filter((name) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(name));
    for (const id of ids) renameSync(join(blocks, id), join(dataDir, id));
    return ids;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
