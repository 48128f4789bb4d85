/**
 * Nested leave-one-capture-out for the two host-level choices, from the runs host-loco.ts wrote
 * (out/bench/host-loco.json): for each held-out capture, the setting is picked on the OTHER captures only, then
 * reported on the held-out one.
 *   - fusion (fusion.ts boostedScores): start quantile of the training windows' host scores × weight; picked by the
 *     worst gain in ROC-AUC over the connection forest alone across the other captures × protocols (never worse
 *     first), ties (±0.0005) by the mean gain;
 *     Twice: over the full grid, and over the shipped family (the boost starts at the host alert threshold).
 *   - host alert threshold: training-window quantile (1 − host contamination; 0 = above every training window) ×
 *     least connections showing the change; picked (baseline-live) by how many other captures meet both incident
 *     targets of issue 13 (every episode within one batch, ≤ 1 false host alert a benign day), then the mean share
 *     of episodes within one batch, then the fewest false host alerts a day.
 * Run: pnpm exec tsx bench/anomaly-eval/host-select.ts [out/bench/host-loco.json]
 */
import { readFileSync } from 'node:fs';
import type { RunResult } from './host-loco.ts';
import { mean } from './forest-runs.ts';

const file = process.argv[2] ?? 'out/bench/host-loco.json';
const runs = (JSON.parse(readFileSync(file, 'utf8')) as RunResult[]).filter((r) => r.scorer === 'iforest');
const groupKey = (r: RunResult) => `${r.protocol}|${r.capture}`;
const groups = new Map<string, RunResult[]>();
for (const r of runs) groups.set(groupKey(r), [...(groups.get(groupKey(r)) ?? []), r]);
const captures = [...new Set(runs.map((r) => r.capture))];
const protocols = [...new Set(runs.map((r) => r.protocol))];
const f3 = (x: number) => x.toFixed(3);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

/** Mean over the runs of one capture × protocol. */
const at = (protocol: string, capture: string, f: (r: RunResult) => number): number | null => {
  const rs = groups.get(`${protocol}|${capture}`);
  return rs ? mean(rs.map(f)) : null;
};

/** Lexicographic pick: the candidate whose criteria tuple is best (each criterion: higher is better, within tol). */
function pick<T>(candidates: readonly T[], criteria: ((c: T) => number)[], tol = 0.0005): T {
  let pool = [...candidates];
  for (const criterion of criteria) {
    const best = Math.max(...pool.map(criterion));
    pool = pool.filter((c) => criterion(c) >= best - tol);
  }
  return pool[0]!;
}

// ---- fusion
const boostKeys = Object.keys(runs[0]!.boostRoc).filter((k) => !k.startsWith('own:'));
const gain = (protocol: string, capture: string, key: string) => {
  const boosted = at(protocol, capture, (r) => r.boostRoc[key]!);
  const conn = at(protocol, capture, (r) => r.roc.connection);
  return boosted === null || conn === null ? null : boosted - conn;
};
const gainsOver = (key: string, keep: (capture: string) => boolean) =>
  captures.filter(keep).flatMap((c) => protocols.flatMap((p) => (gain(p, c, key) === null ? [] : [gain(p, c, key)!])));

const lines: string[] = [];
fusionTable('the full grid', boostKeys);
// The shipped family: the boost starts at the host alert threshold (q = 1: host contamination 0), so host evidence
// lifts only the connections of host alerts (a design rule fixed before this grid was measured); only the weight is
// picked.
fusionTable('from the alert threshold (shipped family)', boostKeys.filter((k) => k.startsWith('1|')));

function fusionTable(title: string, keys: string[]): void {
  lines.push(`Fusion, ${title}, nested leave-one-capture-out (picked on the other captures; \`q|w\` = start quantile | weight):`, '');
  lines.push(`| held-out capture | picked | ${protocols.map((p) => `${p}: conn → fused (Δ)`).join(' | ')} |`);
  lines.push(`|---|---|${protocols.map(() => '---').join('|')}|`);
  const picked = new Map<string, string>();
  for (const held of captures) {
    const key = pick(keys, [(k) => Math.min(...gainsOver(k, (c) => c !== held)), (k) => mean(gainsOver(k, (c) => c !== held))]);
    picked.set(held, key);
    const cells = protocols.map((p) => {
      const conn = at(p, held, (r) => r.roc.connection);
      return conn === null ? '-' : `${f3(conn)} → ${f3(conn + gain(p, held, key)!)} (${signed(gain(p, held, key)!)})`;
    });
    lines.push(`| ${held} | ${key} | ${cells.join(' | ')} |`);
}
const overall = pick(keys, [(k) => Math.min(...gainsOver(k, () => true)), (k) => mean(gainsOver(k, () => true))]);
lines.push('', `On all captures at once: ${overall} (worst gain ${signed(Math.min(...gainsOver(overall, () => true)))}, mean ${signed(mean(gainsOver(overall, () => true)))}).`, '');
}

// ---- host alert threshold
const evidenceKeys = Object.keys(runs[0]!.evidenceSweep).filter((k) => !k.startsWith('own:'));
const live = 'baseline-live';
const within = (capture: string, key: string) => at(live, capture, (r) => r.evidenceSweep[key]![3]);
const falsePerDay = (capture: string, key: string) => at(live, capture, (r) => r.evidenceSweep[key]![1] / r.benignDays);
const over = (f: (c: string, k: string) => number | null, key: string, keep: (c: string) => boolean) =>
  captures.filter(keep).flatMap((c) => (f(c, key) === null ? [] : [f(c, key)!]));
lines.push('Host alert threshold, nested leave-one-capture-out, baseline-live (`c|k` = host contamination | least connections showing; 0 = above every training window):', '');
lines.push('| held-out capture | picked | episodes within one batch | false host alerts / benign day | with the previous default (0.001\\|1) |');
lines.push('|---|---|---|---|---|');
for (const held of captures) {
  if (within(held, evidenceKeys[0]!) === null) continue;
  const others = (c: string) => c !== held;
  // The issue's two incident targets together: every episode within one batch and ≤ 1 false host alert a day.
  const meets = (c: string, k: string) => (within(c, k)! >= 1 - 1e-9 && falsePerDay(c, k)! <= 1 ? 1 : 0);
  const key = pick(evidenceKeys, [
    (k) => over(meets, k, others).reduce((a, b) => a + b, 0),
    (k) => mean(over(within, k, others)),
    (k) => -mean(over(falsePerDay, k, others)),
  ], 1e-9);
  lines.push(`| ${held} | ${key.replace('|', '\\|')} | ${(100 * within(held, key)!).toFixed(1)} % | ${falsePerDay(held, key)!.toFixed(2)} | ${(100 * within(held, '0.001|1')!).toFixed(1)} % / ${falsePerDay(held, '0.001|1')!.toFixed(2)} |`);
}
console.log(lines.join('\n'));
