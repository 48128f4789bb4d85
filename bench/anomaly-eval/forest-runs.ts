/** Small helpers shared by the network evaluations: stacking feature matrices, fitting ours, the ranking metrics. */
import { averagePrecision, IsolationForest, rocAuc } from '@aiops/ml';
import type { ConnRecord } from '@aiops/zeek';
import { AGGREGATE_FEATURE_NAMES, buildFeatureMatrix, featureNames, type FeatureMatrix, type FeatureSet } from '@aiops/zeek';
import { scoredRecords, truthOf, type ProtocolSplit } from '@aiops/network-anomaly';

export const FEATURE_SETS: readonly FeatureSet[] = ['basic', 'aggregates'];

export function features(records: readonly ConnRecord[], featureSet: FeatureSet): FeatureMatrix {
  return buildFeatureMatrix(records, { featureSet });
}

/** Every candidate per-connection column: basic's 16, then the 10 context columns of `aggregates` (26). */
export const ALL_COLUMN_NAMES: readonly string[] = [...featureNames('basic'), ...AGGREGATE_FEATURE_NAMES];

/** The records' matrix with every candidate column (ALL_COLUMN_NAMES order): the feature-set studies' input. */
export function allColumns(records: readonly ConnRecord[]): FeatureMatrix {
  const b = features(records, 'basic');
  const a = features(records, 'aggregates');
  const ctx = AGGREGATE_FEATURE_NAMES.map((n) => a.names.indexOf(n));
  const columns = ALL_COLUMN_NAMES.length;
  const data = new Float64Array(b.rows * columns);
  for (let i = 0; i < b.rows; i++) {
    data.set(b.data.subarray(i * b.columns, (i + 1) * b.columns), i * columns);
    ctx.forEach((c, j) => (data[i * columns + b.columns + j] = a.data[i * a.columns + c]!));
  }
  return { data, rows: b.rows, columns, names: ALL_COLUMN_NAMES };
}

/** The scored rows with a known truth (Benign 0 / Malicious 1); null when too few of either class to rank. */
export function labeledTargets(score: readonly ConnRecord[]): { idx: number[]; y: Uint8Array } | null {
  const labeled = score.map(truthOf);
  const idx = labeled.flatMap((v, i) => (v === null ? [] : [i]));
  const y = Uint8Array.from(idx.map((i) => labeled[i]!));
  const malicious = y.reduce((a, b) => a + b, 0);
  return malicious < 3 || y.length - malicious < 5 ? null : { idx, y };
}

/** Rows of several matrices (same columns) one after the other. */
export function stack(parts: readonly FeatureMatrix[]): FeatureMatrix {
  const columns = parts[0]!.columns;
  const data = new Float64Array(parts.reduce((n, p) => n + p.data.length, 0));
  let offset = 0;
  for (const p of parts) {
    if (p.columns !== columns) throw new Error('stack: column counts differ');
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return { data, rows: data.length / columns, columns, names: parts[0]!.names };
}

/** The rows `keep` of a matrix, in that order. */
export function selectRows(m: FeatureMatrix, keep: readonly number[]): FeatureMatrix {
  const data = new Float64Array(keep.length * m.columns);
  keep.forEach((row, i) => data.set(m.data.subarray(row * m.columns, (row + 1) * m.columns), i * m.columns));
  return { data, rows: keep.length, columns: m.columns, names: m.names };
}

/**
 * The matrix of a split's scored part built with its context before it (network-anomaly scoredRecords), the context
 * rows dropped: the window aggregates of the first scored rows see the hour before them, as detect's do.
 */
export function scoredWithContext(layout: (records: readonly ConnRecord[]) => FeatureMatrix, split: Pick<ProtocolSplit, 'context' | 'score'>): FeatureMatrix {
  const { records, reportFrom } = scoredRecords(split);
  return selectRows(layout(records), split.score.map((_, i) => reportFrom + i));
}

export const dense = (m: FeatureMatrix) => ({ data: m.data, rows: m.rows, cols: m.columns });

export function fitForest(train: FeatureMatrix, seed: number, contamination: number | 'auto' = 'auto'): IsolationForest {
  return IsolationForest.fit(dense(train), { seed, contamination, nEstimators: 100, featureNames: [...train.names] });
}

export function ranking(labels: Uint8Array, scores: ArrayLike<number>): { rocAuc: number; prAuc: number } {
  return { rocAuc: rocAuc(labels, scores), prAuc: averagePrecision(labels, scores) };
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const std = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};
