/**
 * The browser side of the review loop: `review serve` (the page, ../review/review-server.ts), `review metrics`
 * (its gauges for cron) and the labels' export in the training CSV format (`review export --labels`).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  addConfigOption,
  addJobCommand,
  configuredPrefixes,
  createElasticsearchClient,
  createLogger,
  ExitCode,
  loadConfigOrExit,
  MetricsOutbox,
  type Client,
  type Config,
  type JobContext,
  type Logger,
} from '@aiops/common';
import { TokenError, validateToken } from '../review/review-auth.ts';
import { trainingCsv } from '../review/review-export.ts';
import { logReview } from '@aiops/contracts';
import { REVIEW_METRICS_JOB } from '../review/review-names.ts';
import type { Term } from '../review/review-page.ts';
import { buildReviewServer } from '../review/review-server.ts';
import { ReviewStore } from '../review/review-store.ts';
import { integer } from './shared-options.ts';

/** The model's `explain` for the page: the terms that pushed a line to its class. */
export type LoadExplainer = (modelPath: string) => (message: string, severity: string) => Term[];

interface ServeCli {
  config?: string;
  host: string;
  port: number;
  model?: string;
  pageSize: number;
  spotCheckSize: number;
  spotCheckSalt: number;
  rateLimit: number;
}

const DEFAULT_REVIEW_PORT = 8790;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function reviewStore(client: Client, config: Config): ReviewStore {
  return new ReviewStore(client, configuredPrefixes(config.elasticsearch));
}

/** Gauges after labels, at most one snapshot per `everyMs`: a burst of keys makes one outbox file, not fifty. */
function gaugePublisher(store: ReviewStore, config: Config, logger: Logger, everyMs: number) {
  const outbox = new MetricsOutbox(config.paths.outboxDir, { logger });
  let timer: NodeJS.Timeout | null = null;
  const publish = async () => {
    timer = null;
    try {
      const samples = await store.gauges();
      await outbox.write({ job: REVIEW_METRICS_JOB, instance: config.instance, createdAt: new Date().toISOString(), samples });
    } catch (err) {
      logger.warn({ err }, 'review gauges not published (the next label retries)');
    }
  };
  return {
    soon: () => {
      timer ??= setTimeout(() => void publish(), everyMs);
    },
    now: async () => {
      if (timer) clearTimeout(timer);
      await publish();
    },
  };
}

async function serve(o: ServeCli, loadExplainer: LoadExplainer): Promise<void> {
  const config = loadConfigOrExit(o.config);
  const logger = createLogger('log-classifier-review', config.logLevel);
  let token: string;
  try {
    token = validateToken(config.review.token, 'review.token');
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    process.stderr.write(`review serve: ${err.message}\n`);
    process.exitCode = ExitCode.CONFIG;
    return;
  }
  const defaultModel = join(config.paths.modelDir, 'log-classifier.json');
  if (o.model && !existsSync(o.model)) {
    process.stderr.write(`review serve: --model ${o.model}: no such file\n`);
    process.exitCode = ExitCode.USAGE;
    return;
  }
  const modelPath = o.model ?? (existsSync(defaultModel) ? defaultModel : undefined);
  const explain = modelPath ? loadExplainer(modelPath) : undefined;
  if (!explain) logger.warn({ defaultModel }, 'no model: the page shows deciding rules but no top features (pass --model)');
  const client = createElasticsearchClient(config.elasticsearch);
  const store = reviewStore(client, config);
  const gauges = gaugePublisher(store, config, logger, 5_000);
  const app = await buildReviewServer({
    store,
    token,
    logger,
    loopbackOnly: LOOPBACK.test(o.host),
    ...(explain ? { explain } : {}),
    pageSize: o.pageSize,
    spotCheck: { size: o.spotCheckSize, salt: o.spotCheckSalt },
    rateLimitPerMinute: o.rateLimit,
    onChange: gauges.soon,
  });
  const address = await app.listen({ host: o.host, port: o.port });
  process.stderr.write(`review page on ${address.replace('[::1]', 'localhost')}/ (sign in with the review token)\n`);
  await gauges.now();
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping the review page');
      resolve();
    };
    // `on`, not `once`: a wrapper (pnpm, tsx) may relay the signal the group already got; the second must not kill.
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await app.close();
  await gauges.now();
  await client.close();
  process.exitCode = ExitCode.OK;
}

async function withStore<T>(ctx: JobContext, fn: (store: ReviewStore) => Promise<T>): Promise<T> {
  const client = createElasticsearchClient(ctx.config.elasticsearch);
  try {
    return await fn(reviewStore(client, ctx.config));
  } finally {
    await client.close();
  }
}

/** `review export --labels`: every label of log-reviews-* → the training CSV (`train --reviews` reads it). */
export async function exportLabels(ctx: JobContext, out: string): Promise<number> {
  return withStore(ctx, async (store) => {
    const reviews = [];
    for await (const review of store.allReviews()) reviews.push(review);
    await writeFile(out, trainingCsv(reviews));
    ctx.addRecordsProcessed(reviews.length);
    ctx.logger.info({ out, reviews: reviews.length }, 'reviewed lines exported');
    return reviews.length;
  });
}

export function registerReviewCommands(review: Command, loadExplainer: LoadExplainer): void {
  addConfigOption(
    review
      .command('serve')
      .description(
        'serve the review page: the queue of flagged lines (newest or least confident first, filters by host / class / source) and the weekly blind spot check; labels go to log-reviews-*. ' +
          'Needs the review token (review.token, AIOPS_REVIEW_TOKEN or AIOPS_REVIEW_TOKEN_FILE).',
      ),
  )
    .option('--host <address>', 'address to listen on (loopback by default; anything else exposes the page to the network)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free one)', integer, DEFAULT_REVIEW_PORT)
    .option('--model <file>', 'model whose terms explain each line (default: <paths.modelDir>/log-classifier.json when present)')
    .option('--page-size <n>', 'queue lines per page', integer, 100)
    .option('--spot-check-size <n>', 'lines in the weekly spot check', integer, logReview.spotCheckPerWeek)
    .option('--spot-check-salt <n>', "this deployment's seed of the spot-check draw (with the week: the same week draws the same lines)", integer, 0)
    .option('--rate-limit <n>', 'requests per minute per client address (the login form: a tenth)', integer, 600)
    .action((o: ServeCli) => serve(o, loadExplainer));

  addJobCommand(review, {
    command: 'metrics',
    job: REVIEW_METRICS_JOB,
    description: 'publish the review gauges (pending, spot-check agreement over 7 days, reviewed lines per class) through the metrics outbox',
    run: async (ctx) => ({ gauges: await withStore(ctx, (store) => store.gauges()) }),
  });
}
