/**
 * The forecaster's Prometheus-mode subcommands, registered on the service's program by ../program.ts:
 *   extract   query_range the capacity series → one CSV per series + index.json (`--out DIR`)
 *   train     extract → backtest model choice per series → model record + training_log.csv, MAPE gauges
 *   forecast  extract → forecast per series → forecasts-* documents, a model record, the aiops_capacity_* gauges
 * Each is a cron job through the common job runner (lock, exit codes, --schedule, aiops_job_* gauges), except
 * `forecast --file`, the files mode (../files/), which runs on its own without configuration or server.
 */
import { capacity, jobs } from '@aiops/contracts';
import type { Command } from 'commander';
import {
  addJobCommand,
  createBulkWriter,
  createElasticsearchClient,
  PrometheusClient,
  validateBeforeRun,
  type BulkItem,
  type JobContext,
} from '@aiops/common';
import { forecastSeries } from '@aiops/ml';
import { runFileForecast, setExitCodeFrom } from '../files/commands.ts';
import { addFileForecastOptions, type FileForecastOptions } from '../files/options.ts';
import { runCapacityForecast, type ForecastFunction } from './capacity-run.ts';
import { DEFAULT_HISTORY_DAYS, DEFAULT_STEP_SECONDS, extractCapacitySeries, historyWindow, type ExtractWindow } from './extract.ts';
import type { ForecastDocument } from './forecast-documents.ts';
import { writeSeriesDir } from './series-files.ts';
import { instanceMatchers } from './capacity-queries.ts';

/** Job names: locks, logs and the aiops_job_*{job} gauges (the stale-forecast alert watches job="forecaster"). */
export const JOBS = { extract: 'forecaster-extract', train: jobs.forecastTrain.name, forecast: jobs.forecast.name } as const;

interface WindowOptions {
  days: string;
  step: string;
  end?: string;
  instances?: string;
}

function addWindowOptions(c: Command): Command {
  return c
    .option('--days <n>', 'days of history to read', String(DEFAULT_HISTORY_DAYS))
    .option('--step <seconds>', 'query_range step in seconds', String(DEFAULT_STEP_SECONDS))
    .option('--end <time>', 'end of the window: ISO 8601 or epoch seconds (default: now), aligned down to the step')
    .option('--instances <regex>', 'only hosts whose Prometheus instance label matches this regular expression');
}

function positiveNumber(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got "${raw}"`);
  return n;
}

function parseTime(raw: string): number {
  const asNumber = Number(raw);
  const seconds = /^\d+(\.\d+)?$/.test(raw.trim()) ? asNumber : Date.parse(raw) / 1000;
  if (!Number.isFinite(seconds)) throw new Error(`--end: "${raw}" is neither ISO 8601 nor epoch seconds`);
  return seconds;
}

export function parseWindow(options: WindowOptions, nowSeconds: number): ExtractWindow {
  const end = options.end === undefined ? nowSeconds : parseTime(options.end);
  return historyWindow(end, positiveNumber('--days', options.days), positiveNumber('--step', options.step));
}

function validateWindow(options: Record<string, string | undefined>): void {
  parseWindow(options as unknown as WindowOptions, Date.now() / 1000);
  instanceMatchers(options.instances);
}

function prometheusOf(ctx: JobContext): PrometheusClient {
  return new PrometheusClient(ctx.config.prometheus.url, { logger: ctx.logger });
}

async function withDocumentWriter<T>(ctx: JobContext, use: (write: (items: Iterable<BulkItem<ForecastDocument>>) => Promise<number>) => Promise<T>): Promise<T> {
  const client = createElasticsearchClient(ctx.config.elasticsearch);
  try {
    const writer = createBulkWriter(client, ctx.config, ctx.logger, { job: ctx.job, signal: ctx.signal });
    return await use(async (items) => (await writer.write(items)).written);
  } finally {
    await client.close();
  }
}

export function registerPrometheusCommands(program: Command, forecast: ForecastFunction = forecastSeries): Command {
  const extract = addJobCommand<WindowOptions & { out: string }>(program, {
    command: 'extract',
    job: JOBS.extract,
    description:
      'read CPU %, memory %, disk % per mountpoint and network bytes/s per device for every host from Prometheus ' +
      '(query_range, gaps kept) and write one timestamp,value CSV per series plus index.json into --out',
    options: (c) => addWindowOptions(c).requiredOption('--out <dir>', 'folder for the CSVs and index.json (created if missing)'),
    run: async (ctx, options) => {
      const window = parseWindow(options, Date.now() / 1000);
      const prometheus = prometheusOf(ctx);
      const series = await extractCapacitySeries(prometheus, { window, instances: options.instances, logger: ctx.logger, signal: ctx.signal });
      const index = await writeSeriesDir(options.out, series, { source: prometheus.baseUrl, window, extractedAt: new Date() });
      ctx.addRecordsProcessed(index.series.length);
      ctx.logger.info({ out: options.out, series: index.series.length }, 'extraction written');
    },
  });
  validateBeforeRun(extract, validateWindow);

  const train = addJobCommand<WindowOptions>(program, {
    command: 'train',
    job: JOBS.train,
    description:
      'extract the window, let the backtest choose a model per series (no forecasts written), record the choice ' +
      'and its error as a versioned model record + training_log.csv row under <modelDir>/forecaster/, and push ' +
      'aiops_forecast_backtest_mape and aiops_model_info; forecast then reuses each series’ chosen model',
    options: addWindowOptions,
    run: async (ctx, options) => {
      const window = parseWindow(options, Date.now() / 1000);
      const { gauges } = await runCapacityForecast(ctx, { prometheus: prometheusOf(ctx), forecast }, {
        command: 'train',
        window,
        instances: options.instances,
        horizonDays: capacity.exhaustionHorizonDays,
      });
      return { gauges };
    },
  });
  validateBeforeRun(train, validateWindow);

  // One `forecast` for both modes: with --file it is the files-mode forecast (direct: no configuration, lock or
  // server); --horizon and --forecast-step, declared with the files-mode options, apply to both.
  const forecastCommand = addJobCommand<WindowOptions & FileForecastOptions & { runId?: string }>(program, {
    command: 'forecast',
    job: JOBS.forecast,
    description:
      'extract the window from Prometheus, forecast every series (7/30 days, 80/95 % intervals; a series that ' +
      'cannot be forecast is logged with its reason and skipped), write the curves to forecasts-YYYY.MM.DD, a ' +
      'model record + training_log.csv row, and push aiops_capacity_days_to_exhaustion / aiops_capacity_forecast ' +
      '/ aiops_model_info through the metrics outbox; or, with --file, forecast one series from a CSV (files mode)',
    options: (c) =>
      addFileForecastOptions(
        addWindowOptions(c).option('--run-id <id>', 'names the run in forecasts-* (default: the window end); the same id overwrites, never duplicates'),
      ),
    direct: { when: (o) => o.file !== undefined, run: (o) => setExitCodeFrom(() => runFileForecast(o)) },
    run: async (ctx, options) => {
      const window = parseWindow(options, Date.now() / 1000);
      const { gauges } = await withDocumentWriter(ctx, (writeDocuments) =>
        runCapacityForecast(ctx, { prometheus: prometheusOf(ctx), forecast, writeDocuments }, {
          command: 'forecast',
          window,
          instances: options.instances,
          // Never under the exhaustion horizon: days to exhaustion looks that far ahead (the contract's +Inf beyond).
          horizonDays: Math.max(capacity.exhaustionHorizonDays, (options.horizon ?? 0) / 86_400),
          ...(options.forecastStep ? { forecastStepSeconds: options.forecastStep } : {}),
          ...(options.runId ? { runId: options.runId } : {}),
        }),
      );
      return { gauges };
    },
  });
  validateBeforeRun<Record<string, string | undefined>>(forecastCommand, (o) => {
    if (o.file === undefined) validateWindow(o); // files mode reads no window: --days, --step, --end do not apply
  });
  return program;
}
