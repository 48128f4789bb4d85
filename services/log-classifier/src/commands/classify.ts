/**
 * `classify`: with --file (a path or - for stdin), plain log lines in and one JSON line per input line out, no
 * server and no configuration; without --file, the Elasticsearch mode (logs-* since the checkpoint →
 * logs-classified-*, elasticsearch/classify-from-index.ts) under the job runner (lock, gauges, exit codes, --schedule).
 */
import { loadClassifier } from '../files/model-store.ts';
import { DEFAULT_TRAIN_OPTIONS, LogClassifier, loghubTemplateSplit, trainModel } from '@aiops/log-classification';
import { trainOptionsFor } from '../files/training-data.ts';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { addJobCommand, systemClock } from '@aiops/common';
import { lateArrivals } from '@aiops/contracts';
import { classifyFromIndex, CLASSIFY_JOB } from '../elasticsearch/classify-from-index.ts';
import { defaultLabelsDir, defaultLoghubDir, loadLabeled } from '../files/training-data.ts';
import { integer, runAction } from './shared-options.ts';

interface ClassifyCli {
  file?: string;
  model?: string;
  since?: string;
  lag: number;
  lateHours: number;
}

/** The model to use in files mode: the given file, or one trained on the spot from the repository's labels (data/, about 2 s). */
function classifierForFiles(modelPath: string | undefined): LogClassifier {
  if (modelPath) return loadClassifier(modelPath);
  const lines = loadLabeled(defaultLabelsDir(), defaultLoghubDir());
  const { heldOut, train } = loghubTemplateSplit(lines, 0.2, DEFAULT_TRAIN_OPTIONS.seed);
  const { model, seconds } = trainModel(train, trainOptionsFor(defaultLabelsDir()), systemClock());
  model.split = { seed: DEFAULT_TRAIN_OPTIONS.seed, testFraction: 0.2, heldOutTemplates: [...heldOut].sort() };
  process.stderr.write(`no --model: trained ${model.modelVersion} from ${defaultLabelsDir()} in ${seconds.toFixed(2)} s\n`);
  return new LogClassifier(model);
}

/** Classifies every line of a stream; returns counts per category (and `rejected`). */
export async function classifyStream(
  classifier: LogClassifier,
  input: NodeJS.ReadableStream,
  write: (jsonLine: string) => void,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries([...classifier.classes, 'rejected', 'review'].map((c) => [c, 0]));
  const reader = createInterface({ input, crlfDelay: Infinity });
  for await (const line of reader) {
    const result = classifier.classifyLine(line);
    if ('rejected' in result) counts.rejected!++;
    else {
      counts[result.category]!++;
      if (result.review) counts.review!++;
    }
    write(`${JSON.stringify({ ...result, modelVersion: classifier.version })}\n`);
  }
  return counts;
}

async function classifyFiles(o: ClassifyCli): Promise<void> {
  const classifier = classifierForFiles(o.model);
  const input = o.file === '-' ? process.stdin : createReadStream(o.file!);
  const counts = await classifyStream(classifier, input, (s) => process.stdout.write(s));
  process.stderr.write(`classified: ${Object.entries(counts).map(([c, n]) => `${c} ${n}`).join(', ')}\n`);
}

export function registerClassifyCommand(program: Command): void {
  addJobCommand<ClassifyCli>(program, {
    command: 'classify',
    follow: true,
    job: CLASSIFY_JOB,
    description:
      'files mode (--file): one JSON line per input line {line, category, confidence, review, probabilities, unseenTokenRatio, …} or {line, rejected, reason}; ' +
      'without --file: Elasticsearch mode, logs-* since the checkpoint → logs-classified-*',
    options: (c) =>
      c
        .option('--file <path|->', 'plain log lines to classify (- = stdin); no server or configuration needed')
        .option('--model <file>', 'model file (files mode default: train one on the spot from data/; ES mode default: <paths.modelDir>/log-classifier.json)')
        .option('--since <iso-time>', 'ES mode, first run only: start here instead of at the oldest line')
        .option('--lag <seconds>', 'ES mode: leave lines younger than this for the next run', integer, 60)
        .option('--late-hours <hours>', 'ES mode: look this far before the checkpoint for lines that arrived after it (0 = off)', integer, lateArrivals.lookbackHours),
    sliceable: true,
    direct: { when: (o) => o.file !== undefined, run: (o) => runAction(() => classifyFiles(o)) },
    run: (ctx, o) =>
      classifyFromIndex(ctx, {
        classifier: loadClassifier(o.model ?? join(ctx.config.paths.modelDir, 'log-classifier.json')),
        lagSeconds: o.lag,
        lateLookbackHours: o.lateHours,
        ...(o.since ? { initialSince: o.since } : {}),
      }),
  });
}
