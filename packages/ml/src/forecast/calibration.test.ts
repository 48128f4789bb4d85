import { describe, expect, it } from 'vitest';
import { calibrationFactors, widen } from './calibration.ts';
import type { Bands } from './bands.ts';

const n = 100;
const flat = (v: number) => Array.from({ length: n }, () => v);
/** A band of half-width 1 (95 %) and 0.5 (80 %) around 0. */
const holdout: Bands = { yhat: flat(0), lower80: flat(-0.5), upper80: flat(0.5), lower95: flat(-1), upper95: flat(1) };

describe('band calibration on the holdout', () => {
  it('widens a band that under-covers until it would have covered its share', () => {
    // Actuals spread uniformly over ±2: 95 % of them need a half-width of 1.9, 80 % one of 1.6.
    const actual = Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1));
    const k = calibrationFactors(actual, holdout);
    expect(k.k95).toBeCloseTo(1.9, 1);
    expect(k.k80).toBeCloseTo(3.2, 1);
    const wide = widen(holdout, k);
    expect(wide.upper95[0]).toBeCloseTo(k.k95, 12);
    expect(wide.lower80[0]).toBeCloseTo(-0.5 * k.k80, 12);
  });
  it('narrows an over-wide band, but never below half, and leaves it alone on too few points', () => {
    expect(calibrationFactors(flat(0.001), holdout)).toEqual({ k80: 0.5, k95: 0.5 });
    expect(calibrationFactors([...flat(null as unknown as number).slice(0, 90), ...flat(5).slice(0, 10)], holdout)).toEqual({ k80: 1, k95: 1 });
  });
  it('is capped at four times the model band', () => {
    expect(calibrationFactors(flat(100), holdout)).toEqual({ k80: 4, k95: 4 });
  });
});
