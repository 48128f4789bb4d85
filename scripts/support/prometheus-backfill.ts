/**
 * Backfilling history into a running Prometheus the way SERVERS.md measured it works: OpenMetrics text → `promtool
 * tsdb create-blocks-from openmetrics` (one file per UTC day: promtool re-reads its whole input once per 2 h block,
 * so one 30-day file is ~9× slower) → the blocks moved into the server's data dir, which loads them at its next
 * block reload (about once a minute; no restart, no admin API needed). Used by the integration tests
 * (tests/support/prometheus-backfill.ts) and the stress run (scripts/stress), which both backfill the dev stack.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

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

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
}

/** One OpenMetrics text per UTC day (`YYYY-MM-DD` → text); every series ascending, each file ending in # EOF. */
function openMetricsByDay(series: BackfillSeries[], type: 'counter' | 'gauge'): Map<string, string> {
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
export async function backfillIntoPrometheus(series: BackfillSeries[], type: 'counter' | 'gauge', dataDir: string): Promise<string[]> {
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
