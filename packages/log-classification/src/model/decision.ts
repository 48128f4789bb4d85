/**
 * The class-bias decision, one function for training (training/decision-tuning.ts tunes the biases with it) and
 * serving (LogClassifier.decide): the class maximizing ln p_c + b_c, computed as the class maximizing p_c · e^(b_c)
 * — the same order, no logarithm per class. `factor` holds e^(b_c).
 */
export function biasedArgmax(probabilities: ArrayLike<number>, offset: number, k: number, factor: ArrayLike<number>): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < k; c++) {
    const score = probabilities[offset + c]! * factor[c]!;
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}
