import { describe, expect, it } from 'vitest';
import { prophetFitPredict, type ProphetSettings } from './models.ts';
import { inverseNormal, simulateProphetBands } from './prophet-intervals.ts';
import { syntheticSeries } from './test-series.ts';
import { initForecastWasm } from './wasm.ts';

describe('simulateProphetBands', () => {
  it('inverseNormal is Φ⁻¹ (known quantiles to 1e-8)', () => {
    expect(inverseNormal(0.5)).toBeCloseTo(0, 10);
    expect(inverseNormal(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(inverseNormal(0.025)).toBeCloseTo(-1.959963984540054, 8);
    expect(inverseNormal(0.1)).toBeCloseTo(-1.2815515655446004, 8);
    expect(inverseNormal(1e-6)).toBeCloseTo(-4.753424308822899, 6);
  });

  it('without trend changes (the history only) the band is yhat ± z·σ·y_scale', () => {
    const t = Float64Array.from({ length: 24 }, (_, i) => 0.5 + i / 100);
    const yhat = Array.from({ length: 24 }, (_, i) => 10 + i);
    const { lower, upper } = simulateProphetBands({ changepoints: [0.1, 0.5], delta: [0.3, -0.2], sigmaObs: 0.05, yScale: 40 }, t, yhat, 0.95, 1000);
    lower.forEach((l, i) => {
      expect(l).toBeCloseTo(yhat[i]! - 1.96 * 0.05 * 40, 1);
      expect(upper[i]!).toBeCloseTo(yhat[i]! + 1.96 * 0.05 * 40, 1);
    });
  });

  it('widens with the horizon when changepoints may come, is seeded, and keeps yhat inside', () => {
    const t = Float64Array.from({ length: 168 }, (_, i) => 1 + (i + 1) / 504);
    const yhat = Array.from({ length: 168 }, () => 5);
    const fit = { changepoints: Array.from({ length: 25 }, (_, i) => (i + 1) / 32), delta: Array.from({ length: 25 }, (_, i) => (i % 2 ? 0.02 : -0.02)), sigmaObs: 0.01, yScale: 10 };
    const a = simulateProphetBands(fit, t, yhat, 0.95, 1000, 7);
    expect(simulateProphetBands(fit, t, yhat, 0.95, 1000, 7)).toStrictEqual(a);
    expect(simulateProphetBands(fit, t, yhat, 0.95, 1000, 8)).not.toStrictEqual(a);
    const width = (i: number) => a.upper[i]! - a.lower[i]!;
    expect(width(167)).toBeGreaterThan(1.5 * width(0));
    a.lower.forEach((l, i) => expect(l < yhat[i]! && yhat[i]! < a.upper[i]!).toBe(true));
  });

  it("matches augurs' own 1,000-draw bands from the same fit within 3 % of the width", async () => {
    await initForecastWasm();
    const series = syntheticSeries({ days: 21, stepSeconds: 3600, level: 40, dailyAmplitude: 10, trendPerDay: 0.3, noise: 2, seed: 3 });
    const ds = series.timestamps;
    const y = series.values as number[];
    const future = Array.from({ length: 7 * 24 }, (_, h) => ds[ds.length - 1]! + (h + 1) * 3600);
    const settings: ProphetSettings = { changepointPriorScale: 0.01, seasonalityPriorScale: 0.1, uncertaintySamples: 1000 };
    const run = prophetFitPredict(ds, y, future, settings, 0.95, 'augurs');
    const ours = simulateProphetBands(run.trend, run.futureTimes, run.yhat, 0.95, 1000);
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const widthAugurs = mean(run.upper.map((u, i) => u - run.lower[i]!));
    const widthOurs = mean(ours.upper.map((u, i) => u - ours.lower[i]!));
    expect(widthAugurs).toBeGreaterThan(0);
    expect(Math.abs(widthOurs / widthAugurs - 1)).toBeLessThan(0.03);
  });
});
