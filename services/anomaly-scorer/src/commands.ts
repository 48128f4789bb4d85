/**
 * train / detect / evaluate, each a cron-usable job through the common job runner (lock, exit codes, --schedule,
 * aiops_job_* gauges); option errors exit 64 before anything runs. With --file they read conn.log files and need
 * no server; without it, train and detect read zeek-conn-* in Elasticsearch (./elasticsearch/).
 *   train     --file conn.log… | --since 7d | --from ISO --until ISO   [--features …] [--contamination SHARE] [--host-contamination SHARE] [--model-dir DIR]
 *   detect    --model M --file conn.log --out scores.ndjson [--all]   |   --model M [--initial-since ISO] [--context 3600] [--lag 60] [--slice i/n]
 *   evaluate  --model M --file labeled.conn.log [--json]   |   --protocol mixture|baseline-live --file labeled.conn.log [--share 0.05] (evaluate-command.ts)
 */
import type { Command } from 'commander';
import { jobs, networkAnomaly } from '@aiops/contracts';
import { addJobCommand, parseDuration, validateBeforeRun, writeFileAtomicSync } from '@aiops/common';
import { detectFromIndex } from './elasticsearch/detect-from-index.ts';
import { trainFromIndex } from './elasticsearch/train-from-index.ts';
import { loadModel, saveModel } from './files/model-store.ts';
import { readConnFiles } from './files/read-conn-file.ts';
import { detectSummary } from './files/summaries.ts';
import { anomalyGauges, modelInfoGauge } from './gauges.ts';
import { hostAlertDocuments, HostScoreTally } from './host-alerts.ts';
import { EVALUATE_JOB, registerEvaluate } from './evaluate-command.ts';
import { scoreRecords, trainModel, type AnomalyModel } from '@aiops/network-anomaly';
import { isFeatureSet } from '@aiops/zeek';

export const JOBS = { train: jobs.anomalyTrain.name, detect: jobs.anomalyDetect.name, evaluate: EVALUATE_JOB } as const;

const collect = (value: string, previous: string[] = []) => [...previous, value];

function number(name: string, raw: unknown, check: (n: number) => boolean, expected: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`${name}: expected ${expected}, got "${String(raw)}"`);
  return n;
}

const isoTime = (name: string, raw: unknown): void => {
  if (raw !== undefined && Number.isNaN(Date.parse(String(raw)))) throw new Error(`${name}: expected an ISO time, got "${String(raw)}"`);
};

interface TrainOptions {
  file?: string[];
  since?: string;
  from?: string;
  until?: string;
  features: string;
  contamination: string;
  estimators: string;
  seed: string;
  window: string;
  hostContamination: string;
  modelDir?: string;
}

interface DetectOptions {
  model?: string;
  file?: string[];
  out?: string;
  all?: boolean;
  explainTop: string;
  initialSince?: string;
  context: string;
  lag: string;
}

const stderr = (line: string) => process.stderr.write(`${line}\n`);

export function registerCommands(program: Command): void {
  const train = addJobCommand<TrainOptions>(program, {
    command: 'train',
    job: JOBS.train,
    description:
      'fit the Isolation Forest on conn.log files (--file) or on a window of zeek-conn-* in Elasticsearch (--since, or --from/--until); write a versioned model and a training_log.csv row',
    options: (c) =>
      c
        .option('--file <conn.log>', 'Zeek conn.log (TSV or JSON lines, .gz too); repeat for several', collect)
        .option('--since <duration>', 'Elasticsearch: train on the last 7d, 24h, …', '7d')
        .option('--from <iso>', 'Elasticsearch: train on [from, until) instead of --since (e.g. a known-good week)')
        .option('--until <iso>', 'Elasticsearch: end of the --from window (default: now)')
        .option('--features <set>', 'basic (per connection) or aggregates (+ per-host window context)', 'aggregates')
        .option('--contamination <share>', 'expected share of anomalies: the flagging threshold, in (0, 0.5]', String(networkAnomaly.contamination))
        .option('--estimators <n>', 'trees in the forest', '100')
        .option('--seed <n>', 'random seed (same data + seed = same model)', '0')
        .option('--window <seconds>', 'sliding window of the aggregates', '300')
        .option('--host-contamination <share>', 'host level: share of training host windows above the host-alert threshold, in [0, 0.5]; 0 = above every one', String(networkAnomaly.hostContamination))
        .option('--model-dir <dir>', 'where models and training_log.csv go (default: config paths.modelDir)'),
    run: async (ctx, o) => {
      const hyper = {
        featureSet: o.features as 'basic' | 'aggregates',
        contamination: Number(o.contamination),
        nEstimators: Number(o.estimators),
        seed: Number(o.seed),
        windowSeconds: Number(o.window),
        host: { contamination: Number(o.hostContamination) },
      };
      let model: AnomalyModel;
      if (o.file?.length) {
        const records = await readConnFiles(o.file, (m) => ctx.logger.warn(m));
        ctx.logger.info({ records: records.length, files: o.file }, 'training records read');
        model = trainModel(records, { ...hyper, source: o.file.join(','), trainedAt: new Date().toISOString() });
      } else {
        const until = o.until ? new Date(o.until) : new Date();
        const from = o.from ? new Date(o.from) : new Date(until.getTime() - parseDuration(o.since ?? '7d') * 1000);
        model = await trainFromIndex(ctx, { ...hyper, from, until });
      }
      const file = saveModel(o.modelDir ?? ctx.config.paths.modelDir, model);
      const { training } = model.document;
      ctx.addRecordsProcessed(training.rows);
      stderr(`trained ${model.document.modelVersion} on ${training.rows} connections (${training.from} → ${training.to}); threshold s(x) > ${(-model.forest.offset).toFixed(4)}\nmodel: ${file}`);
      return { gauges: [modelInfoGauge(model.document)] };
    },
  });
  validateBeforeRun(train, (o) => {
    if (!isFeatureSet(String(o.features))) throw new Error(`--features: expected basic or aggregates, got "${String(o.features)}"`);
    number('--contamination', o.contamination, (n) => n > 0 && n <= 0.5, 'a share in (0, 0.5]');
    number('--estimators', o.estimators, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
    number('--seed', o.seed, Number.isInteger, 'an integer');
    number('--window', o.window, (n) => n > 0, 'a positive number of seconds');
    number('--host-contamination', o.hostContamination, (n) => n >= 0 && n <= 0.5, 'a share in [0, 0.5] (0: above every training window)');
    parseDuration(String(o.since));
    isoTime('--from', o.from);
    isoTime('--until', o.until);
  });

  const detect = addJobCommand<DetectOptions>(program, {
    command: 'detect',
    follow: true,
    job: JOBS.detect,
    sliceable: true,
    description:
      'score conn.log files (--file … --out …: one JSON line per flagged connection, every one with --all, and one per host alert, `kind` connection | host) or zeek-conn-* since the checkpoint into anomalies-YYYY.MM.DD; gauges through the outbox',
    options: (c) =>
      c
        .option('--model <file|dir>', 'model file, or a model directory (its anomaly-latest.json; default: config paths.modelDir)')
        .option('--file <conn.log>', 'Zeek conn.log to score; repeat for several (scored as one stretch of traffic)', collect)
        .option('--out <scores.ndjson>', 'with --file: output file (written atomically)')
        .option('--all', 'with --file: write every connection, not only the flagged ones')
        .option('--explain-top <k>', 'features per explanation', '3')
        .option('--initial-since <iso>', 'Elasticsearch, first run only: start here instead of at the oldest connection')
        .option('--context <seconds>', 'Elasticsearch: traffic before each page the window aggregates see', '3600')
        .option('--lag <seconds>', 'Elasticsearch: leave connections younger than this for the next run', '60'),
    run: async (ctx, o) => {
      const model = loadModel(o.model ?? ctx.config.paths.modelDir);
      if (!o.file?.length) {
        return detectFromIndex(ctx, {
          model,
          contextSeconds: Number(o.context),
          lagSeconds: Number(o.lag),
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
      stderr(detectSummary(model.document, result, out));
      const hostScores = new HostScoreTally(model.host.json.threshold);
      hostScores.add(result.host);
      return { gauges: [...anomalyGauges(records, result.scores, result.labels), ...hostScores.gauges(), modelInfoGauge(model.document)] };
    },
  });
  validateBeforeRun(detect, (o) => {
    if ((o.file as string[] | undefined)?.length && !o.out) throw new Error('--file needs --out (where the scores go)');
    if ((o.file as string[] | undefined)?.length && o.slice !== undefined) throw new Error('--slice splits the Elasticsearch mode; it has no meaning with --file');
    number('--context', o.context, (n) => n >= 0, 'a number of seconds ≥ 0');
    number('--lag', o.lag, (n) => n >= 0, 'a number of seconds ≥ 0');
    isoTime('--initial-since', o.initialSince);
    number('--explain-top', o.explainTop, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  });

  registerEvaluate(program);
}
