import { describe, expect, it } from 'vitest';
import { classificationReport, expectedCalibrationError } from './classification.ts';

describe('classificationReport', () => {
  it('computes per-class precision/recall/F1 and macro-F1 as sklearn does', () => {
    // sklearn: f1_score(['a','a','b','c'], ['a','b','b','b'], average=None) = [0.6667, 0.5, 0.0]
    const r = classificationReport(['a', 'a', 'b', 'c'], ['a', 'b', 'b', 'b'], ['a', 'b', 'c']);
    expect(r.perClass.a).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(r.perClass.b!.precision).toBeCloseTo(1 / 3);
    expect(r.perClass.b!.f1).toBeCloseTo(0.5);
    expect(r.perClass.c!.f1).toBe(0);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.5) / 3);
    expect(r.confusion).toEqual([[1, 1, 0], [0, 1, 0], [0, 1, 0]]);
    expect(r.accuracy).toBe(0.5);
  });

  it('weights samples', () => {
    const r = classificationReport(['a', 'a', 'b'], ['a', 'b', 'b'], ['a', 'b'], [0.5, 0.5, 1]);
    expect(r.perClass.a!.support).toBe(1);
    expect(r.confusion).toEqual([[0.5, 0.5], [0, 1]]);
  });

  it('names an unknown class', () => {
    expect(() => classificationReport(['a'], ['z'], ['a'])).toThrow(/unknown class at sample 0/);
  });
});

describe('expectedCalibrationError', () => {
  it('is zero for a perfectly calibrated bin and measures the gap otherwise', () => {
    expect(expectedCalibrationError([0.5, 0.5], [true, false]).ece).toBeCloseTo(0);
    const { ece, bins } = expectedCalibrationError([0.95, 0.95, 0.95, 0.95], [true, false, false, false]);
    expect(ece).toBeCloseTo(0.7);
    expect(bins[9]).toMatchObject({ count: 4, accuracy: 0.25 });
  });
});
