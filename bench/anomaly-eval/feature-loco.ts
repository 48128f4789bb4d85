/**
 * Which per-connection columns the forest should see, chosen by leave one capture out (issue 13): for every held-out
 * capture of host-captures.ts and every protocol of host-loco.ts (the same splits), the per-connection forest's
 * ROC-AUC / PR-AUC with each candidate feature layout; then a nested pick (for each held-out capture, the candidate
 * best on the OTHER captures by their worst 5 %-mixture ROC-AUC, reported on the held-out one).
 * Candidates: `aggregates` (shipped until this pass), `basic`, `union` (basic + the context columns in one forest),
 * `mean-2` / `max-2` (two forests, basic and aggregates, their s(x) averaged / maxed).
 * Run: AIOPS_DATA_DIR=../shared/data pnpm exec tsx bench/anomaly-eval/feature-loco.ts (writes out/bench/feature-loco.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { IsolationForest } from '@aiops/ml';
import type { ConnRecord, FeatureMatrix } from '@aiops/zeek';
import { allColumns, dense, features, labeledTargets, mean, ranking, stack } from './forest-runs.ts';
import { loadCaptures } from './host-captures.ts';
import { locoRuns, type Split } from './host-loco.ts';

const DRAWS = (process.env.HOST_DRAWS ?? '0,1,2').split(',').map(Number);
const SEEDS = (process.env.HOST_SEEDS ?? '0,1').split(',').map(Number);

type Layout = (r: readonly ConnRecord[]) => FeatureMatrix;
const LAYOUTS: Record<string, Layout> = {
  aggregates: (r) => features(r, 'aggregates'),
  basic: (r) => features(r, 'basic'),
  union: allColumns,
};

function forestScores(layout: Layout, split: Split, seed: number): Float64Array {
  const train = stack(split.train.map((t) => layout(t)));
  const forest = IsolationForest.fit(dense(train), { seed, nEstimators: 100, featureNames: [...train.names] });
  return forest.anomalyScore(dense(layout(split.score)));
}

interface Row {
  capture: string;
  protocol: string;
  draw: number;
  seed: number;
  roc: Record<string, number>;
  pr: Record<string, number>;
}

function runOne(capture: string, protocol: string, draw: number, seed: number, split: Split): Row | null {
  const targets = labeledTargets(split.score);
  if (!targets) return null;
  const { idx, y } = targets;
  const scores: Record<string, ArrayLike<number>> = {};
  for (const [name, layout] of Object.entries(LAYOUTS)) scores[name] = forestScores(layout, split, seed);
  const a = scores.aggregates!;
  const b = scores.basic!;
  scores['mean-2'] = Float64Array.from(a, (v, i) => (v + b[i]!) / 2);
  scores['max-2'] = Float64Array.from(a, (v, i) => Math.max(v, b[i]!));
  const row: Row = { capture, protocol, draw, seed, roc: {}, pr: {} };
  for (const [name, s] of Object.entries(scores)) {
    const m = ranking(y, idx.map((i) => s[i]!));
    row.roc[name] = m.rocAuc;
    row.pr[name] = m.prAuc;
  }
  return row;
}

const captures = await loadCaptures();
const rows: Row[] = [];
for (const run of locoRuns(captures, DRAWS, SEEDS)) {
  const r = runOne(run.capture, run.protocol, run.draw, run.seed, run.split);
  if (r) rows.push(r);
}

const candidates = Object.keys(rows[0]!.roc);
const groups = new Map<string, Row[]>();
for (const r of rows) groups.set(`${r.protocol}|${r.capture}`, [...(groups.get(`${r.protocol}|${r.capture}`) ?? []), r]);
const avg = (rs: Row[], name: string, what: 'roc' | 'pr') => mean(rs.map((r) => r[what][name]!));
console.log(`| protocol | held-out capture | runs | ${candidates.map((c) => `ROC ${c}`).join(' | ')} | ${candidates.map((c) => `PR ${c}`).join(' | ')} |`);
console.log(`|---|---|---|${candidates.map(() => '---|').join('')}${candidates.map(() => '---|').join('')}`);
for (const [key, rs] of groups) {
  const [protocol, capture] = key.split('|');
  console.log(`| ${protocol} | ${capture} | ${rs.length} | ${candidates.map((c) => avg(rs, c, 'roc').toFixed(3)).join(' | ')} | ${candidates.map((c) => avg(rs, c, 'pr').toFixed(3)).join(' | ')} |`);
}
// Nested pick: per held-out capture, the candidate whose worst mixture-5% ROC over the other captures is highest.
const names = [...new Set(rows.map((r) => r.capture))];
const worstOn = (cands: string[], name: string) => Math.min(...cands.map((c) => avg(groups.get(`mixture-5%|${c}`) ?? [], name, 'roc')).filter(Number.isFinite));
console.log('\n| held-out capture | picked on the others | its mixture-5% ROC | mixture-1% | baseline-live |');
console.log('|---|---|---|---|---|');
for (const held of names) {
  const others = names.filter((n) => n !== held && groups.has(`mixture-5%|${n}`));
  const pick = candidates.reduce((best, c) => (worstOn(others, c) > worstOn(others, best) ? c : best));
  const cell = (p: string) => (groups.has(`${p}|${held}`) ? avg(groups.get(`${p}|${held}`)!, pick, 'roc').toFixed(3) : '-');
  console.log(`| ${held} | ${pick} | ${cell('mixture-5%')} | ${cell('mixture-1%')} | ${cell('baseline-live')} |`);
}
mkdirSync('out/bench', { recursive: true });
writeFileSync('out/bench/feature-loco.json', `${JSON.stringify(rows, null, 1)}\n`);
