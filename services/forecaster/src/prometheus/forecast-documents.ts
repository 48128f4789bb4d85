/**
 * The full forecast curves as `forecasts-YYYY.MM.DD` documents (docs/contracts.md): one per series × step; pure.
 * The index is the UTC day of the run (so retention drops whole runs) and `_id` hashes host, metric, device,
 * target time and run id: rerunning the same run (same --run-id, e.g. after a crash) overwrites, never adds.
 */
import { dailyIndexName, documentId, type BulkItem } from '@aiops/common';
import type { SeriesForecast } from '../gauges.ts';

export interface ForecastDocument {
  '@timestamp': string;
  host: string;
  metric: string;
  device: string;
  target_time: string;
  yhat: number | null;
  yhat_lower_80: number | null;
  yhat_upper_80: number | null;
  yhat_lower_95: number | null;
  yhat_upper_95: number | null;
  run_id: string;
  model: string;
}

export interface ForecastRun {
  runId: string;
  /** Epoch seconds: the end of the extraction window; names the index and stamps `@timestamp`. */
  runTime: number;
}

/** JSON has no NaN/Infinity (they would arrive as null anyway); say so explicitly. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function forecastDocuments(forecast: SeriesForecast, run: ForecastRun, indexPrefix: string): BulkItem<ForecastDocument>[] {
  const { host, metric, device } = forecast.series;
  const runIso = new Date(run.runTime * 1000).toISOString();
  const index = dailyIndexName(indexPrefix, run.runTime * 1000);
  return forecast.result.points.map((p) => {
    const targetTime = new Date(p.time * 1000).toISOString();
    return {
      index,
      id: documentId(host, metric, device, targetTime, run.runId),
      document: {
        '@timestamp': runIso,
        host,
        metric,
        device,
        target_time: targetTime,
        yhat: finiteOrNull(p.yhat),
        yhat_lower_80: finiteOrNull(p.lower80),
        yhat_upper_80: finiteOrNull(p.upper80),
        yhat_lower_95: finiteOrNull(p.lower95),
        yhat_upper_95: finiteOrNull(p.upper95),
        run_id: run.runId,
        model: forecast.result.model,
      },
    };
  });
}

/** The default run id: the window end, so a rerun within the same step is the same run. */
export function defaultRunId(runTime: number): string {
  return new Date(runTime * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
