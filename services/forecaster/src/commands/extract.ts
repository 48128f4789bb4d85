/** `extract`: query_range the capacity series → one CSV per series + index.json (`--out DIR`). */
import type { Command } from 'commander';
import { addJobCommand, validateBeforeRun } from '@aiops/common';
import { extractCapacitySeries } from '../prometheus/extract.ts';
import { writeSeriesDir } from '../prometheus/series-files.ts';
import { addWindowOptions, JOBS, parseWindow, prometheusOf, validateWindow, type WindowOptions } from './window.ts';

export function registerExtractCommand(program: Command): Command {
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
  return extract;
}
