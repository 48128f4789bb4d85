/**
 * `train --file conn.log… | --since 7d | --from ISO --until ISO  [--features …] [--contamination SHARE]
 * [--host-contamination SHARE] [--model-dir DIR]`: fit the Isolation Forest and the host baseline, write a
 * versioned model and a training_log.csv row.
 */
import type { Command } from 'commander';
import { jobs, networkAnomaly } from '@aiops/contracts';
import { addJobCommand, checkIsoTime, checkNumber, collectOption, parseDuration, validateBeforeRun } from '@aiops/common';
import { trainModel, type AnomalyModel } from '@aiops/network-anomaly';
import { isFeatureSet } from '@aiops/zeek';
import { trainFromIndex } from '../elasticsearch/train-from-index.ts';
import { saveModel } from '../files/model-store.ts';
import { readConnFiles } from '../files/read-conn-file.ts';
import { modelInfoGauge } from '../gauges.ts';

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

export function checkFeatureSet(raw: unknown): void {
  if (!isFeatureSet(String(raw))) throw new Error(`--features: expected basic or aggregates, got "${String(raw)}"`);
}

export const checkContamination = (raw: unknown) => checkNumber('--contamination', raw, (n) => n > 0 && n <= 0.5, 'a share in (0, 0.5]');
export const checkHostContamination = (raw: unknown) =>
  checkNumber('--host-contamination', raw, (n) => n >= 0 && n <= 0.5, 'a share in [0, 0.5] (0: above every training window)');

export function registerTrainCommand(program: Command): void {
  const train = addJobCommand<TrainOptions>(program, {
    command: 'train',
    job: jobs.anomalyTrain.name,
    description:
      'fit the Isolation Forest on conn.log files (--file) or on a window of zeek-conn-* in Elasticsearch (--since, or --from/--until); write a versioned model and a training_log.csv row',
    options: (c) =>
      c
        .option('--file <conn.log>', 'Zeek conn.log (TSV or JSON lines, .gz too); repeat for several', collectOption)
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
      process.stderr.write(
        `trained ${model.document.modelVersion} on ${training.rows} connections (${training.from} → ${training.to}); threshold score > ${model.connection.json.threshold.toFixed(4)}\nmodel: ${file}\n`,
      );
      return { gauges: [modelInfoGauge(model.document)] };
    },
  });
  validateBeforeRun(train, (o) => {
    checkFeatureSet(o.features);
    checkContamination(o.contamination);
    checkNumber('--estimators', o.estimators, (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
    checkNumber('--seed', o.seed, Number.isInteger, 'an integer');
    checkNumber('--window', o.window, (n) => n > 0, 'a positive number of seconds');
    checkHostContamination(o.hostContamination);
    parseDuration(String(o.since));
    checkIsoTime('--from', o.from);
    checkIsoTime('--until', o.until);
  });
}
