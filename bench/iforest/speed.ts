/**
 * Our side of the speed benchmark, run in its own process by run.ts so that its peak RSS is its own:
 *   tsx bench/iforest/speed.ts <matrix.f32> <rows> <cols> <repeats>
 * Prints {fit, score[], checksum, peakRssBytes} as JSON, the same shape as sklearn_iforest.py speed, plus
 * `detector[]`: the anomaly scorer's per-connection score on the same rows (network-anomaly connection-score.ts: the
 * 100-tree forest, the companion of networkAnomaly.basicForestTrees trees, both tail shares and their fusion), the
 * work the detector does per connection beside the one forest scikit-learn runs.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { IsolationForest } from '@aiops/ml';
import { defaultScorerOptions, fitConnectionScorer, scoreConnections } from '@aiops/network-anomaly';

const [path, rowsArg, colsArg, repeatsArg] = process.argv.slice(2);
if (!path || !rowsArg || !colsArg || !repeatsArg) {
  console.error('usage: speed.ts <matrix.f32> <rows> <cols> <repeats>');
  process.exit(64);
}
const rows = Number(rowsArg);
const cols = Number(colsArg);

// Read straight into the Float32Array's memory (no second copy of the matrix to inflate the peak RSS).
const data = new Float32Array(rows * cols);
const bytes = new Uint8Array(data.buffer);
const fd = openSync(path, 'r');
for (let offset = 0; offset < bytes.length; ) {
  const n = readSync(fd, bytes, offset, bytes.length - offset, offset);
  if (n === 0) throw new Error(`${path}: ended after ${offset} of ${bytes.length} bytes`);
  offset += n;
}
closeSync(fd);
const x = { data, rows, cols };

function timed<T>(f: () => T): { value: T; wallSeconds: number; cpuSeconds: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallSeconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wallSeconds, cpuSeconds: (c.user + c.system) / 1e6 };
}

const fit = timed(() => IsolationForest.fit(x, { seed: 0 }));
const score = [];
let checksum = 0;
for (let r = 0; r < Number(repeatsArg); r++) {
  const run = timed(() => fit.value.scoreSamples(x));
  score.push({ wallSeconds: run.wallSeconds, cpuSeconds: run.cpuSeconds });
  checksum = run.value.reduce((a, b) => a + b, 0) / rows;
}
const names = Array.from({ length: cols }, (_, j) => `x${j}`);
const scorer = fitConnectionScorer(x, x, defaultScorerOptions(names, names, 0));
const detector = [];
for (let r = 0; r < Number(repeatsArg); r++) {
  const run = timed(() => scoreConnections(scorer, x, x));
  detector.push({ wallSeconds: run.wallSeconds, cpuSeconds: run.cpuSeconds });
}
console.log(
  JSON.stringify({
    fit: { wallSeconds: fit.wallSeconds, cpuSeconds: fit.cpuSeconds },
    score,
    detector,
    checksum,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
