/**
 * `forecast`, one command for both modes: extract → forecast per series → forecasts-* documents, a model record,
 * the aiops_capacity_* gauges (a cron job through the common job runner: lock, exit codes, --schedule,
 * aiops_job_* gauges); with --file the files mode (../files/), which runs on its own without configuration or
 * server. --horizon and --forecast-step, declared with the files-mode options, apply to both.
 */
import { capacity } from '@aiops/contracts';
import type { Command } from 'commander';
import { addJobCommand, createBulkWriter, createElasticsearchClient, validateBeforeRun, type BulkItem, type JobContext } from '@aiops/common';
import { runFileForecast, setExitCodeFrom } from '../files/file-mode.ts';
import { addFileForecastOptions, type FileForecastOptions } from '../files/options.ts';
import { runCapacityForecast, type ForecastFunction } from '../prometheus/capacity-run.ts';
import type { ForecastDocument } from '../prometheus/forecast-documents.ts';
import { addWindowOptions, JOBS, parseWindow, prometheusOf, validateWindow, type WindowOptions } from './window.ts';

async function withDocumentWriter<T>(ctx: JobContext, use: (write: (items: Iterable<BulkItem<ForecastDocument>>) => Promise<number>) => Promise<T>): Promise<T> {
  const client = createElasticsearchClient(ctx.config.elasticsearch);
  try {
    const writer = createBulkWriter(client, ctx.config, ctx.logger, { job: ctx.job, signal: ctx.signal });
    return await use(async (items) => (await writer.write(items)).written);
  } finally {
    await client.close();
  }
}

export function registerForecastCommand(program: Command, forecast: ForecastFunction): Command {
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
  return forecastCommand;
}
