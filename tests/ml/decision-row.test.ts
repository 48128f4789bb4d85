import { describe, expect, it } from 'vitest';
import { SoftmaxRegression } from '@aiops/ml';

/** A deterministic generator (mulberry32): the test's rows and weights are the same on every run. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function model(classes: number, features: number, random: () => number): SoftmaxRegression {
  const names = Array.from({ length: classes }, (_, c) => `c${c}`);
  return SoftmaxRegression.fromJSON({
    classes: names,
    coefficients: names.map(() => Array.from({ length: features }, () => (random() - 0.5) * 8)),
    intercepts: names.map(() => (random() - 0.5) * 2),
  });
}

describe('SoftmaxRegression.decisionRow', () => {
  // The four-class path keeps its sums in locals (decisionRow4); the generic loop and decisionFunction add in out.
  it.each([2, 3, 4, 5])('gives bit for bit the logits decisionFunction gives, %i classes', (k) => {
    const random = generator(k);
    const features = 300;
    const m = model(k, features, random);
    for (let row = 0; row < 500; row++) {
      const nnz = Math.floor(random() * 60);
      const cols = Int32Array.from({ length: nnz }, () => Math.floor(random() * features));
      const values = Float64Array.from({ length: nnz }, () => random() / Math.sqrt(nnz));
      const out = new Float64Array(k + 3);
      m.decisionRow(cols, values, nnz, out, 3);
      const X = { rows: 1, cols: features, indptr: Int32Array.of(0, nnz), indices: cols, data: values };
      expect(out.subarray(3)).toEqual(m.decisionFunction(X));
    }
  });
});
