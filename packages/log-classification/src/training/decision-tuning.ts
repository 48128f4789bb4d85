/**
 * The decision on top of calibrated probabilities, tuned on out-of-fold predictions of the training templates only
 * (never on held-out ones). The score tuned is a macro F-measure over the classes, template-weighted, in which
 * critical counts with F_β (β = 2: recall weighs 4× precision — a missed disk-full costs more than a false alarm) and
 * the other classes with F1, so that critical recall is bought only as long as the other classes survive it.
 *
 * Two rules:
 * - a critical threshold: critical when its probability reaches t, else argmax (one number);
 * - class biases: argmax_c (ln p_c + b_c), one offset per class (a prior shift), found by coordinate ascent.
 *   It can move every boundary, not only critical's: e.g. lower noise when informational lines drown in it.
 */
import { argmax } from '@aiops/ml';
import { biasedArgmax } from '../model/decision.ts';

/** Macro F over classes (F_β for `betaClass`, F1 for the rest) of predictions, each sample weighted. */
export function weightedMacroF(predicted: Int32Array, labels: Int32Array, weights: Float64Array, k: number, betaClass: number, beta: number): number {
  const tp = new Float64Array(k);
  const fp = new Float64Array(k);
  const fn = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    const p = predicted[i]!;
    const t = labels[i]!;
    if (p === t) tp[t] = tp[t]! + weights[i]!;
    else {
      fp[p] = fp[p]! + weights[i]!;
      fn[t] = fn[t]! + weights[i]!;
    }
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const b2 = c === betaClass ? beta * beta : 1;
    const denominator = (1 + b2) * tp[c]! + b2 * fn[c]! + fp[c]!;
    sum += denominator === 0 ? 0 : ((1 + b2) * tp[c]!) / denominator;
  }
  return sum / k;
}

/** Argmax of ln p + bias per row (bias null = plain argmax). */
export function decideWithBias(proba: Float64Array, k: number, bias: ArrayLike<number> | null, out = new Int32Array(proba.length / k)): Int32Array {
  const factor = bias ? Float64Array.from(bias, Math.exp) : null;
  for (let i = 0, o = 0; o < proba.length; i++, o += k) out[i] = factor ? biasedArgmax(proba, o, k, factor) : argmax(proba, o, k);
  return out;
}

/** The critical threshold in [0.05, 0.5] maximizing the score; null when plain argmax does as well. */
export function tuneCriticalThreshold(proba: Float64Array, labels: Int32Array, weights: Float64Array, classes: readonly string[], beta = 2): number | null {
  const critical = classes.indexOf('critical');
  if (critical < 0) return null;
  const k = classes.length;
  const predicted = new Int32Array(labels.length);
  const score = (threshold: number | null) => {
    for (let i = 0; i < labels.length; i++) {
      const o = i * k;
      predicted[i] = threshold !== null && proba[o + critical]! >= threshold ? critical : argmax(proba, o, k);
    }
    return weightedMacroF(predicted, labels, weights, k, critical, beta);
  };
  let best: number | null = null;
  let bestScore = score(null);
  for (let step = 50; step >= 5; step--) {
    const value = score(step / 100);
    if (value > bestScore + 1e-9) {
      best = step / 100;
      bestScore = value;
    }
  }
  return best;
}

const BIAS_GRID = Array.from({ length: 25 }, (_, i) => -3 + i * 0.25);

/**
 * Per-class log-prior offsets maximizing the score (coordinate ascent over a grid in [−3, 3], a few sweeps; the
 * first class stays at 0 since only differences matter). Returns null when no offset beats plain argmax.
 */
export function tuneClassBias(proba: Float64Array, labels: Int32Array, weights: Float64Array, classes: readonly string[], beta = 2): number[] | null {
  const k = classes.length;
  const critical = classes.indexOf('critical');
  const predicted = new Int32Array(labels.length);
  const score = (bias: number[] | null) => weightedMacroF(decideWithBias(proba, k, bias, predicted), labels, weights, k, critical, beta);
  const base = score(null);
  const bias = new Array<number>(k).fill(0);
  let best = base;
  for (let sweep = 0; sweep < 3; sweep++) {
    let improved = false;
    for (let c = 1; c < k; c++) {
      const keep = bias[c]!;
      let bestValue = keep;
      for (const value of BIAS_GRID) {
        bias[c] = value;
        const s = score(bias);
        // Ties go to the smaller offset: the least departure from the calibrated probabilities.
        if (s > best + 1e-9 || (Math.abs(s - best) <= 1e-9 && Math.abs(value) < Math.abs(bestValue))) {
          if (s > best + 1e-9) improved = true;
          best = Math.max(best, s);
          bestValue = value;
        }
      }
      bias[c] = bestValue;
    }
    if (!improved) break;
  }
  return best > base + 1e-9 ? bias : null;
}
