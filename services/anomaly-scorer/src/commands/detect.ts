/**
 * `detect --model M --file conn.log --out scores.ndjson [--all]` (files) | `detect --model M [--initial-since ISO]
 * [--context 3600] [--lag 60] [--late-hours 48] [--slice i/n] [--follow N]` (zeek-conn-* since the checkpoint →
 * anomalies-*, then the connections that arrived behind the checkpoint).
 */
import type { Command } from 'commander';
import { jobs, lateArrivals, networkAnomaly } from '@aiops/contracts';
import { addJobCommand, checkIsoTime, checkNumber, collectOption, validateBeforeRun, writeFileAtomicSync } from '@aiops/common';
import { scoreRecords } from '@aiops/network-anomaly';
import { detectFromIndex } from '../elasticsearch/detect-from-index.ts';
import { loadModel } from '../files/model-store.ts';
import { readConnFiles } from '../files/read-conn-file.ts';
import { detectSummary } from '../files/summaries.ts';
import { anomalyGauges, modelInfoGauge } from '../gauges.ts';
import { hostAlertDocuments, HostScoreTally } from '../host-alerts.ts';

interface DetectOptions {
  model?: string;
  file?: string[];
  out?: string;
  all?: boolean;
  explainTop: string;
  initialSince?: string;
  context: string;
  lag: string;
  lateHours: string;
}

export function registerDetectCommand(program: Command): void {
  const detect = addJobCommand<DetectOptions>(program, {
    command: 'detect',
    follow: true,
    job: jobs.anomalyDetect.name,
    sliceable: true,
    description:
      'score conn.log files (--file … --out …: one JSON line per flagged connection, every one with --all, and one per host alert, `kind` connection | host) or zeek-conn-* since the checkpoint into anomalies-YYYY.MM.DD; gauges through the outbox',
    options: (c) =>
      c
        .option('--model <file|dir>', 'model file, or a model directory (its anomaly-latest.json; default: config paths.modelDir)')
        .option('--file <conn.log>', 'Zeek conn.log to score; repeat for several (scored as one stretch of traffic)', collectOption)
        .option('--out <scores.ndjson>', 'with --file: output file (written atomically)')
        .option('--all', 'with --file: write every connection, not only the flagged ones')
        .option('--explain-top <k>', 'features per explanation', '3')
        .option('--initial-since <iso>', 'Elasticsearch, first run only: start here instead of at the oldest connection')
        .option('--context <seconds>', 'Elasticsearch: traffic before each page the window aggregates see', String(networkAnomaly.detectContextSeconds))
        .option('--lag <seconds>', 'Elasticsearch: leave connections younger than this for the next run', '60')
        .option(
          '--late-hours <hours>',
          'Elasticsearch: look this far before the checkpoint for connections that arrived behind it, e.g. long-lived ones (0 = off)',
          String(lateArrivals.lookbackHours),
        ),
    run: async (ctx, o) => {
      const model = loadModel(o.model ?? ctx.config.paths.modelDir);
      if (!o.file?.length) {
        return detectFromIndex(ctx, {
          model,
          contextSeconds: Number(o.context),
          lagSeconds: Number(o.lag),
          lateLookbackHours: Number(o.lateHours),
          explainTop: Number(o.explainTop),
          ...(o.initialSince ? { initialSince: o.initialSince } : {}),
        });
      }
      const out = o.out!;
      const records = await readConnFiles(o.file, (m) => ctx.logger.warn(m));
      const result = scoreRecords(model, records, { all: o.all === true, explainTop: Number(o.explainTop) });
      const hostAlerts = hostAlertDocuments(result.host, records, model.document.modelVersion, model.host.json.threshold).map((a) => a.document);
      const lines = [...result.rows, ...hostAlerts].map((row) => JSON.stringify(row));
      writeFileAtomicSync(out, lines.join('\n') + (lines.length ? '\n' : ''));
      ctx.addRecordsProcessed(records.length);
      process.stderr.write(`${detectSummary(model.document, result, out)}\n`);
      const hostScores = new HostScoreTally(model.host.json.threshold);
      hostScores.add(result.host);
      return { gauges: [...anomalyGauges(records, result.scores, result.labels), ...hostScores.gauges(), modelInfoGauge(model.document)] };
    },
  });
  validateBeforeRun(detect, (o) => {
    if ((o.file as string[] | undefined)?.length && !o.out) throw new Error('--file needs --out (where the scores go)');
    if ((o.file as string[] | undefined)?.length && o.slice !== undefined) throw new Error('--slice splits the Elasticsearch mode; it has no meaning with --file');
    checkNumber('--context', o.context, (n) => n >= 0, 'a number of seconds ≥ 0');
    checkNumber('--lag', o.lag, (n) => n >= 0, 'a number of seconds ≥ 0');
    checkNumber('--late-hours', o.lateHours, (n) => Number.isInteger(n) && n >= 0, 'a whole number of hours ≥ 0');
    checkIsoTime('--initial-since', o.initialSince);
    checkNumber('--explain-top', o.explainTop, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  });
}
