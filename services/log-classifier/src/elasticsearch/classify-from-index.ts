/**
 * `classify` against Elasticsearch: raw lines in `logs-*` since the job's checkpoint (PIT + search_after) →
 * `logs-classified-YYYY.MM.DD`, same `_id` as the raw line so a rerun overwrites instead of adding. The checkpoint
 * advances only after a page's bulk write was confirmed (processSince), so a crash or a restarted node loses
 * nothing and duplicates nothing. With `--slice i/n` the worker reads its PIT slice only, under its own checkpoint.
 * Then the lines that arrived late (after the checkpoint had passed their timestamp, up to `lateLookbackHours`
 * before it) are found and classified (@aiops/common readLateDocuments); slice 0 does it for all slices.
 */
import {
  CheckpointStore,
  checkpointKey,
  configuredPrefixes,
  createBulkWriter,
  createElasticsearchClient,
  dailyIndexName,
  dailyIndexPattern,
  processSince,
  readLateDocuments,
  type BulkItem,
  type GaugeSample,
  type JobContext,
  type JobResult,
  type ReadHit,
} from '@aiops/common';
import { jobs, metrics, sample } from '@aiops/contracts';
import type { LineClassifier } from './line-classifier.ts';
import { reviewPending } from './review-queries.ts';

export interface ClassifyFromIndexOptions {
  classifier: LineClassifier;
  /** First run only: where to start (ISO time); from the oldest line when omitted. */
  initialSince?: string;
  /** Lines younger than this many seconds wait for the next run: Logstash may still deliver older ones. */
  lagSeconds: number;
  /** Hours before the checkpoint searched for lines that arrived after it (0: none). */
  lateLookbackHours: number;
}

type RawLog = Record<string, unknown> & { message?: unknown; '@timestamp'?: unknown };

export const CLASSIFY_JOB = jobs.logClassify.name;

export async function classifyFromIndex(ctx: JobContext, options: ClassifyFromIndexOptions): Promise<JobResult> {
  const { config, logger, signal } = ctx;
  const { classifier } = options;
  const prefixes = configuredPrefixes(config.elasticsearch);
  const source = dailyIndexPattern(prefixes.logs);
  const client = createElasticsearchClient(config.elasticsearch);
  const writer = createBulkWriter(client, config, logger, { job: CLASSIFY_JOB, signal });
  const perCategory = new Map<string, number>(classifier.classes.map((c) => [c, 0]));
  let unseenSum = 0;
  let lines = 0;
  const write = async (hits: ReadHit<RawLog>[]): Promise<void> => {
    const items = hits.map((hit) => classifiedItem(hit, classifier, prefixes.logsClassified));
    await writer.write(items);
    for (const item of items) {
      perCategory.set(item.document.ml_category, (perCategory.get(item.document.ml_category) ?? 0) + 1);
      unseenSum += item.unseenTokenRatio;
    }
    lines += items.length;
    ctx.addRecordsProcessed(items.length);
    ctx.progress.update(lines);
  };
  try {
    const result = await processSince<RawLog>({
      read: {
        client,
        index: source,
        pageSize: config.elasticsearch.readPageSize,
        until: new Date(Date.now() - options.lagSeconds * 1000),
        ...(ctx.slice ? { slice: ctx.slice } : {}),
        logger,
      },
      store: CheckpointStore.fromConfig(config),
      key: checkpointKey(CLASSIFY_JOB, source, ctx.slice),
      initial: options.initialSince ? { timestamp: options.initialSince, idsAtTimestamp: [] } : undefined,
      signal,
      logger,
      handlePage: (page) => write(page.hits),
    });
    let late = 0;
    if (options.lateLookbackHours > 0 && (ctx.slice?.id ?? 0) === 0 && result.position && !signal?.aborted) {
      const to = new Date(result.position.timestamp);
      for await (const hits of readLateDocuments<RawLog>({
        client,
        source,
        target: dailyIndexPattern(prefixes.logsClassified),
        targetIndexOf: (timestamp) => dailyIndexName(prefixes.logsClassified, timestamp),
        from: new Date(to.getTime() - options.lateLookbackHours * 3600 * 1000),
        to,
        pageSize: config.elasticsearch.readPageSize,
        logger,
      })) {
        await write(hits);
        late += hits.length;
        if (signal?.aborted) break;
      }
      if (late > 0) logger.warn({ late }, 'classified lines that arrived after the checkpoint had passed them');
    }
    logger.info({ lines, late, pages: result.pages, perCategory: Object.fromEntries(perCategory) }, 'classified');
    const pending = await reviewPending(client, dailyIndexPattern(prefixes.logsClassified));
    return { gauges: [...classifyGauges(perCategory, pending, lines > 0 ? unseenSum / lines : 0, classifier), sample(metrics.logsLateClassified, {}, late)] };
  } finally {
    await client.close();
  }
}

interface ClassifiedItem extends BulkItem<RawLog & { ml_category: string; ml_confidence: number; ml_model_version: string; ml_review: boolean; ml_rule?: string }> {
  unseenTokenRatio: number;
}

function classifiedItem(hit: ReadHit<RawLog>, classifier: LineClassifier, targetPrefix: string): ClassifiedItem {
  const message = typeof hit.source.message === 'string' ? hit.source.message : '';
  const severity = typeof hit.source.severity === 'string' || typeof hit.source.severity === 'number' ? String(hit.source.severity) : undefined;
  const verdict = classifier.classify(message, severity === undefined ? {} : { severity });
  return {
    // The raw line's own day, so a line and its verdict age out of retention together.
    index: dailyIndexName(targetPrefix, hit.timestamp),
    id: hit.id,
    unseenTokenRatio: verdict.unseenTokenRatio,
    document: {
      ...hit.source,
      ml_category: verdict.category,
      ml_confidence: verdict.confidence,
      ml_model_version: classifier.version,
      ml_review: verdict.confidence < classifier.reviewThreshold,
      ...(verdict.rule ? { ml_rule: verdict.rule } : {}),
    },
  };
}

function classifyGauges(perCategory: Map<string, number>, pending: number, unseenRatio: number, classifier: LineClassifier): GaugeSample[] {
  return [
    ...[...perCategory].map(([category, value]) => sample(metrics.logsClassified, { category }, value)),
    sample(metrics.logsReviewPending, {}, pending),
    sample(metrics.logsUnseenTokenRatio, {}, unseenRatio),
    sample(metrics.modelInfo, { model: 'log-classifier', version: classifier.version, trained_at: classifier.trainedAt }, 1),
  ];
}
