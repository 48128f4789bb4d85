/**
 * One `train` or `forecast` run in Prometheus mode, the thin shell around the pure core: extract the window →
 * forecastSeries per series (a skipped series is logged with its reason and the others go on) → the curves to
 * `forecasts-*` (forecast only) → a model record + training_log.csv row → the gauges, returned to the job runner
 * which puts them in the metrics outbox together with the aiops_job_* gauges.
 */
import { metrics } from '@aiops/contracts';
import type { BulkItem, JobContext, PrometheusClient } from '@aiops/common';
import type { ForecastResult, SkippedSeries } from '@aiops/ml';
import { seriesKeyText } from './capacity-queries.ts';
import { capacityGauges, EXHAUSTION_HORIZON_DAYS, type SeriesForecast } from '../gauges.ts';
import { extractCapacitySeries, type ExtractedSeries, type ExtractWindow } from './extract.ts';
import { defaultRunId, forecastDocuments, type ForecastDocument } from './forecast-documents.ts';
import { chosenModels, latestModelRecord, modelVersion, saveModelRecord, type ModelRecord, type RunCommand, type SeriesModelEntry } from './model-record.ts';

/** The core's entry point (packages/ml/src/forecast); injected so the shell can be tested on its own. */
export type ForecastFunction = (
  series: { timestamps: number[]; values: (number | null)[] },
  options: { horizonDays: number; stepSeconds?: number; models?: string[]; bounded?: boolean },
) => Promise<ForecastResult | SkippedSeries>;

export interface CapacityRunOptions {
  command: RunCommand;
  window: ExtractWindow;
  instances?: string;
  /** Forecast horizon; days_to_exhaustion needs 30 (the contract's +Inf beyond 30 d). */
  horizonDays: number;
  /** Step of the forecast curve (the core's default when absent). */
  forecastStepSeconds?: number;
  runId?: string;
}

export interface CapacityRunDeps {
  prometheus: PrometheusClient;
  forecast: ForecastFunction;
  /** Writes the documents; resolves to how many were confirmed. Absent for `train`. */
  writeDocuments?: (items: Iterable<BulkItem<ForecastDocument>>) => Promise<number>;
}

export interface CapacityRunSummary {
  record: ModelRecord;
  recordPath: string;
  forecasts: SeriesForecast[];
  documentsWritten: number;
}

const TRAIN_GAUGES = new Set([metrics.forecastBacktestMape.name, metrics.modelInfo.name]);

function lastObservedTime(s: ExtractedSeries): number | undefined {
  for (let i = s.values.length - 1; i >= 0; i--) if (s.values[i] !== null) return s.timestamps[i];
  return undefined;
}

function isSkipped(r: ForecastResult | SkippedSeries): r is SkippedSeries {
  return typeof (r as SkippedSeries).reason === 'string';
}

export async function runCapacityForecast(
  ctx: JobContext,
  deps: CapacityRunDeps,
  options: CapacityRunOptions,
): Promise<{ summary: CapacityRunSummary; gauges: ReturnType<typeof capacityGauges> }> {
  const { logger, config, signal } = ctx;
  const { window, command } = options;
  const runId = options.runId ?? defaultRunId(window.end);
  const series = await extractCapacitySeries(deps.prometheus, { window, instances: options.instances, logger, signal });
  logger.info({ series: series.length, runId, start: window.end - window.days * 86_400, end: window.end }, 'series extracted');

  // `forecast` reuses the model each series' last `train` backtest chose; `train` lets the core choose anew.
  const choice = command === 'forecast' ? chosenModels(await latestModelRecord(config.paths.modelDir, 'train')) : new Map<string, string>();
  const forecasts: SeriesForecast[] = [];
  const entries: SeriesModelEntry[] = [];
  for (const [i, s] of series.entries()) {
    if (signal.aborted) break; // finish with what is done; the runner reports the run as interrupted
    const key = { host: s.host, metric: s.metric, device: s.device };
    const name = seriesKeyText(key);
    const lastObserved = lastObservedTime(s);
    const chosen = choice.get(name);
    let result: ForecastResult | SkippedSeries;
    try {
      result =
        lastObserved === undefined
          ? { reason: 'no observed value in the window (all gaps)' }
          : await deps.forecast(
              { timestamps: s.timestamps, values: s.values },
              {
                horizonDays: Math.max(options.horizonDays, EXHAUSTION_HORIZON_DAYS),
                bounded: s.unit === 'percent',
                ...(options.forecastStepSeconds ? { stepSeconds: options.forecastStepSeconds } : {}),
                ...(chosen ? { models: [chosen] } : {}),
              },
            );
    } catch (err) {
      // One series' numerical failure must not cost every other host its forecast.
      result = { reason: `forecast failed: ${(err as Error).message}` };
    }
    if (isSkipped(result)) {
      logger.warn({ host: s.host, metric: s.metric, device: s.device, reason: result.reason }, `series skipped: ${name}: ${result.reason}`);
      entries.push({ ...key, skipped: result.reason });
    } else {
      forecasts.push({ series: s, lastObserved: lastObserved!, result });
      entries.push({ ...key, model: result.model, ...(result.backtestMape !== undefined ? { backtestMape: result.backtestMape } : {}) });
    }
    ctx.progress.update(i + 1, series.length);
  }

  let documentsWritten = 0;
  if (command === 'forecast' && deps.writeDocuments && forecasts.length > 0) {
    const prefix = `${config.elasticsearch.indexNamePrefix}forecasts`;
    const run = { runId, runTime: window.end };
    documentsWritten = await deps.writeDocuments(forecasts.flatMap((f) => forecastDocuments(f, run, prefix)));
  }

  const trainedAt = new Date().toISOString();
  const record: ModelRecord = {
    version: modelVersion(window.end, command),
    command,
    trainedAt,
    runId,
    source: deps.prometheus.baseUrl,
    window: { start: window.end - window.days * 86_400, end: window.end, stepSeconds: window.stepSeconds },
    series: entries,
  };
  const recordPath = await saveModelRecord(config.paths.modelDir, record);
  ctx.addRecordsProcessed(command === 'forecast' ? documentsWritten : forecasts.length);
  logger.info({ forecast: forecasts.length, skipped: entries.length - forecasts.length, documentsWritten, recordPath }, `${command} run done`);
  const all = capacityGauges(forecasts, { version: record.version, trainedAt });
  // `train` publishes only what it measured: its days_to_exhaustion would be a second series (job=…-train) for
  // the same host, and the alert rules would fire twice.
  const gauges = command === 'train' ? all.filter((g) => TRAIN_GAUGES.has(g.name)) : all;
  return { summary: { record, recordPath, forecasts, documentsWritten }, gauges };
}
