/**
 * Evaluation of a model on labeled connections (Stratosphere CTU `label` column): ROC-AUC and PR-AUC (average
 * precision) of s(x), precision and recall of the model's own flags (its contamination threshold), and the
 * silhouette of flagged vs normal rows in feature space (on a seeded subsample: it is O(n²)).
 * Ground truth: `Malicious` = 1, `Benign` = 0; other labels (`Background`: unknown) and unlabeled rows are scored
 * with the rest (they are traffic and shape the window aggregates) but left out of every metric.
 */
import { averagePrecision, rocAuc, silhouetteScore } from '@aiops/ml';
import type { ConnRecord } from '@aiops/zeek';
import type { FeatureMatrix } from '@aiops/zeek';

export interface EvaluationReport {
  rows: number;
  labeled: number;
  malicious: number;
  benign: number;
  flagged: number;
  rocAuc: number | null;
  prAuc: number | null;
  precision: number | null;
  recall: number | null;
  /** Silhouette of the flagged vs normal partition of the labeled rows (subsampled), null with one side empty. */
  silhouette: number | null;
  silhouetteSample: number;
}

export function groundTruth(record: ConnRecord): 0 | 1 | null {
  if (record.label === 'Malicious') return 1;
  if (record.label === 'Benign') return 0;
  return null;
}

/** A seeded sample of `k` of the indices (Fisher–Yates prefix with a small LCG: reproducible, no dependency). */
function sampleIndices(indices: number[], k: number, seed: number): number[] {
  const a = [...indices];
  let state = seed >>> 0 || 1;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
  for (let i = 0; i < Math.min(k, a.length); i++) {
    const j = i + Math.floor(next() * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}

export function evaluateScores(
  records: readonly ConnRecord[],
  scores: Float64Array,
  predicted: Int8Array,
  matrix: FeatureMatrix,
  options: { silhouetteSample?: number; seed?: number } = {},
): EvaluationReport {
  const labeledIndices: number[] = [];
  const truth: number[] = [];
  const labeledScores: number[] = [];
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let flagged = 0;
  records.forEach((record, i) => {
    if (predicted[i] === -1) flagged++;
    const y = groundTruth(record);
    if (y === null) return;
    labeledIndices.push(i);
    truth.push(y);
    labeledScores.push(scores[i]!);
    const flag = predicted[i] === -1;
    if (flag && y === 1) tp++;
    else if (flag && y === 0) fp++;
    else if (!flag && y === 1) fn++;
  });
  const malicious = truth.filter((y) => y === 1).length;
  const benign = truth.length - malicious;
  const bothClasses = malicious > 0 && benign > 0;

  const sample = sampleIndices(labeledIndices, options.silhouetteSample ?? 2000, options.seed ?? 0);
  const clusters = sample.map((i) => (predicted[i] === -1 ? 1 : 0));
  const sides = new Set(clusters).size;
  let silhouette: number | null = null;
  if (sides === 2) {
    const data = new Float64Array(sample.length * matrix.columns);
    sample.forEach((i, r) => data.set(matrix.data.subarray(i * matrix.columns, (i + 1) * matrix.columns), r * matrix.columns));
    silhouette = silhouetteScore({ data, rows: sample.length, cols: matrix.columns }, clusters);
  }
  return {
    rows: records.length,
    labeled: truth.length,
    malicious,
    benign,
    flagged,
    rocAuc: bothClasses ? rocAuc(truth, labeledScores) : null,
    prAuc: malicious > 0 ? averagePrecision(truth, labeledScores) : null,
    precision: tp + fp > 0 ? tp / (tp + fp) : null,
    recall: malicious > 0 ? tp / (tp + fn) : null,
    silhouette,
    silhouetteSample: sample.length,
  };
}
