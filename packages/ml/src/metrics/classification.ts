/**
 * Multi-class classification metrics: confusion matrix, per-class precision / recall / F1, macro-F1, and the
 * expected calibration error with its reliability-diagram bins. Optional per-sample weights let a caller score
 * "per template" (each template weighs 1 in total) with the same code as "per line".
 */

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Number (or total weight) of true samples of the class. */
  support: number;
}

export interface ClassificationReport {
  classes: string[];
  perClass: Record<string, ClassScores>;
  macroF1: number;
  accuracy: number;
  /** confusion[i][j]: weight of samples of true class i predicted as class j. */
  confusion: number[][];
}

export function confusionMatrix(
  truth: readonly string[],
  predicted: readonly string[],
  classes: readonly string[],
  weights?: ArrayLike<number>,
): number[][] {
  if (truth.length !== predicted.length) throw new Error(`${truth.length} true labels but ${predicted.length} predictions`);
  const index = new Map(classes.map((c, i) => [c, i]));
  const matrix = classes.map(() => classes.map(() => 0));
  truth.forEach((t, i) => {
    const r = index.get(t);
    const c = index.get(predicted[i]!);
    if (r === undefined || c === undefined) throw new Error(`unknown class at sample ${i}: ${t} / ${predicted[i]}`);
    matrix[r]![c]! += weights ? weights[i]! : 1;
  });
  return matrix;
}

const safeDivide = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function classificationReport(
  truth: readonly string[],
  predicted: readonly string[],
  classes: readonly string[],
  weights?: ArrayLike<number>,
): ClassificationReport {
  const confusion = confusionMatrix(truth, predicted, classes, weights);
  const perClass: Record<string, ClassScores> = {};
  let total = 0;
  let correct = 0;
  classes.forEach((cls, i) => {
    const tp = confusion[i]![i]!;
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((sum, row) => sum + row[i]!, 0);
    const precision = safeDivide(tp, predictedCount);
    const recall = safeDivide(tp, support);
    perClass[cls] = { precision, recall, f1: safeDivide(2 * precision * recall, precision + recall), support };
    total += support;
    correct += tp;
  });
  // Like sklearn's f1_score(average='macro'): a class with no true and no predicted samples still counts (as 0).
  const macroF1 = classes.reduce((sum, c) => sum + perClass[c]!.f1, 0) / classes.length;
  return { classes: classes.slice(), perClass, macroF1, accuracy: safeDivide(correct, total), confusion };
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/**
 * Expected calibration error over equal-width confidence bins: Σ_b (n_b / n) · |accuracy_b − confidence_b|,
 * where confidence is the probability of the predicted class.
 */
export function expectedCalibrationError(
  confidences: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  binCount = 10,
): { ece: number; bins: ReliabilityBin[] } {
  const n = confidences.length;
  const sums = Array.from({ length: binCount }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (let i = 0; i < n; i++) {
    const p = confidences[i]!;
    const b = Math.min(binCount - 1, Math.max(0, Math.ceil(p * binCount) - 1));
    sums[b]!.count++;
    sums[b]!.confidence += p;
    sums[b]!.correct += correct[i] ? 1 : 0;
  }
  let ece = 0;
  const bins = sums.map((s, b) => {
    const meanConfidence = safeDivide(s.confidence, s.count);
    const accuracy = safeDivide(s.correct, s.count);
    ece += (s.count / Math.max(1, n)) * Math.abs(accuracy - meanConfidence);
    return { lower: b / binCount, upper: (b + 1) / binCount, count: s.count, meanConfidence, accuracy };
  });
  return { ece, bins };
}
