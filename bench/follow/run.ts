/**
 * pnpm bench follow — near-real-time latency of the two followers, each at 1,000 records/s for 60 s
 * (FOLLOW_BENCH_RATE, FOLLOW_BENCH_SECONDS) and restarted halfway:
 *   classify  `log-classifier classify --follow 2 --lag 2` on lines arriving in logs-* (tests/integration/follow-mode.int.test.ts)
 *   detect    `zeek-ingest run --follow --poll 1` → `anomaly-scorer detect --follow 5 --lag 10` on records appended to a
 *             conn.log (tests/integration/follow-detect.int.test.ts)
 * Each run is its integration test at bench size, so the same run checks that every record came out exactly once.
 * On the dev stack's Elasticsearch (`scripts/dev-stack.sh up elasticsearch`; its URL from AIOPS_ES_URLS). Prints the
 * latency table and writes out/bench/follow-<name>.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const rate = process.env.FOLLOW_BENCH_RATE ?? '1000';
const seconds = process.env.FOLLOW_BENCH_SECONDS ?? '60';
const FOLLOWERS = [
  { name: 'classify', test: 'tests/integration/follow-mode.int.test.ts', into: 'logs-classified-*' },
  { name: 'detect', test: 'tests/integration/follow-detect.int.test.ts', into: 'anomalies-* (flagged connections)' },
];

interface FollowReport {
  rateLinesPerSecond: number;
  lines: number;
  timedLines: number;
  followSeconds: number;
  lagSeconds: number;
  latencySeconds: { p50: number; p95: number; max: number };
}

mkdirSync(join(ROOT, 'out/bench'), { recursive: true });
const build = spawnSync('pnpm', ['build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
if (build.status !== 0) throw new Error('pnpm build failed');
const rows: string[] = [];
for (const follower of FOLLOWERS) {
  const report = join(ROOT, `out/bench/follow-${follower.name}.json`);
  const loadBefore = loadavg()[0]!;
  const run = spawnSync('pnpm', ['exec', 'vitest', 'run', follower.test], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
    env: { ...process.env, REQUIRE_INTEGRATION: '1', AIOPS_FOLLOW_RATE: rate, AIOPS_FOLLOW_SECONDS: seconds, AIOPS_FOLLOW_REPORT: report },
  });
  if (run.status !== 0) throw new Error(`the ${follower.name} follow run failed (is the dev stack up? scripts/dev-stack.sh up elasticsearch)`);
  const r = JSON.parse(readFileSync(report, 'utf8')) as FollowReport;
  rows.push(
    `| ${follower.name} → ${follower.into} | ${r.rateLinesPerSecond} | ${r.lines} (${r.timedLines} timed) | ${r.followSeconds} / ${r.lagSeconds} | ` +
      `${r.latencySeconds.p50.toFixed(1)} | ${r.latencySeconds.p95.toFixed(1)} | ${r.latencySeconds.max.toFixed(1)} | yes | ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} |`,
  );
}
console.log('| follower | rate, records/s | records | follow / lag, s | latency p50, s | p95, s | max, s | exactly once across a restart | load (1 min) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
