/**
 * `detect` from Elasticsearch: zeek-conn-* since the job's checkpoint → flagged connections into
 * anomalies-YYYY.MM.DD (the conn document's own `_id`, so a rerun overwrites instead of adding) + gauges.
 *
 * The window aggregates of a connection depend on the connections before it, which an earlier run (or page) read.
 * So each page is scored together with a context of the preceding `contextSeconds` of traffic (read once at the
 * start, then carried from page to page); only the page's own connections are scored and reported. Pages are
 * batched until they hold at least as many connections as the context (processSince's minBatchHits): with one
 * page (readPageSize, then 1,000) against an hour of busy traffic the context was most of each page's work, and the
 * run grew with the square of the day (docs/benchmarks.md). The checkpoint advances only after the batch's
 * anomalies were confirmed written: a kill at any point loses and duplicates nothing.
 *
 * Host alerts (kind `host`) go to the same index family, dated by their window start, with deterministic ids
 * (host-alerts.ts): a window cut by a page boundary is written by both pages, the later (fuller) view overwriting
 * the earlier one; a rerun rewrites the same ids.
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
  type JobContext,
  type JobResult,
  type ReadHit,
} from '@aiops/common';
import type { ConnRecord } from '@aiops/zeek';
import { AnomalyTally, modelInfoGauge } from '../gauges.ts';
import { hostAlertDocuments, HostScoreTally } from '../host-alerts.ts';
import { scoreRecords, type AnomalyModel } from '@aiops/network-anomaly';
import { connFromHit, type ConnDocument } from './conn-documents.ts';
import { readConnWindow } from './train-from-index.ts';

export const DETECT_JOB = 'anomaly-scorer-detect';

/**
 * The batch stops growing with the context here: a batch holds its hits' sources (≈ 4 KB a connection in the
 * heap at scale 0.1 of bench e2e), and an hour of 10 M connections a day is 417 k of them.
 */
const MAX_BATCH_HITS = 250_000;

export interface DetectFromIndexOptions {
  model: AnomalyModel;
  /** Traffic before each page that the aggregates see (≥ the model's window; more keeps longer beacon histories). */
  contextSeconds: number;
  /** First run only (ISO): where to start; from the oldest connection when omitted. */
  initialSince?: string;
  /** Connections younger than this wait for the next run: zeek-ingest may still ship older ones. */
  lagSeconds: number;
  explainTop: number;
}

interface PageRow {
  hit: ReadHit<ConnDocument>;
  record: ConnRecord;
}

export async function detectFromIndex(ctx: JobContext, options: DetectFromIndexOptions): Promise<JobResult> {
  const { config, logger, signal } = ctx;
  const { model } = options;
  const prefixes = configuredPrefixes(config.elasticsearch);
  const source = dailyIndexPattern(prefixes.zeekConn);
  const store = CheckpointStore.fromConfig(config);
  // A sliced worker (--slice i/n) reads, and keeps as context, only its own slice, under its own checkpoint.
  const { slice } = ctx;
  const key = checkpointKey(DETECT_JOB, source, slice);
  const contextSeconds = Math.max(options.contextSeconds, model.document.features.windowSeconds);

  // The context ends where this run starts: at the checkpoint, including the connections of the checkpoint's own
  // millisecond that the last run already handled (idsAtTimestamp) — leaving one out would change the pair
  // histories of every later connection of its pair.
  const saved = await store.load(key);
  const startIso = saved?.timestamp ?? options.initialSince;
  let context: ConnRecord[] = [];
  if (startIso) {
    const startMs = Date.parse(startIso);
    const handled = new Set(saved?.idsAtTimestamp ?? []);
    context = (
      await readConnWindow(ctx, new Date(startMs - contextSeconds * 1000), new Date(startMs + 1), (hit) => Date.parse(hit.timestamp) < startMs || handled.has(hit.id), slice)
    ).records;
  }

  const client = createElasticsearchClient(config.elasticsearch);
  const writer = createBulkWriter(client, config, logger, { job: DETECT_JOB, signal });
  const tally = new AnomalyTally();
  const hostScores = new HostScoreTally(model.host.json.threshold);
  let scored = 0;
  let flagged = 0;
  let hostAlerts = 0;
  let skipped = 0;
  try {
    await processSince<ConnDocument>({
      read: { client, index: source, pageSize: config.elasticsearch.readPageSize, until: new Date(Date.now() - options.lagSeconds * 1000), ...(slice ? { slice } : {}), logger },
      store,
      key,
      initial: options.initialSince ? { timestamp: options.initialSince, idsAtTimestamp: [] } : undefined,
      signal,
      logger,
      minBatchHits: () => Math.min(context.length, MAX_BATCH_HITS),
      handlePage: async (page) => {
        const rows: PageRow[] = [];
        for (const hit of page.hits) {
          const { record, problem } = connFromHit(hit);
          if (record) rows.push({ hit, record });
          else if (skipped++ < 20) logger.warn(problem);
        }
        const pageRecords = rows.map((r) => r.record);
        const result = scoreRecords(model, [...context, ...pageRecords], { explainTop: options.explainTop, reportFrom: context.length });
        const hitByUid = new Map(rows.map((r) => [r.record.uid, r.hit]));
        const items = result.rows.map((row) => {
          const hit = hitByUid.get(row.uid)!;
          return {
            index: dailyIndexName(prefixes.anomalies, hit.timestamp),
            id: hit.id,
            document: { ...hit.source, kind: row.kind, anomaly_score: row.anomaly_score, host_score: row.host_score, model_version: row.model_version, explanation: row.explanation },
          };
        });
        const batch = [...context, ...pageRecords];
        const hostItems = hostAlertDocuments(result.host, batch, model.document.modelVersion, model.host.json.threshold).map(({ id, document }) => ({
          index: dailyIndexName(prefixes.anomalies, document['@timestamp']),
          id,
          document,
        }));
        await writer.write<Record<string, unknown>>([...items, ...hostItems]);
        flagged += items.length;
        hostAlerts += hostItems.length;
        hostScores.add(result.host);
        logger.debug({ page: pageRecords.length, context: context.length, flagged: items.length, until: page.position.timestamp }, 'page scored and written');
        tally.add(pageRecords, result.scores, result.labels);
        scored += pageRecords.length;
        ctx.addRecordsProcessed(page.hits.length);
        ctx.progress.update(scored);
        const last = pageRecords.at(-1)?.ts;
        if (last !== undefined) context = [...context, ...pageRecords].filter((r) => r.ts > last - contextSeconds);
      },
    });
  } finally {
    await client.close();
  }
  logger.info({ scored, flagged, hostAlerts, alertedHosts: hostScores.alertedHosts, skipped, model: model.document.modelVersion }, 'detect done');
  return { gauges: [...tally.gauges(), ...hostScores.gauges(), modelInfoGauge(model.document)] };
}
