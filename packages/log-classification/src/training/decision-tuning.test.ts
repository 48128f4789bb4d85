import { describe, expect, it } from 'vitest';
import { decideWithBias, tuneClassBias, tuneCriticalThreshold, weightedMacroF } from './decision-tuning.ts';

const classes = ['critical', 'informational', 'noise', 'warning'];
// Out-of-fold probabilities where critical lines come out at p(critical) ≈ 0.3, under noise's 0.5.
function problem() {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 20; i++) {
    rows.push([0.3, 0.1, 0.5, 0.1]);
    labels.push(0);
    rows.push([0.05, 0.1, 0.8, 0.05]);
    labels.push(2);
    rows.push([0.05, 0.8, 0.1, 0.05]);
    labels.push(1);
    rows.push([0.05, 0.1, 0.1, 0.75]);
    labels.push(3);
  }
  return { proba: Float64Array.from(rows.flat()), labels: Int32Array.from(labels), weights: new Float64Array(labels.length).fill(1) };
}

describe('decision tuning', () => {
  it('scores F_beta for the chosen class and F1 for the rest', () => {
    const labels = Int32Array.from([0, 0, 1, 1]);
    const perfect = weightedMacroF(labels, labels, new Float64Array(4).fill(1), 2, 0, 2);
    expect(perfect).toBeCloseTo(1, 12);
    // Predicting everything as class 0: recall 1 for class 0 (F2 = 5·0.5 / (5·0.5 + 0 + 2·... )), F1 = 0 for class 1.
    const allZero = weightedMacroF(Int32Array.from([0, 0, 0, 0]), labels, new Float64Array(4).fill(1), 2, 0, 2);
    expect(allZero).toBeCloseTo((5 * 2) / (5 * 2 + 0 + 2) / 2, 12);
  });

  it('finds a critical threshold that recovers the under-confident critical lines', () => {
    const { proba, labels, weights } = problem();
    const threshold = tuneCriticalThreshold(proba, labels, weights, classes);
    expect(threshold).not.toBeNull();
    expect(threshold!).toBeLessThanOrEqual(0.3);
    expect(threshold!).toBeGreaterThan(0.05);
  });

  it('finds class biases that do the same, and returns null when argmax is already right', () => {
    const { proba, labels, weights } = problem();
    const bias = tuneClassBias(proba, labels, weights, classes);
    expect(bias).not.toBeNull();
    const predicted = decideWithBias(proba, 4, bias);
    expect([...predicted]).toEqual([...labels]);
    const easy = Float64Array.from([...labels].flatMap((l) => [0, 1, 2, 3].map((c) => (c === l ? 0.7 : 0.1))));
    expect(tuneClassBias(easy, labels, weights, classes)).toBeNull();
  });
});
