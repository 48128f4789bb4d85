import { describe, expect, it } from 'vitest';
import { fillGaps, prepareSeries, resample } from './series-prep.ts';
import { syntheticSeries } from './test-series.ts';

const hourly = { stepSeconds: 3600 };

function reason(result: ReturnType<typeof prepareSeries>): string {
  if (result.ok) throw new Error('expected the series to be refused');
  return result.reason;
}

describe('prepareSeries refuses bad data with a reason', () => {
  it('all-NaN', () => {
    expect(reason(prepareSeries({ timestamps: [0, 300, 600], values: [NaN, null, NaN] }, hourly))).toMatch(/all 3 values are missing or NaN/);
  });
  it('three points', () => {
    expect(reason(prepareSeries({ timestamps: [0, 300, 600], values: [1, 2, 3] }, hourly))).toMatch(/too short: 3 observation\(s\) over 0\.01 days/);
  });
  it('constant', () => {
    const s = syntheticSeries({ days: 5, noise: 0, dailyAmplitude: 0 });
    expect(reason(prepareSeries(s, hourly))).toMatch(/constant at 40 over 1440 observations/);
  });
  it('a huge gap, naming where it is', () => {
    const s = syntheticSeries({ days: 10 });
    const keep = s.timestamps.map((t) => t < s.timestamps[0]! + 2 * 86_400 || t >= s.timestamps[0]! + 7 * 86_400);
    const gappy = { timestamps: s.timestamps.filter((_, i) => keep[i]), values: s.values.filter((_, i) => keep[i]) };
    expect(reason(prepareSeries(gappy, hourly))).toMatch(/gap of 5\.0 days \(2013-07-02T23:55:00Z → 2013-07-08T00:00:00Z\)/);
  });
  it('many scattered gaps', () => {
    const s = syntheticSeries({ days: 10 });
    // Keep one 5-minute sample in every third hour: no single long gap, but two thirds of the buckets empty.
    const keep = s.timestamps.map((t) => (t - s.timestamps[0]!) % (3 * 3600) === 0);
    const sparse = { timestamps: s.timestamps.filter((_, i) => keep[i]), values: s.values.filter((_, i) => keep[i]) };
    expect(reason(prepareSeries(sparse, hourly))).toMatch(/too many gaps: only 80 of 238 3600-s buckets observed/);
  });
  it('counter resets: too many drops is not a counter', () => {
    const s = syntheticSeries({ days: 5 });
    expect(reason(prepareSeries(s, { ...hourly, counter: true }))).toMatch(/counter resets: \d+ drops in 1440 samples \(first at 2013-07-01T/);
  });
  it('non-ascending timestamps and mismatched lengths', () => {
    expect(reason(prepareSeries({ timestamps: [0, 600, 300], values: [1, 2, 3] }, hourly))).toMatch(/not strictly ascending at index 2/);
    expect(reason(prepareSeries({ timestamps: [0, 300], values: [1] }, hourly))).toMatch(/differ in length/);
  });
});

describe('prepareSeries', () => {
  it('turns a counter with one reset into its rate, Prometheus-style', () => {
    const timestamps = Array.from({ length: 3 * 288 }, (_, i) => i * 300);
    // 10 bytes/s, and a restart from zero half-way.
    const values = timestamps.map((t, i) => (i < 400 ? 1e6 + 10 * t : 10 * (t - 400 * 300) + 50));
    values[500] = values[500]! + 3000; // some variation, so the rate is not constant
    const result = prepareSeries({ timestamps, values }, { ...hourly, counter: true });
    if (!result.ok) throw new Error(result.reason);
    const rates = result.series.values.filter((v): v is number => v !== null);
    expect(Math.min(...rates)).toBeGreaterThan(0);
    // Every hour but the two touched by the bump (and the reset's 50-byte restart) is exactly 10/s.
    expect(rates.filter((r) => Math.abs(r - 10) < 1e-9).length).toBeGreaterThanOrEqual(rates.length - 3);
  });
  it('resamples to bucket means on a UTC-aligned grid with nulls for empty buckets', () => {
    const grid = resample([3600, 4000, 7300, 14_500], [1, 3, 5, 7], 3600);
    expect(grid).toEqual({ start: 3600, step: 3600, values: [2, 5, null, 7] });
  });
  it('fills gaps linearly and edges with the nearest value', () => {
    expect(fillGaps([null, 1, null, null, 4, null])).toEqual([1, 1, 2, 3, 4, 4]);
  });
});
