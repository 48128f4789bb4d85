import type { ForecastPoint } from './types.ts';

/** A forecast curve as columns: one entry per future step. */
export interface Bands {
  yhat: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
}

/** Standard-normal quantiles of the two central intervals. */
const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;

/**
 * The 80 % band from the 95 % one, side by side: each half-width shrinks by z80 / z95. Exact when the predictive
 * distribution is Gaussian around yhat (Prophet's observation noise; its trend-change simulation is a sum of many
 * Laplace steps, close to Gaussian too); keeping the two sides separate keeps any asymmetry. Measured against a
 * second Prophet fitted with interval_width 0.8 in bench/forecast (docs/evaluation/forecast.md).
 */
export function derive80From95(yhat: number[], lower95: number[], upper95: number[]): { lower80: number[]; upper80: number[] } {
  const r = Z80 / Z95;
  return {
    lower80: yhat.map((y, i) => y - (y - lower95[i]!) * r),
    upper80: yhat.map((y, i) => y + (upper95[i]! - y) * r),
  };
}

export function mapBands(b: Bands, f: (v: number) => number): Bands {
  return {
    yhat: b.yhat.map(f),
    lower80: b.lower80.map(f),
    upper80: b.upper80.map(f),
    lower95: b.lower95.map(f),
    upper95: b.upper95.map(f),
  };
}

export function toPoints(b: Bands, times: number[]): ForecastPoint[] {
  return times.map((time, i) => ({
    time,
    yhat: b.yhat[i]!,
    lower80: b.lower80[i]!,
    upper80: b.upper80[i]!,
    lower95: b.lower95[i]!,
    upper95: b.upper95[i]!,
  }));
}
