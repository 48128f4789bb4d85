/**
 * pnpm bench startup — what a cron job pays before it does any work: each service's `--help` started the
 * development way (tsx compiling TypeScript on the fly) and the production way (node on the esbuild bundle in
 * services/<name>/dist, `pnpm build`), alternated, 5 runs each, median and min wall time. `--help` parses the
 * command line and loads every module the CLI imports, so it is the start-up cost without the job itself.
 * Prints a markdown table and writes out/bench/startup.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICES = ['log-classifier', 'anomaly-scorer', 'forecaster', 'zeek-ingest', 'pushgateway-exporter'] as const;
const RUNS = 5;
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function wallSeconds(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

if (SERVICES.some((s) => !existsSync(join(ROOT, `services/${s}/dist/cli.js`)))) {
  const build = spawnSync('pnpm', ['build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) throw new Error('pnpm build failed');
}

const loadBefore = loadavg()[0]!;
const rows = SERVICES.map((service) => {
  const tsx: number[] = [];
  const dist: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    tsx.push(wallSeconds(TSX, [`services/${service}/src/cli.ts`, '--help']));
    dist.push(wallSeconds(process.execPath, [`services/${service}/dist/cli.js`, '--help']));
  }
  return { service, tsx: { median: median(tsx), min: Math.min(...tsx) }, dist: { median: median(dist), min: Math.min(...dist) } };
});
const loadAfter = loadavg()[0]!;

const s = (x: number): string => x.toFixed(2);
console.log(`| service | tsx src, s (median / min of ${RUNS}) | node dist, s (median / min) | saved per start, s |`);
console.log('|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.service} | ${s(r.tsx.median)} / ${s(r.tsx.min)} | ${s(r.dist.median)} / ${s(r.dist.min)} | ${s(r.tsx.median - r.dist.median)} |`);
}
console.log(`\nload average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`);
mkdirSync(join(ROOT, 'out/bench'), { recursive: true });
writeFileSync(join(ROOT, 'out/bench/startup.json'), JSON.stringify({ runs: RUNS, loadBefore, loadAfter, rows }, null, 2));
