import { describe, expect, it } from 'vitest';
import { FAMILIES } from '@aiops/contracts';
import type { SeriesForecast } from '../gauges.ts';
import { defaultRunId, forecastDocuments } from './forecast-documents.ts';

const T0 = Date.parse('2026-11-24T23:55:00Z') / 1000;
const forecast: SeriesForecast = {
  series: { host: 'db:9100', metric: 'disk', device: '/var', unit: 'percent' },
  lastObserved: T0,
  result: {
    model: 'mstl-ets',
    stepSeconds: 3600,
    daysToExhaustion: { '85': Infinity, '95': Infinity },
    points: [
      { time: T0 + 3600, yhat: 50, lower80: 45, upper80: 55, lower95: 40, upper95: 60 },
      { time: T0 + 7200, yhat: NaN, lower80: 46, upper80: 56, lower95: 41, upper95: 61 },
    ],
  },
};

describe('forecastDocuments', () => {
  const run = { runId: defaultRunId(T0), runTime: T0 };
  const docs = forecastDocuments(forecast, run, 'it-x-forecasts');

  it('writes one document per step into the daily index of the run, with exactly the mapped fields', () => {
    expect(run.runId).toBe('2026-11-24T23:55:00Z');
    expect(docs.map((d) => d.index)).toEqual(['it-x-forecasts-2026.11.24', 'it-x-forecasts-2026.11.24']);
    expect(docs[0]!.document).toEqual({
      '@timestamp': '2026-11-24T23:55:00.000Z',
      host: 'db:9100',
      metric: 'disk',
      device: '/var',
      target_time: '2026-11-25T00:55:00.000Z',
      yhat: 50,
      yhat_lower_80: 45,
      yhat_upper_80: 55,
      yhat_lower_95: 40,
      yhat_upper_95: 60,
      run_id: '2026-11-24T23:55:00Z',
      model: 'mstl-ets',
    });
    // forecasts-* is dynamic: strict: a field the template does not map would be refused.
    expect(Object.keys(docs[0]!.document).sort()).toEqual(Object.keys(FAMILIES.forecasts.properties).sort());
    expect(docs[1]!.document.yhat).toBeNull();
  });

  it('gives the same ids to the same run and different ones to another run or step', () => {
    const again = forecastDocuments(forecast, run, 'it-x-forecasts');
    expect(again.map((d) => d.id)).toEqual(docs.map((d) => d.id));
    expect(new Set(docs.map((d) => d.id)).size).toBe(2);
    const next = forecastDocuments(forecast, { runId: 'other', runTime: T0 }, 'it-x-forecasts');
    expect(next[0]!.id).not.toBe(docs[0]!.id);
  });
});
