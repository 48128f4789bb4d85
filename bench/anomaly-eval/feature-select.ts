/**
 * The per-connection forest's columns chosen by nested leave one capture out (issue 13). Every capture × protocol
 * split of host-loco.ts is built once, with all 26 candidate columns (basic's 16 + the 10 context columns of
 * window-aggregates.ts); a column subset is scored on every split (ROC-AUC of the forest's s(x), the held-out
 * capture never in its own training). For each held-out capture, a greedy search starting from the shipped
 * `aggregates` columns adds or drops one column at a time while the worst ROC-AUC over the OTHER captures' rows
 * (every protocol) rises; the subset it ends on is then reported on the held-out capture, beside the start.
 * A final search over all captures gives the columns to ship (its figures are not held out; the nested ones are).
 * Run: AIOPS_DATA_DIR=../shared/data pnpm exec tsx bench/anomaly-eval/feature-select.ts (writes out/bench/feature-select.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { IsolationForest, rocAuc } from '@aiops/ml';
import { featureNames, type FeatureMatrix } from '@aiops/zeek';
import { ALL_COLUMN_NAMES, allColumns, labeledTargets, mean, scoredWithContext } from './forest-runs.ts';
import { loadCaptures } from './host-captures.ts';
import { locoRuns, type Split } from './host-loco.ts';

const DRAWS = (process.env.HOST_DRAWS ?? '0,1').split(',').map(Number);
const SEEDS = (process.env.HOST_SEEDS ?? '0').split(',').map(Number);
const ALL = ALL_COLUMN_NAMES;
const START = featureNames('aggregates');

function pick(m: FeatureMatrix, cols: readonly number[]) {
  const data = new Float64Array(m.rows * cols.length);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < cols.length; j++) data[i * cols.length + j] = m.data[i * m.columns + cols[j]!]!;
  return { data, rows: m.rows, cols: cols.length };
}

interface Prepared {
  capture: string;
  protocol: string;
  seed: number;
  train: FeatureMatrix[];
  score: FeatureMatrix;
  y: Uint8Array;
  idx: number[];
}

function prepare(capture: string, protocol: string, seed: number, split: Split): Prepared | null {
  const targets = labeledTargets(split.score);
  return targets && { capture, protocol, seed, train: split.train.map(allColumns), score: scoredWithContext(allColumns, split), ...targets };
}

function rocOf(p: Prepared, cols: readonly number[]): number {
  const parts = p.train.map((t) => pick(t, cols));
  const rows = parts.reduce((n, t) => n + t.rows, 0);
  const data = new Float64Array(rows * cols.length);
  let offset = 0;
  for (const t of parts) {
    data.set(t.data, offset);
    offset += t.data.length;
  }
  const forest = IsolationForest.fit({ data, rows, cols: cols.length }, { seed: p.seed, nEstimators: 100 });
  const s = forest.anomalyScore(pick(p.score, cols));
  return rocAuc(p.y, p.idx.map((i) => s[i]!));
}

const captures = await loadCaptures();
const prepared: Prepared[] = [];
for (const run of locoRuns(captures, DRAWS, SEEDS)) {
  const r = prepare(run.capture, run.protocol, run.seed, run.split);
  if (r) prepared.push(r);
}
process.stderr.write(`feature-select: ${prepared.length} splits prepared\n`);

/** Per subset (sorted column indices as key): mean ROC per capture|protocol. */
const cache = new Map<string, Map<string, number>>();
function evaluate(cols: readonly number[]): Map<string, number> {
  const key = [...cols].sort((a, b) => a - b).join(',');
  const hit = cache.get(key);
  if (hit) return hit;
  const sums = new Map<string, number[]>();
  for (const p of prepared) {
    const k = `${p.capture}|${p.protocol}`;
    sums.set(k, [...(sums.get(k) ?? []), rocOf(p, cols)]);
  }
  const out = new Map([...sums].map(([k, v]) => [k, mean(v)]));
  cache.set(key, out);
  process.stderr.write(`feature-select: ${cache.size} subsets evaluated\n`);
  return out;
}

/** Worst ROC over the rows of `captures` (then their mean, to break ties). */
function objective(cols: readonly number[], among: ReadonlySet<string>): [number, number] {
  const r = [...evaluate(cols)].filter(([k]) => among.has(k.split('|')[0]!)).map(([, v]) => v);
  return [Math.min(...r), mean(r)];
}
const better = (a: [number, number], b: [number, number]) => a[0] > b[0] + 1e-9 || (Math.abs(a[0] - b[0]) <= 1e-9 && a[1] > b[1] + 1e-9);

function greedy(among: ReadonlySet<string>): number[] {
  let cols = START.map((n) => ALL.indexOf(n));
  let best = objective(cols, among);
  for (;;) {
    const moves = ALL.map((_, j) => (cols.includes(j) ? cols.filter((c) => c !== j) : [...cols, j])).filter((m) => m.length >= 4);
    let next: number[] | null = null;
    let nextScore = best;
    for (const m of moves) {
      const s = objective(m, among);
      if (better(s, nextScore)) [next, nextScore] = [m, s];
    }
    if (!next) return cols;
    [cols, best] = [next, nextScore];
  }
}

const names = [...new Set(prepared.map((p) => p.capture))];
const startCols = START.map((n) => ALL.indexOf(n));
const report: { heldOut: string; picked: string[]; start: Record<string, number>; picked_: Record<string, number> }[] = [];
console.log('| held-out capture | columns picked on the others (vs aggregates) | protocol | ROC aggregates | ROC picked |');
console.log('|---|---|---|---|---|');
for (const held of names) {
  const cols = greedy(new Set(names.filter((n) => n !== held)));
  const diff = [...cols.filter((c) => !startCols.includes(c)).map((c) => `+${ALL[c]}`), ...startCols.filter((c) => !cols.includes(c)).map((c) => `−${ALL[c]}`)].join(' ');
  const a = evaluate(startCols);
  const b = evaluate(cols);
  const rows = [...b.keys()].filter((k) => k.startsWith(`${held}|`));
  for (const k of rows) console.log(`| ${held} | ${diff || '(none)'} | ${k.split('|')[1]} | ${a.get(k)!.toFixed(3)} | ${b.get(k)!.toFixed(3)} |`);
  report.push({ heldOut: held, picked: cols.map((c) => ALL[c]!), start: Object.fromEntries(rows.map((k) => [k, a.get(k)!])), picked_: Object.fromEntries(rows.map((k) => [k, b.get(k)!])) });
}
const shipped = greedy(new Set(names));
console.log(`\non all captures: ${shipped.map((c) => ALL[c]).join(', ')}`);
mkdirSync('out/bench', { recursive: true });
writeFileSync('out/bench/feature-select.json', `${JSON.stringify({ report, shipped: shipped.map((c) => ALL[c]) }, null, 1)}\n`);
