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
 *
 * Then the connections that arrived behind the checkpoint (long-lived ones: Zeek logs a connection at its end with
 * its start's ts) are found by the hour ledger and scored with their hour once it has settled (late-connections.ts).
 */
import {
  CheckpointStore,
  checkpointKey,
  configuredPrefixes,
  createBulkWriter,
  createElasticsearchClient,
  dailyIndexPattern,
  HOUR_MS,
  HourLedger,
  HourLedgerStore,
  processSince,
  type JobContext,
  type JobResult,
  type ReadHit,
} from '@aiops/common';
import { lateArrivals, metrics, sample } from '@aiops/contracts';
import type { ConnRecord } from '@aiops/zeek';
import { AnomalyTally, modelInfoGauge } from '../gauges.ts';
import { HostScoreTally } from '../host-alerts.ts';
import { scoreRecords, type AnomalyModel } from '@aiops/network-anomaly';
import { anomalyItems } from './anomaly-items.ts';
import { connFromHit, type ConnDocument } from './conn-documents.ts';
import { scoreLateConnections, type LateConnectionsResult } from './late-connections.ts';
import { readConnWindow } from './train-from-index.ts';

const DETECT_JOB = 'anomaly-scorer-detect';

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
  /** Hours before the checkpoint searched for connections that arrived behind it (0: none). */
  lateLookbackHours: number;
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
  const ledgers = HourLedgerStore.fromConfig(config);
  // A ledger speaks for the hours its checkpoint read: without the checkpoint (starting over) it starts over too.
  const ledger = (saved ? await ledgers.load(key) : undefined) ?? HourLedger.startingAt(startIso);
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
  let late: LateConnectionsResult | undefined;
  try {
    const forward = await processSince<ConnDocument>({
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
        const batch = [...context, ...pageRecords];
        const result = scoreRecords(model, batch, { explainTop: options.explainTop, reportFrom: context.length });
        const items = anomalyItems(result, batch, new Map(rows.map((r) => [r.record.uid, r.hit])), model, prefixes.anomalies);
        await writer.write([...items.connections, ...items.hosts]);
        ledger.add(page.hits.map((hit) => hit.timestamp));
        flagged += items.connections.length;
        hostAlerts += items.hosts.length;
        hostScores.add(result.host);
        logger.debug({ page: pageRecords.length, context: context.length, flagged: items.connections.length, until: page.position.timestamp }, 'page scored and written');
        tally.add(pageRecords, result.scores, result.labels);
        scored += pageRecords.length;
        ctx.addRecordsProcessed(page.hits.length);
        ctx.progress.update(scored);
        const last = pageRecords.at(-1)?.ts;
        if (last !== undefined) context = [...context, ...pageRecords].filter((r) => r.ts > last - contextSeconds);
      },
    });
    await ledgers.save(key, ledger);
    if (options.lateLookbackHours > 0 && forward.position && !signal.aborted) {
      if (slice && slice.max > 1) logger.debug('no late pass with --slice: the source cannot be counted per slice');
      else {
        late = await scoreLateConnections(ctx, {
          client,
          model,
          source,
          anomaliesPrefix: prefixes.anomalies,
          ledger,
          checkpoint: new Date(forward.position.timestamp),
          lookbackHours: options.lateLookbackHours,
          settleSeconds: lateArrivals.settleSeconds,
          contextSeconds,
          explainTop: options.explainTop,
          write: async (items) => void (await writer.write(items)),
        });
        ledger.prune(Date.parse(forward.position.timestamp) - (options.lateLookbackHours + 1) * HOUR_MS);
        await ledgers.save(key, ledger);
        if (late.late > 0) logger.warn(late, 'scored connections that arrived after the checkpoint had passed them');
      }
    }
  } finally {
    await client.close();
  }
  logger.info({ scored, flagged, hostAlerts, alertedHosts: hostScores.alertedHosts, skipped, late: late?.late ?? 0, model: model.document.modelVersion }, 'detect done');
  return { gauges: [...tally.gauges(), ...hostScores.gauges(), modelInfoGauge(model.document), sample(metrics.anomalyLateConnections, {}, late?.late ?? 0)] };
}
