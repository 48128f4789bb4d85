/** Small helpers shared by the network evaluations: stacking feature matrices, fitting ours, the ranking metrics. */
import { averagePrecision, IsolationForest, rocAuc } from '@aiops/ml';
import type { ConnRecord } from '@aiops/zeek';
import { buildFeatureMatrix, type FeatureMatrix, type FeatureSet } from '@aiops/zeek';

export const FEATURE_SETS: readonly FeatureSet[] = ['basic', 'aggregates'];

export function features(records: readonly ConnRecord[], featureSet: FeatureSet): FeatureMatrix {
  return buildFeatureMatrix(records, { featureSet });
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
