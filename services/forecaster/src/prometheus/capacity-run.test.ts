// The Prometheus-mode shell around the forecasting core, with a fake Prometheus (fetch) and a stand-in core
// (injected), so that what the shell does with each outcome is checked on its own: the real core runs in
// tests/integration/forecaster.int.test.ts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, loadConfig, PrometheusClient, type BulkItem, type JobContext } from '@aiops/common';
import type { ForecastResult } from '@aiops/ml';
import { runCapacityForecast, type ForecastFunction } from './capacity-run.ts';
import { historyWindow } from './extract.ts';
import type { ForecastDocument } from './forecast-documents.ts';
import { metrics } from '@aiops/contracts';

const END = 1_795_545_900;

/** Prometheus with hosts a (cpu ok), b (cpu all NaN) and c (cpu that makes the core throw); no other metric. */
function fakePrometheus(): PrometheusClient {
  const fetchImpl = (async (_u: string | URL | Request, init?: RequestInit) => {
    const p = new URLSearchParams(String(init?.body));
    const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(p.get(k))) as [number, number, number];
    const grid = (value: (t: number) => string) => {
      const v: [number, string][] = [];
      for (let t = start; t <= end; t += step) v.push([t, value(t)]);
      return v;
    };
    const result = p.get('query')!.includes('node_cpu_seconds_total')
      ? [
          { metric: { instance: 'a:9100' }, values: grid(() => '40') },
          { metric: { instance: 'b:9100' }, values: grid(() => 'NaN') },
          { metric: { instance: 'c:9100' }, values: grid(() => '1') },
        ]
      : [];
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
  }) as typeof fetch;
  return new PrometheusClient('http://prom.test', { fetch: fetchImpl });
}

function curve(lastObserved: number): ForecastResult {
  const points = Array.from({ length: 31 * 24 }, (_, i) => ({ time: lastObserved + (i + 1) * 3600, yhat: 41, lower80: 40, upper80: 42, lower95: 39, upper95: 96 }));
  return { model: 'prophet', stepSeconds: 3600, points, daysToExhaustion: { '85': 0.04, '95': 0.04 }, backtestMape: 0.05 };
}

function context(modelDir: string): JobContext & { processed: number } {
  const config = loadConfig({ env: { AIOPS_MODEL_DIR: modelDir, AIOPS_ES_INDEX_PREFIX: 'it-run-' } });
  const ctx = {
    job: 'forecaster',
    config,
    logger: createLogger('forecaster-test', 'silent'),
    signal: new AbortController().signal,
    progress: { update: () => {}, stop: () => {} },
    processed: 0,
    addRecordsProcessed: (n: number) => {
      ctx.processed += n;
    },
  };
  return ctx;
}

describe('runCapacityForecast', () => {
  const window = historyWindow(END, 2, 300);
  const calls: { host?: string; models?: string[]; bounded?: boolean; horizonDays: number }[] = [];
  const forecast: ForecastFunction = async (series, options) => {
    const last = series.timestamps[series.timestamps.length - 1]!;
    calls.push({ models: options.models, bounded: options.bounded, horizonDays: options.horizonDays });
    if (series.values.every((v) => v === 1)) throw new Error('singular matrix');
    return curve(last);
  };

  it('forecasts every series, skips the unforecastable ones with their reason, writes documents, record and gauges', async () => {
    const modelDir = mkdtempSync(join(tmpdir(), 'fc-run-'));
    const ctx = context(modelDir);
    const written: BulkItem<ForecastDocument>[] = [];
    const { summary, gauges } = await runCapacityForecast(
      ctx,
      { prometheus: fakePrometheus(), forecast, writeDocuments: async (items) => (written.push(...items), written.length) },
      { command: 'forecast', window, horizonDays: 30 },
    );
    expect(summary.record.series).toEqual([
      { host: 'a:9100', metric: 'cpu', device: '', model: 'prophet', backtestMape: 0.05 },
      { host: 'b:9100', metric: 'cpu', device: '', skipped: 'no observed value in the window (all gaps)' },
      { host: 'c:9100', metric: 'cpu', device: '', skipped: 'forecast failed: singular matrix' },
    ]);
    // b never reached the core; a and c were asked as bounded percentages over at least 30 days.
    expect(calls.map((c) => [c.bounded, c.horizonDays, c.models])).toEqual([
      [true, 30, undefined],
      [true, 30, undefined],
    ]);
    expect(written).toHaveLength(31 * 24);
    expect(written[0]!.index).toBe('it-run-forecasts-2026.11.24');
    expect(written[0]!.document).toMatchObject({ host: 'a:9100', metric: 'cpu', run_id: '2026-11-24T18:45:00Z', model: 'prophet' });
    expect(ctx.processed).toBe(31 * 24);
    const dte = gauges.filter((g) => g.name === metrics.capacityDaysToExhaustion.name);
    expect(dte.map((g) => [g.labels.host, g.labels.threshold, g.value])).toEqual([
      ['a:9100', '85', 0.04],
      ['a:9100', '95', 0.04],
    ]);
    expect(readFileSync(join(modelDir, 'forecaster', 'training_log.csv'), 'utf8')).toContain(',forecast,2026-11-24T18:45:00Z,3,1,2,0.0500,prophet');
  });

  it('train records the choice and pushes only MAPE and model info; forecast then reuses the chosen model', async () => {
    const modelDir = mkdtempSync(join(tmpdir(), 'fc-run-'));
    calls.length = 0;
    const train = await runCapacityForecast(context(modelDir), { prometheus: fakePrometheus(), forecast }, { command: 'train', window, horizonDays: 30 });
    expect(new Set(train.gauges.map((g) => g.name))).toEqual(new Set([metrics.forecastBacktestMape.name, metrics.modelInfo.name]));
    expect(train.summary.documentsWritten).toBe(0);
    expect(train.summary.recordPath).toMatch(/20261124T184500Z-train\.json$/);

    calls.length = 0;
    await runCapacityForecast(context(modelDir), { prometheus: fakePrometheus(), forecast, writeDocuments: async () => 0 }, { command: 'forecast', window, horizonDays: 30 });
    expect(calls.map((c) => c.models)).toEqual([['prophet'], undefined]);
  });
});
