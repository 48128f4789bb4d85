import { checkBinaryInput, orderByScoreDescending, type BinaryLabels } from './labels.ts';

/**
 * Area under the ROC curve, as scikit-learn's roc_auc_score: one ROC point per distinct score (tied scores move
 * TPR and FPR together, a diagonal step) and the trapezoid rule between points — which is the probability that a
 * random positive outscores a random negative, ties counting one half.
 */
export function rocAuc(yTrue: BinaryLabels, scores: ArrayLike<number>): number {
  const positive = checkBinaryInput(yTrue, scores, 'rocAuc');
  const order = orderByScoreDescending(scores);
  let tp = 0;
  let fp = 0;
  let previousTp = 0;
  let previousFp = 0;
  let twiceArea = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (positive[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      twiceArea += (fp - previousFp) * (tp + previousTp);
      previousTp = tp;
      previousFp = fp;
    }
  }
  if (tp === 0 || fp === 0) {
    throw new Error('rocAuc: only one class present in the labels; ROC AUC is undefined');
  }
  return twiceArea / 2 / (tp * fp);
}

/**
 * Average precision, as scikit-learn's average_precision_score: Σ (R_k − R_{k−1}) · P_k over the distinct score
 * thresholds from the highest down — a step-wise area under the precision-recall curve, without the optimistic
 * linear interpolation of a trapezoid.
 */
export function averagePrecision(yTrue: BinaryLabels, scores: ArrayLike<number>): number {
  const positive = checkBinaryInput(yTrue, scores, 'averagePrecision');
  let totalPositives = 0;
  for (const p of positive) totalPositives += p;
  if (totalPositives === 0) throw new Error('averagePrecision: no positive labels; average precision is undefined');
  const order = orderByScoreDescending(scores);
  let tp = 0;
  let seen = 0;
  let previousRecall = 0;
  let sum = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    tp += positive[i]!;
    seen++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      const recall = tp / totalPositives;
      sum += (recall - previousRecall) * (tp / seen);
      previousRecall = recall;
    }
  }
  return sum;
}

export interface ThresholdReport {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** tp / (tp + fp); 0 when nothing is flagged (scikit-learn's zero_division default). */
  precision: number;
  /** tp / (tp + fn); 0 when there are no positives. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/** Confusion counts, precision, recall and F1 when every score ≥ threshold is flagged positive. */
export function precisionRecallAt(yTrue: BinaryLabels, scores: ArrayLike<number>, threshold: number): ThresholdReport {
  const positive = checkBinaryInput(yTrue, scores, 'precisionRecallAt');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < positive.length; i++) {
    const flagged = scores[i]! >= threshold;
    if (positive[i]) {
      if (flagged) tp++;
      else fn++;
    } else if (flagged) fp++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { threshold, truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision, recall, f1 };
}
