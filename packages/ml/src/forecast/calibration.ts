/**
 * Interval calibration on the model-choice holdout (a one-fold split conformal step): MSTL's bands only carry the
 * ETS trend's error, and Prophet's assume its noise is white, so both under-cover on real VMs. The factor that
 * would have made the holdout's band cover its nominal share of actuals rescales the final band, per level.
 */
import type { Bands } from './bands.ts';

/**
 * Bounds on the factor: one week is a small sample, so a band never shrinks below half or grows beyond four times
 * the model's own. Shrinking matters too: on smooth aggregates MSTL's bands covered 100 % of a week.
 */
const MIN_FACTOR = 0.5;
const MAX_FACTOR = 4;

export interface CalibrationFactors {
  k80: number;
  k95: number;
}

/** Smallest k such that yhat ± k·(side half-width) holds `level` of the actuals (all in the model's scale). */
function factor(actual: (number | null)[], yhat: number[], lower: number[], upper: number[], level: number): number {
  const ratios: number[] = [];
  actual.forEach((a, i) => {
    if (a === null) return;
    const half = a >= yhat[i]! ? upper[i]! - yhat[i]! : yhat[i]! - lower[i]!;
    const miss = Math.abs(a - yhat[i]!);
    ratios.push(half > 0 ? miss / half : miss > 0 ? MAX_FACTOR : 0);
  });
  if (ratios.length < 24) return 1; // too few observed holdout points to say anything
  ratios.sort((a, b) => a - b);
  const q = ratios[Math.min(ratios.length - 1, Math.ceil(level * ratios.length) - 1)]!;
  return Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, q));
}

export function calibrationFactors(actual: (number | null)[], holdout: Bands): CalibrationFactors {
  return {
    k80: factor(actual, holdout.yhat, holdout.lower80, holdout.upper80, 0.8),
    k95: factor(actual, holdout.yhat, holdout.lower95, holdout.upper95, 0.95),
  };
}

export function widen(b: Bands, { k80, k95 }: CalibrationFactors): Bands {
  const scale = (k: number, bound: number[]) => bound.map((v, i) => b.yhat[i]! + k * (v - b.yhat[i]!));
  return {
    yhat: b.yhat,
    lower80: scale(k80, b.lower80),
    upper80: scale(k80, b.upper80),
    lower95: scale(k95, b.lower95),
    upper95: scale(k95, b.upper95),
  };
}
