/**
 * pnpm bench follow — near-real-time latency of `log-classifier classify --follow 2 --lag 2` at 1,000 lines/s for
 * 60 s (FOLLOW_BENCH_RATE, FOLLOW_BENCH_SECONDS), the follower restarted halfway: the run is the follow-mode
 * integration test (tests/integration/follow-mode.int.test.ts, which also checks every line came out exactly
 * once) at bench size, on the dev stack's Elasticsearch (`scripts/dev-stack.sh up elasticsearch`; its URL from
 * AIOPS_ES_URLS). Prints the latency table and writes out/bench/follow.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REPORT = join(ROOT, 'out/bench/follow.json');
const rate = process.env.FOLLOW_BENCH_RATE ?? '1000';
const seconds = process.env.FOLLOW_BENCH_SECONDS ?? '60';

mkdirSync(dirname(REPORT), { recursive: true });
const build = spawnSync('pnpm', ['build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
if (build.status !== 0) throw new Error('pnpm build failed');
const loadBefore = loadavg()[0]!;
const run = spawnSync('pnpm', ['exec', 'vitest', 'run', 'tests/integration/follow-mode.int.test.ts'], {
  cwd: ROOT,
  stdio: ['ignore', 2, 2],
  env: { ...process.env, REQUIRE_INTEGRATION: '1', AIOPS_FOLLOW_RATE: rate, AIOPS_FOLLOW_SECONDS: seconds, AIOPS_FOLLOW_REPORT: REPORT },
});
if (run.status !== 0) throw new Error('the follow-mode run failed (is the dev stack up? scripts/dev-stack.sh up elasticsearch)');
const r = JSON.parse(readFileSync(REPORT, 'utf8')) as {
  rateLinesPerSecond: number; achievedLinesPerSecond: number; seconds: number; lines: number; timedLines: number; followSeconds: number; lagSeconds: number;
  latencySeconds: { p50: number; p95: number; max: number };
};
console.log('| rate, lines/s (achieved) | lines | follow / lag, s | latency p50, s | p95, s | max, s | exactly once across a restart |');
console.log('|---|---|---|---|---|---|---|');
console.log(`| ${r.rateLinesPerSecond} (${r.achievedLinesPerSecond}) | ${r.lines} (${r.timedLines} timed) | ${r.followSeconds} / ${r.lagSeconds} | ${r.latencySeconds.p50.toFixed(1)} | ${r.latencySeconds.p95.toFixed(1)} | ${r.latencySeconds.max.toFixed(1)} | yes |`);
console.log(`\nload average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`);
