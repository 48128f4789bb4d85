/**
 * pnpm bench zeek-parse — the Zeek reader's speed on one core, with Python's usual ways of reading the same file
 * beside it (pandas read_csv, a plain split loop), in the same run.
 * Input: the real labeled CTU conn rows (../shared: 008/010/011/012-zeek-mixed, 24,798 rows) repeated to
 * ZEEK_BENCH_LINES (default 1,000,000) data lines under one Zeek header, written once to out/bench/; a gzip copy;
 * and the Nmap JSON-lines conn.log (002) repeated to 300,000 lines. Each case runs in its own process, 3 times;
 * the table shows the median. Prints a markdown table and writes out/bench/zeek-parse.json.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { externalDataDir } from '@aiops/datasets';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'out/bench');
const DATA = externalDataDir();
const PYTHON = process.env.AIOPS_BENCH_PYTHON ?? join(ROOT, 'bench/.venv/bin/python');
const LINES = Number(process.env.ZEEK_BENCH_LINES ?? 1_000_000);
const JSON_LINES = Math.min(300_000, LINES);
const REPEATS = Number(process.env.ZEEK_BENCH_REPEATS ?? 3);
const CTU = ['008', '010', '011', '012'].map((s) => join(DATA, `stratosphere-security-datasets-for-testing/${s}-zeek-mixed/data/conn.log.labeled`));
const NMAP = join(DATA, 'stratosphere-security-datasets-for-testing/002-zeek-scenario-port-scanning/conn.log');
const ONE_CORE_ENV = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function repeatRows(rows: string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => rows[i % rows.length]!);
}

/** Writes `header + rows` (rows repeated to `count`) unless a file of the same name already exists. */
function buildInput(name: string, header: string[], rows: string[], count: number): string {
  const path = join(OUT, name);
  if (existsSync(path)) return path;
  const body = repeatRows(rows, count);
  writeFileSync(path, [...header, ...body, ''].join('\n'));
  return path;
}

async function gzipOf(path: string): Promise<string> {
  const gz = `${path}.gz`;
  if (!existsSync(gz)) await pipeline(createReadStream(path), createGzip({ level: 6 }), createWriteStream(gz));
  return gz;
}

interface SideResult {
  runs: { wallSeconds: number; cpuSeconds: number }[];
  records: number;
  rejects?: number;
}

function runJson(command: string, args: string[]): SideResult {
  const result = spawnSync(command, args, { env: ONE_CORE_ENV, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as SideResult;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

mkdirSync(OUT, { recursive: true });
const ctuLines = CTU.map((f) => readFileSync(f, 'utf8').trimEnd().split('\n'));
const header = ctuLines[0]!.filter((l) => l.startsWith('#') && !l.startsWith('#close'));
const ctuRows = ctuLines.flatMap((lines) => lines.filter((l) => !l.startsWith('#')));
const tsv = buildInput(`zeek-parse-conn-${LINES}.log`, header, ctuRows, LINES);
const gz = await gzipOf(tsv);
const nmapRows = readFileSync(NMAP, 'utf8').trimEnd().split('\n');
const json = buildInput(`zeek-parse-conn-${JSON_LINES}.json.log`, [], nmapRows, JSON_LINES);

const ours = (mode: string, path: string) => runJson(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/zeek-parse/speed.ts'), mode, path, String(REPEATS)]);
const python = (mode: string, path: string) => runJson(PYTHON, [join(ROOT, 'bench/zeek-parse/parse_ref.py'), mode, path, String(REPEATS)]);

const cases = [
  { case: 'conn TSV → ConnRecord', impl: 'ours (readConnLogBatches)', path: tsv, bytes: statSync(tsv).size, run: () => ours('conn', tsv) },
  { case: 'conn TSV → ConnRecord', impl: 'ours without the byte scanner (the previous path)', path: tsv, bytes: statSync(tsv).size, run: () => ours('conn-general', tsv) },
  { case: 'conn TSV → generic records', impl: 'ours (readZeekLogBatches)', path: tsv, bytes: statSync(tsv).size, run: () => ours('generic', tsv) },
  { case: 'conn TSV.gz → ConnRecord', impl: 'ours (gunzip + readConnLogBatches)', path: gz, bytes: statSync(tsv).size, run: () => ours('conn', gz) },
  { case: 'conn JSON lines → ConnRecord', impl: 'ours (readConnLogBatches)', path: json, bytes: statSync(json).size, run: () => ours('conn', json) },
  { case: 'conn JSON lines → ConnRecord', impl: 'ours without the byte scanner (JSON.parse)', path: json, bytes: statSync(json).size, run: () => ours('conn-general', json) },
  { case: 'conn TSV → DataFrame', impl: 'pandas read_csv (C engine)', path: tsv, bytes: statSync(tsv).size, run: () => python('pandas', tsv) },
  { case: 'conn TSV → typed tuple', impl: 'Python split loop', path: tsv, bytes: statSync(tsv).size, run: () => python('python', tsv) },
];

const results = cases.map((c) => {
  process.stderr.write(`bench zeek-parse: ${c.case} — ${c.impl}\n`);
  const r = c.run();
  const wall = median(r.runs.map((x) => x.wallSeconds));
  const cpu = median(r.runs.map((x) => x.cpuSeconds));
  return {
    case: c.case,
    implementation: c.impl,
    file: c.path.replace(`${ROOT}/`, ''),
    records: r.records,
    rejects: r.rejects ?? 0,
    uncompressedBytes: c.bytes,
    wallSeconds: wall,
    cpuSeconds: cpu,
    linesPerSecond: r.records / wall,
    linesPerCpuSecond: r.records / cpu,
    mbPerSecond: c.bytes / 1e6 / wall,
    runs: r.runs,
  };
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const table = [
  `| case | implementation | records | wall s (median of ${REPEATS}) | lines/s | lines per CPU-s (median) | per CPU-s, min–max | MB/s |`,
  '|---|---|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) => {
    const perCpuRuns = r.runs.map((x) => r.records / x.cpuSeconds);
    const spread = `${fmt(Math.min(...perCpuRuns))}–${fmt(Math.max(...perCpuRuns))}`;
    return `| ${r.case} | ${r.implementation} | ${fmt(r.records)} | ${r.wallSeconds.toFixed(2)} | ${fmt(r.linesPerSecond)} | ${fmt(r.linesPerCpuSecond)} | ${spread} | ${r.mbPerSecond.toFixed(0)} |`;
  }),
].join('\n');
console.log(table);
const perCpu = (impl: string, kase: string) => results.find((r) => r.implementation === impl && r.case === kase)!.linesPerCpuSecond;
const pandas = perCpu('pandas read_csv (C engine)', 'conn TSV → DataFrame');
const tsvOurs = perCpu('ours (readConnLogBatches)', 'conn TSV → ConnRecord');
const gzOurs = perCpu('ours (gunzip + readConnLogBatches)', 'conn TSV.gz → ConnRecord');
const jsonOurs = perCpu('ours (readConnLogBatches)', 'conn JSON lines → ConnRecord');
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(
  [
    '',
    `TSV: ${fmt(tsvOurs)} lines per CPU-second, ${(tsvOurs / pandas).toFixed(2)}× pandas (${fmt(pandas)}); target ≥ 2,000,000 and ≥ 2.5× pandas → ${verdict(tsvOurs >= 2e6)} / ${verdict(tsvOurs >= 2.5 * pandas)}`,
    `gzip: ${fmt(gzOurs)} lines per CPU-second; target ≥ 1,000,000 → ${verdict(gzOurs >= 1e6)}`,
    `JSON lines: ${fmt(jsonOurs)} lines per CPU-second; target ≥ 1,000,000 → ${verdict(jsonOurs >= 1e6)}`,
    `load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores shared: per-CPU-second figures move with it)`,
  ].join('\n'),
);
writeFileSync(
  join(OUT, 'zeek-parse.json'),
  JSON.stringify({ command: 'pnpm bench zeek-parse', date: new Date().toISOString(), loadavg: loadavg(), node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, lines: LINES, results }, null, 2),
);
