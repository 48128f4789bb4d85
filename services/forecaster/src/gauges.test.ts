import { describe, expect, it } from 'vitest';
import { validateSnapshot, type GaugeSample } from '@aiops/common';
import type { ForecastResult } from '@aiops/ml';
import { capacityGauges, daysToExhaustionValue, pointAtHorizon, type SeriesForecast } from './gauges.ts';
import { metrics } from '@aiops/contracts';

const DAY = 86_400;
const T0 = 1_795_545_600;

/** A hand-written hourly curve over 30 days: yhat = day number, bands ±1/±2. */
function result(over: Partial<ForecastResult> = {}): ForecastResult {
  const points = Array.from({ length: 30 * 24 }, (_, i) => {
    const time = T0 + (i + 1) * 3600;
    const yhat = (time - T0) / DAY;
    return { time, yhat, lower80: yhat - 1, upper80: yhat + 1, lower95: yhat - 2, upper95: yhat + 2 };
  });
  return { model: 'prophet', stepSeconds: 3600, points, daysToExhaustion: { '85': 3.5, '95': Infinity }, ...over };
}

const find = (samples: GaugeSample[], name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('capacityGauges', () => {
  const cpu: SeriesForecast = { series: { host: 'h:9100', metric: 'cpu', device: '', unit: 'percent' }, lastObserved: T0, result: result({ backtestMape: 0.12 }) };
  const net: SeriesForecast = { series: { host: 'h:9100', metric: 'network', device: 'eth0', unit: 'bytes_per_second' }, lastObserved: T0, result: result() };
  const samples = capacityGauges([cpu, net], { version: '20261125T000000Z-forecast', trainedAt: '2026-11-25T00:01:00.000Z' });

  it('publishes days to exhaustion per threshold for percentages only, +Inf when not within 30 days', () => {
    expect(find(samples, metrics.capacityDaysToExhaustion.name, { host: 'h:9100' }).map((s) => [s.labels.metric, s.labels.threshold, s.value])).toEqual([
      ['cpu', '85', 3.5],
      ['cpu', '95', Infinity],
    ]);
  });

  it('publishes the forecast at 7 and 30 days after the last observation, every bound', () => {
    const at7 = find(samples, metrics.capacityForecast.name, { metric: 'cpu', horizon: '7d' });
    expect(Object.fromEntries(at7.map((s) => [s.labels.bound, s.value]))).toEqual({ yhat: 7, lower80: 6, upper80: 8, lower95: 5, upper95: 9 });
    expect(find(samples, metrics.capacityForecast.name, { metric: 'network', device: 'eth0', horizon: '30d', bound: 'yhat' })[0]!.value).toBe(30);
  });

  it('publishes the backtest MAPE only when a backtest ran, and one model_info', () => {
    expect(find(samples, metrics.forecastBacktestMape.name, {}).map((s) => [s.labels.metric, s.value])).toEqual([['cpu', 0.12]]);
    expect(find(samples, metrics.modelInfo.name, {})).toEqual([
      expect.objectContaining({ labels: { model: 'forecaster', version: '20261125T000000Z-forecast', trained_at: '2026-11-25T00:01:00.000Z' }, value: 1 }),
    ]);
  });

  it('makes a snapshot the outbox accepts (valid names, one help per family, no duplicate series)', () => {
    expect(() => validateSnapshot({ job: 'forecaster', instance: 'ml-01', createdAt: '2026-11-25T00:00:00Z', samples })).not.toThrow();
  });

  it('leaves out a horizon the curve does not reach', () => {
    const short = result({ points: result().points.slice(0, 24 * 10) });
    const only = capacityGauges([{ ...cpu, result: short }], { version: 'v', trainedAt: 't' });
    expect(new Set(find(only, metrics.capacityForecast.name, {}).map((s) => s.labels.horizon))).toEqual(new Set(['7d']));
    expect(pointAtHorizon(short, T0 + 10 * DAY + 1800)?.time).toBe(T0 + 10 * DAY);
    expect(pointAtHorizon(short, T0 + 11 * DAY)).toBeUndefined();
  });
});

describe('daysToExhaustionValue', () => {
  it('keeps 0..30 days, turns anything beyond or non-finite into +Inf and a negative into 0', () => {
    expect([daysToExhaustionValue(0), daysToExhaustionValue(29.9), daysToExhaustionValue(30.5), daysToExhaustionValue(NaN), daysToExhaustionValue(-1)]).toEqual([
      0,
      29.9,
      Infinity,
      Infinity,
      0,
    ]);
  });
});
