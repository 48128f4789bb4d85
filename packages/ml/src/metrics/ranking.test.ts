import { describe, expect, it } from 'vitest';
import { averagePrecision, precisionRecallAt, rocAuc } from './ranking.ts';

// Expected values computed once with scikit-learn 1.9.1 (bench/.venv):
//   roc_auc_score(y, s), average_precision_score(y, s) on the inputs below.
const y = [0, 0, 1, 1, 0, 1, 0, 1];
const s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9]; // a tie of three at 0.4, across both classes
const y2 = [1, 0, 1, 0, 0, 0, 1, 0, 0, 0];
const s2 = [0.9, 0.8, 0.7, 0.6, 0.5, 0.5, 0.5, 0.2, 0.1, 0.0];

describe('rocAuc', () => {
  it('matches scikit-learn, ties included', () => {
    expect(rocAuc(y, s)).toBeCloseTo(0.8125, 12);
    expect(rocAuc(y2, s2)).toBeCloseTo(0.8095238095238095, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 when all scores tie', () => {
    expect(rocAuc([0, 0, 1, 1], [1, 2, 3, 4])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [1, 2, 3, 4])).toBe(0);
    expect(rocAuc([1, 0, 1, 0], [7, 7, 7, 7])).toBe(0.5);
  });

  it('accepts booleans as labels', () => {
    expect(rocAuc(y.map(Boolean), s)).toBeCloseTo(0.8125, 12);
  });

  it('refuses one class only, mismatched lengths and labels other than 0/1', () => {
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(/only one class/);
    expect(() => rocAuc([1, 0], [0.1])).toThrow(/2 labels but 1 scores/);
    expect(() => rocAuc([1, 2], [0.1, 0.2])).toThrow(/index 1 is 2/);
    expect(() => rocAuc([1, 0], [0.1, NaN])).toThrow(/index 1 is NaN/);
  });
});

describe('averagePrecision', () => {
  it('matches scikit-learn, ties included', () => {
    expect(averagePrecision(y, s)).toBeCloseTo(0.8166666666666667, 12);
    expect(averagePrecision(y2, s2)).toBeCloseTo(0.6984126984126985, 12);
  });

  it('is 1 when every positive outranks every negative', () => {
    expect(averagePrecision([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.8])).toBe(1);
  });

  it('refuses labels without a positive', () => {
    expect(() => averagePrecision([0, 0], [0.1, 0.2])).toThrow(/no positive/);
  });
});

describe('precisionRecallAt', () => {
  it('flags scores ≥ threshold and counts by hand', () => {
    // s ≥ 0.4 flags indices 1, 3, 4, 5, 7: positives among them 3, 5, 7 → tp 3, fp 2; missed positive 2 → fn 1.
    const r = precisionRecallAt(y, s, 0.4);
    expect(r).toMatchObject({ truePositives: 3, falsePositives: 2, falseNegatives: 1, trueNegatives: 2 });
    expect(r.precision).toBeCloseTo(3 / 5, 12);
    expect(r.recall).toBeCloseTo(3 / 4, 12);
    expect(r.f1).toBeCloseTo((2 * 0.6 * 0.75) / 1.35, 12);
  });

  it('gives precision 0 (not NaN) when nothing is flagged', () => {
    const r = precisionRecallAt(y, s, 2);
    expect(r.precision).toBe(0);
    expect(r.recall).toBe(0);
    expect(r.f1).toBe(0);
  });
});
