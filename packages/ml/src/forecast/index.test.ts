import { describe, expect, it } from 'vitest';
import { backtest, forecastSeries, isSkipped, type ForecastResult } from './index.ts';
import { mape } from './metrics.ts';
import { syntheticSeries } from './test-series.ts';

const DAY = 86_400;

function forecastOf(result: Awaited<ReturnType<typeof forecastSeries>>): ForecastResult {
  if (isSkipped(result)) throw new Error(`skipped: ${result.reason}`);
  return result;
}

/** The first `days` of a series, to fit on; the rest is held out. */
function head(s: { timestamps: number[]; values: (number | null)[] }, days: number) {
  const end = s.timestamps[0]! + days * DAY;
  const n = s.timestamps.findIndex((t) => t >= end);
  return { timestamps: s.timestamps.slice(0, n), values: s.values.slice(0, n) };
}

/** Hourly means of the held-out part, aligned with the forecast's points. */
function heldOutHourly(s: { timestamps: number[]; values: (number | null)[] }, times: number[]): number[] {
  return times.map((t) => {
    const vs = s.values.filter((_, i) => s.timestamps[i]! >= t && s.timestamps[i]! < t + 3600) as number[];
    return vs.reduce((a, b) => a + b, 0) / vs.length;
  });
}

describe('forecastSeries', () => {
  const full = syntheticSeries({ days: 28, level: 40, dailyAmplitude: 15, noise: 2, seed: 7 });
  const train = head(full, 21);

  for (const model of ['prophet', 'mstl-ets']) {
    it(`${model}: forecasts held-out days of a seasonal series within a few percent, bands ordered and covering`, async () => {
      const f = forecastOf(await forecastSeries(train, { horizonDays: 7, models: [model], bounded: true }));
      expect(f.model).toBe(model);
      expect(f.stepSeconds).toBe(3600);
      expect(f.points).toHaveLength(7 * 24);
      expect(f.points[0]!.time).toBe(train.timestamps[0]! + 21 * DAY);
      const actual = heldOutHourly(full, f.points.map((p) => p.time));
      expect(mape(actual, f.points.map((p) => p.yhat))).toBeLessThan(5);
      let inside95 = 0;
      for (const [i, p] of f.points.entries()) {
        expect(p.lower95).toBeLessThanOrEqual(p.lower80 + 1e-9);
        expect(p.lower80).toBeLessThanOrEqual(p.yhat + 1e-9);
        expect(p.yhat).toBeLessThanOrEqual(p.upper80 + 1e-9);
        expect(p.upper80).toBeLessThanOrEqual(p.upper95 + 1e-9);
        if (actual[i]! >= p.lower95 && actual[i]! <= p.upper95) inside95++;
      }
      expect(inside95 / f.points.length).toBeGreaterThan(0.85);
      expect(f.daysToExhaustion).toEqual({ '85': Infinity, '95': Infinity });
    });
  }

  it('chooses a model by holdout error and records it with its backtest MAPE', async () => {
    const f = forecastOf(await forecastSeries(train, { horizonDays: 7 }));
    expect(['prophet', 'mstl-ets']).toContain(f.model);
    expect(f.backtestMape).toBeGreaterThan(0);
    expect(f.backtestMape).toBeLessThan(10);
  });

  it('keeps a bounded percentage inside (0, 100) even when the trend runs into the ceiling', async () => {
    const filling = syntheticSeries({ days: 21, level: 60, dailyAmplitude: 5, trendPerDay: 1.5, noise: 1, seed: 3 });
    const f = forecastOf(await forecastSeries(filling, { horizonDays: 30, bounded: true, models: ['prophet'] }));
    expect(Math.max(...f.points.map((p) => p.upper95))).toBeLessThanOrEqual(100);
    expect(Math.min(...f.points.map((p) => p.lower95))).toBeGreaterThanOrEqual(0);
    // Mean at day 21 ≈ 91.5 % and rising 1.5/day: the upper bound reaches 95 % within days, 85 % already.
    expect(f.daysToExhaustion['85']).toBeLessThan(0.5);
    expect(f.daysToExhaustion['95']).toBeGreaterThan(0);
    expect(f.daysToExhaustion['95']).toBeLessThan(5);
  });

  it('finds exhaustion at about the right day on an unbounded linear fill', async () => {
    // 40 % + 1 %/day: the mean reaches 85 % at day 45, i.e. 24 days after the 21-day history; the upper 95 %
    // bound crosses a little earlier.
    const filling = syntheticSeries({ days: 21, level: 40, dailyAmplitude: 0.5, trendPerDay: 1, noise: 0.5, seed: 5 });
    const f = forecastOf(await forecastSeries(filling, { horizonDays: 30, models: ['prophet'] }));
    expect(f.daysToExhaustion['85']).toBeGreaterThan(17);
    expect(f.daysToExhaustion['85']).toBeLessThan(25);
    expect(f.daysToExhaustion['95']).toBe(Infinity); // day 55 of the mean: beyond the 30-day horizon
  });

  it('returns a SkippedSeries for bad data instead of throwing', async () => {
    const skipped = await forecastSeries({ timestamps: [1, 2, 3], values: [1, 2, 3] }, { horizonDays: 7 });
    expect(isSkipped(skipped) && skipped.reason).toMatch(/too short/);
  });

  it('refuses unknown models and a non-positive horizon', async () => {
    await expect(forecastSeries(train, { horizonDays: 7, models: ['arima'] })).rejects.toThrow(/unknown model\(s\) arima/);
    await expect(forecastSeries(train, { horizonDays: 0 })).rejects.toThrow(/horizonDays must be positive/);
  });
});

describe('backtest', () => {
  it('rolls the origin like Prophet cross_validation and reports pooled and per-fold scores', async () => {
    const s = syntheticSeries({ days: 42, level: 40, dailyAmplitude: 15, noise: 2, seed: 11 });
    const seen: number[] = [];
    const report = await backtest(s, { models: ['mstl-ets'], bounded: true, onFold: (done) => seen.push(done) });
    if (isSkipped(report)) throw new Error(report.reason);
    // 42 days: cutoffs at days 35, 28, 21 (21 days initial, every 7, horizon 7).
    expect(report.folds.map((f) => (f.cutoff - s.timestamps[0]!) / DAY)).toEqual([21, 28, 35]);
    expect(seen).toEqual([1, 2, 3]);
    expect(report.mape).toBeLessThan(5);
    expect(report.smape).toBeLessThan(5);
    expect(report.coverage95).toBeGreaterThan(0.85);
    expect(report.coverage80).toBeLessThanOrEqual(report.coverage95);
    expect(report.durbin_watson).toBeGreaterThan(1); // white noise → residuals about uncorrelated
    expect(report.folds[0]!.forecast).toHaveLength(7 * 24);
  });

  it('says why when the history is too short for one fold', async () => {
    const report = await backtest(syntheticSeries({ days: 20 }), {});
    expect(isSkipped(report) && report.reason).toMatch(/too short for a backtest: 20\.0 days of history, need initial 21 \+ horizon 7/);
  });
});

describe('coarse steps', () => {
  it('forecasts at 6-hour steps (Fourier orders capped to what 4 points a day can carry)', async () => {
    const s = syntheticSeries({ days: 21, level: 40, dailyAmplitude: 5, noise: 1, seed: 13 });
    const f = await forecastSeries(s, { horizonDays: 7, stepSeconds: 21_600, models: ['prophet'], bounded: true });
    if (isSkipped(f)) throw new Error(f.reason);
    expect(f.points).toHaveLength(28);
    expect(Math.abs(f.points[0]!.yhat - 40)).toBeLessThan(5);
  });
});
