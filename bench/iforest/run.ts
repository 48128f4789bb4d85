/**
 * pnpm bench iforest — our IsolationForest against scikit-learn's, side by side in one run:
 *  1. parity: ROC-AUC and average precision on the held-out half (odd rows; fitted on the even rows) of the
 *     paper's tables (KDD Cup 99 http, ODDS smtp, ODDS mammography), 10 seeds per side, mean ± sd; passes when
 *     the means differ by ≤ 0.01;
 *  2. speed on one core: 1 M × 16 standard-normal float32 rows (written once to out/bench/, read by both sides):
 *     fit time, score_samples rows/s (median of 3), peak RSS; each side in its own process.
 * Prints a markdown table and writes out/bench/iforest.json. IFOREST_BENCH_ROWS shrinks the speed matrix.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { networkAnomaly } from '@aiops/contracts';
import { IsolationForest } from '@aiops/ml';
import { gaussianMatrix } from '@aiops/ml';
import { averagePrecision, rocAuc } from '@aiops/ml';
import { DATASETS, evenOddSplit, loadDataset, type DatasetName } from './datasets.ts';
import { externalDataDir } from '@aiops/datasets';
import { measureNpmPackage } from './npm-package.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'out/bench');
const PYTHON = process.env.AIOPS_BENCH_PYTHON ?? join(ROOT, 'bench/.venv/bin/python');
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const SPEED_ROWS = Number(process.env.IFOREST_BENCH_ROWS ?? 1_000_000);
const SPEED_COLS = 16;
const REPEATS = 3;
// One core for both sides: numpy/OpenMP must not spread scikit-learn's work over the machine.
const ONE_CORE_ENV = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', AIOPS_DATA_DIR: externalDataDir() };

interface Run {
  seed: number;
  rocAuc: number;
  averagePrecision: number;
}
interface SpeedResult {
  fit: { wallSeconds: number; cpuSeconds: number };
  score: { wallSeconds: number; cpuSeconds: number }[];
  checksum: number;
  peakRssBytes: number;
  /** Ours only: the detector's per-connection score (speed.ts). */
  detector?: { wallSeconds: number; cpuSeconds: number }[];
}

function runJson<T>(command: string, args: string[]): T {
  const result = spawnSync(command, args, { env: ONE_CORE_ENV, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as T;
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]): number => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / Math.max(1, v.length - 1));
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const pm = (v: number[]): string => `${mean(v).toFixed(4)} ± ${sd(v).toFixed(4)}`;

function parity(name: DatasetName) {
  const table = loadDataset(name);
  const { train, test, testLabels } = evenOddSplit(table);
  const ours: Run[] = SEEDS.map((seed) => {
    const s = IsolationForest.fit(train, { seed }).anomalyScore(test);
    return { seed, rocAuc: rocAuc(testLabels, s), averagePrecision: averagePrecision(testLabels, s) };
  });
  const sklearn = runJson<{ runs: Run[] }>(PYTHON, [join(ROOT, 'bench/iforest/sklearn_iforest.py'), 'parity', name, SEEDS.join(',')]).runs;
  const difference = mean(ours.map((r) => r.rocAuc)) - mean(sklearn.map((r) => r.rocAuc));
  return { dataset: name, rows: table.x.rows, cols: table.x.cols, positives: table.labels.reduce((a, b) => a + b, 0), ours, sklearn, difference, pass: Math.abs(difference) <= 0.01 };
}

function speedMatrix(): string {
  const path = join(OUT, `iforest-normal-${SPEED_ROWS}x${SPEED_COLS}.f32`);
  const bytes = SPEED_ROWS * SPEED_COLS * 4;
  if (!existsSync(path) || statSync(path).size !== bytes) {
    const x = gaussianMatrix(SPEED_ROWS, SPEED_COLS, 20261124, Float32Array);
    // Little-endian float32, row-major: numpy reads it with np.fromfile(path, '<f4').
    writeFileSync(path, new Uint8Array(x.data.buffer));
  }
  return path;
}

function speed(path: string) {
  const args = [path, String(SPEED_ROWS), String(SPEED_COLS), String(REPEATS)];
  const ours = runJson<SpeedResult>(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/iforest/speed.ts'), ...args]);
  const sklearn = runJson<SpeedResult>(PYTHON, [join(ROOT, 'bench/iforest/sklearn_iforest.py'), 'speed', ...args]);
  const summary = (r: SpeedResult) => ({
    fitSeconds: r.fit.wallSeconds,
    fitCpuSeconds: r.fit.cpuSeconds,
    scoreSeconds: median(r.score.map((s) => s.wallSeconds)),
    scoreRowsPerSecond: SPEED_ROWS / median(r.score.map((s) => s.wallSeconds)),
    scoreRowsPerCpuSecond: SPEED_ROWS / median(r.score.map((s) => s.cpuSeconds)),
    peakRssMiB: r.peakRssBytes / 2 ** 20,
    checksum: r.checksum,
    raw: r,
  });
  const o = summary(ours);
  const s = summary(sklearn);
  const detectorCpuSeconds = median(ours.detector!.map((d) => d.cpuSeconds));
  return {
    detectorRowsPerCpuSecond: SPEED_ROWS / detectorCpuSeconds,
    detectorSpeedupCpu: SPEED_ROWS / detectorCpuSeconds / s.scoreRowsPerCpuSecond,
    rows: SPEED_ROWS,
    cols: SPEED_COLS,
    ours: o,
    sklearn: s,
    fitSpeedup: s.fitSeconds / o.fitSeconds,
    scoreSpeedup: o.scoreRowsPerSecond / s.scoreRowsPerSecond,
    scoreSpeedupCpu: o.scoreRowsPerCpuSecond / s.scoreRowsPerCpuSecond,
  };
}

mkdirSync(OUT, { recursive: true });
const parityResults = DATASETS.map(parity);
const speedResult = speed(speedMatrix());
// The design card's npm package, for docs/adr/0004: only when it was installed outside the repo (see npm-package.ts).
const npmDir = process.env.AIOPS_NPM_IFOREST_DIR;
const npmPackage = npmDir ? measureNpmPackage(npmDir) : undefined;

console.log('\n### Isolation Forest: ours vs scikit-learn (held-out ROC-AUC, 10 seeds, mean ± sd)\n');
console.log('| dataset | rows × cols (outliers) | ROC-AUC ours | ROC-AUC scikit-learn | Δ | AP ours | AP scikit-learn | within ±0.01 |');
console.log('|---|---|---|---|---|---|---|---|');
for (const p of parityResults) {
  console.log(
    `| ${p.dataset} | ${p.rows} × ${p.cols} (${p.positives}) | ${pm(p.ours.map((r) => r.rocAuc))} | ${pm(p.sklearn.map((r) => r.rocAuc))} | ${p.difference >= 0 ? '+' : ''}${p.difference.toFixed(4)} | ${pm(p.ours.map((r) => r.averagePrecision))} | ${pm(p.sklearn.map((r) => r.averagePrecision))} | ${p.pass ? 'yes' : '**no**'} |`,
  );
}
const o = speedResult.ours;
const s = speedResult.sklearn;
const k = (v: number) => `${(v / 1000).toFixed(0)}k`;
console.log(`\n### Speed, one core: ${SPEED_ROWS.toLocaleString('en')} × ${SPEED_COLS} float32, 100 trees, ψ = 256\n`);
console.log('| | fit (s) | score (s, median of 3) | score rows/s (wall) | score rows/s (CPU) | peak RSS (MiB) |');
console.log('|---|---|---|---|---|---|');
console.log(`| ours (Node ${process.versions.node}) | ${o.fitSeconds.toFixed(3)} | ${o.scoreSeconds.toFixed(2)} | ${k(o.scoreRowsPerSecond)} | ${k(o.scoreRowsPerCpuSecond)} | ${o.peakRssMiB.toFixed(0)} |`);
console.log(`| scikit-learn | ${s.fitSeconds.toFixed(3)} | ${s.scoreSeconds.toFixed(2)} | ${k(s.scoreRowsPerSecond)} | ${k(s.scoreRowsPerCpuSecond)} | ${s.peakRssMiB.toFixed(0)} |`);
console.log(
  `| the detector's connection score (two forests, ${networkAnomaly.basicForestTrees}-tree companion, tail shares) | | | | ${k(speedResult.detectorRowsPerCpuSecond)} (${speedResult.detectorSpeedupCpu.toFixed(1)}× scikit-learn's one forest) | |`,
);
console.log(
  `| ours ÷ scikit-learn | fit ${speedResult.fitSpeedup.toFixed(1)}× faster (target ≥ 2×) | | ${speedResult.scoreSpeedup.toFixed(1)}× (target ≥ 5×) | ${speedResult.scoreSpeedupCpu.toFixed(1)}× | |`,
);
if (npmPackage) {
  const { npm, ours } = npmPackage;
  console.log(`\n### ${npmPackage.package} vs ours, ${npmPackage.rows.toLocaleString('en')} × ${npmPackage.cols} normal rows\n`);
  console.log('| | fit (s) | score rows/s | JSON of a 1,000-row fit | mammography held-out ROC-AUC |');
  console.log('|---|---|---|---|---|');
  for (const [label, r] of [[npmPackage.package, npm], ['ours', ours]] as const) {
    console.log(`| ${label} | ${r.fitSeconds.toFixed(2)} | ${k(r.scoreRowsPerSecond)} | ${(r.jsonBytesOf1000RowFit / 1e6).toFixed(2)} MB | ${r.mammographyHeldOutRocAuc.toFixed(3)} |`);
  }
} else {
  console.log('\n(isolation-forest@0.0.9 not measured: set AIOPS_NPM_IFOREST_DIR, see bench/iforest/npm-package.ts)');
}
writeFileSync(
  join(OUT, 'iforest.json'),
  JSON.stringify({ measuredAt: new Date().toISOString(), node: process.versions.node, parity: parityResults, speed: speedResult, npmPackage }, null, 2),
);
console.log(`\nwrote ${join(OUT, 'iforest.json')}`);
