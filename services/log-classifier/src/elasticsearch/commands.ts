/**
 * The Elasticsearch-mode subcommands of log-classifier: `review export` and `review import` (the human loop).
 * `classify` without --file (logs-* → logs-classified-*) is wired in ../cli.ts through `classifyFromIndex`.
 */
import { logReview, onDemandJobs } from '@aiops/contracts';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { addJobCommand, createElasticsearchClient, type JobContext } from '@aiops/common';
import type { Command } from 'commander';
import type { LineClassifier } from './line-classifier.ts';
import { exportReview, importReview } from './review-loop.ts';
import { exportLabels } from '../commands/review-serve.ts';

export type LoadClassifier = (modelPath: string) => Promise<LineClassifier>;

interface ExportCli {
  out: string;
  labels?: boolean;
  limit: string;
  spotCheck: string;
  seed?: string;
}

interface ImportCli {
  file: string;
  model: string;
  labelsOut: string;
}

async function withClient<T>(ctx: JobContext, fn: (client: ReturnType<typeof createElasticsearchClient>) => Promise<T>): Promise<T> {
  const client = createElasticsearchClient(ctx.config.elasticsearch);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Registers `review export|import`; returns the `review` command for the browser loop's subcommands. */
export function registerElasticsearchCommands(program: Command, loadClassifier: LoadClassifier): Command {
  const review = program
    .command('review')
    .description('the human review loop: export unsure lines to a sheet, import the labels a person gave them');
  addJobCommand<ExportCli>(review, {
    command: 'export',
    job: onDemandJobs.reviewExport,
    description:
      `write lines flagged for review (confidence < ${logReview.confidenceBelow}) plus a random spot check of confident ones to a CSV; ` +
      'with --labels, the labels people gave (log-reviews-*) in the training CSV format instead',
    options: (c) =>
      c
        .requiredOption('--out <file>', 'CSV to write (open it in a spreadsheet, fill review_label)')
        .option('--labels', 'export the stored labels (message,label,severity,… — train --reviews reads it)')
        .option('--limit <n>', 'at most this many flagged lines, least confident first', '500')
        .option('--spot-check <n>', 'random confident lines to add (the weekly spot check)', '50')
        .option('--seed <n>', 'seed of the random spot check (default: the current ISO week, so a week repeats)'),
    run: async (ctx, o) => {
      if (o.labels) {
        process.stderr.write(`${await exportLabels(ctx, o.out)} reviewed lines → ${o.out}\n`);
        return;
      }
      const seed = o.seed !== undefined ? Number(o.seed) : Math.floor(Date.now() / (7 * 86_400_000));
      const counts = await withClient(ctx, (client) =>
        exportReview(client, ctx, { out: o.out, limit: Number(o.limit), spotCheck: Number(o.spotCheck), seed }),
      );
      process.stderr.write(`review sheet ${o.out}: ${counts.review} lines to review, ${counts.spotCheck} spot-check lines\n`);
    },
  });
  addJobCommand<ImportCli>(review, {
    command: 'import',
    job: onDemandJobs.reviewImport,
    description: 'store the labels of an edited review sheet (Elasticsearch + a labels file for `train --extra`) and report agreement and drift',
    options: (c) =>
      c
        .requiredOption('--file <csv>', 'the edited review sheet')
        .requiredOption('--model <file>', 'the model that classified the lines (classes, version, baseline F1)')
        .option('--labels-out <csv>', 'labels file to append to (train --extra reads it)', 'var/labels/reviewed.csv'),
    run: async (ctx, o) => {
      const classifier = await loadClassifier(o.model);
      await mkdir(dirname(o.labelsOut), { recursive: true });
      const result = await withClient(ctx, (client) => importReview(client, ctx, { file: o.file, labelsOut: o.labelsOut, classifier }));
      const { imported, agreed, problems } = result.report;
      for (const p of problems) process.stderr.write(`${p}\n`);
      process.stderr.write(`imported ${imported} labels (${agreed} agreed with the model), ${problems.length} problems\n`);
      return { gauges: result.gauges };
    },
  });
  return review;
}
