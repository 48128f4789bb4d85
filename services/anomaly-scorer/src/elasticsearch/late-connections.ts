/**
 * Conn records that reach zeek-conn-* after detect's checkpoint has passed their timestamp. Zeek writes a conn
 * record when the connection ends (or when it times out: after 5 minutes of TCP inactivity by default) and stamps it
 * with the connection's start, so every connection longer than `--lag`, and every one an inactivity timeout closes,
 * sorts behind the checkpoint by the time it arrives; so does whatever a shipper delivers late. The forward read
 * never sees them, and they are the connections that matter most: long uploads, tunnels, C&C sessions.
 *
 * detect counts what it scores per hour of @timestamp (HourLedger). After the forward read, each hour of the last
 * `lookbackHours` that ended at least `settleSeconds` before the checkpoint and where zeek-conn-* holds more documents
 * than the ledger is scored again whole (consecutive ones as one stretch), with the context before it, and its
 * flagged connections and host alerts written under the same deterministic ids (a connection flagged before is
 * overwritten, not added); the ledger then takes the hour's count. Scoring the hour whole keeps the window aggregates
 * right: the late connection is part of its neighbours' windows, and they of its.
 *
 * Why only settled hours (lateArrivals.settleSeconds): Zeek writes a UDP connection a minute after its last packet
 * and an idle TCP one five minutes after, so the hour in progress is short on nearly every run, and rescoring it each
 * time cost most of the pass. Waiting until it ended takes its late connections in one rescore; a connection
 * longer than that is scored by the first run after its hour settled. Only whole hours before the checkpoint's own
 * are counted, so the documents at the checkpoint's millisecond (which the ledger counts and a count below the
 * checkpoint would not) never enter the comparison.
 *
 * Not with --slice: Elasticsearch cannot count an hour per PIT slice.
 */
import { consecutiveRuns, HOUR_MS, hourlyCounts, hoursMissing, lateWindow, readSince, type BulkItem, type Client, type HourLedger, type JobContext, type ReadHit } from '@aiops/common';
import { scoreRecords, type AnomalyModel } from '@aiops/network-anomaly';
import type { ConnRecord } from '@aiops/zeek';
import { anomalyItems } from './anomaly-items.ts';
import { connFromHit, type ConnDocument } from './conn-documents.ts';

export interface LateConnectionsOptions {
  client: Client;
  model: AnomalyModel;
  /** zeek-conn-* pattern. */
  source: string;
  anomaliesPrefix: string;
  ledger: HourLedger;
  /** The forward read's checkpoint: settled hours before it are looked at. */
  checkpoint: Date;
  lookbackHours: number;
  settleSeconds: number;
  contextSeconds: number;
  explainTop: number;
  write: (items: BulkItem<Record<string, unknown>>[]) => Promise<void>;
}

export interface LateConnectionsResult {
  /** Documents the source held beyond the ledger's counts: the late connections found. */
  late: number;
  hours: number;
  flagged: number;
  hostAlerts: number;
}

export async function scoreLateConnections(ctx: JobContext, options: LateConnectionsOptions): Promise<LateConnectionsResult> {
  const { client, ledger, checkpoint } = options;
  const { from, to } = lateWindow(ledger.since, checkpoint.getTime(), options.lookbackHours, options.settleSeconds);
  const result: LateConnectionsResult = { late: 0, hours: 0, flagged: 0, hostAlerts: 0 };
  if (!(from < to)) return result;
  await client.indices.refresh({ index: options.source, allow_no_indices: true, ignore_unavailable: true });
  const counts = await hourlyCounts(client, options.source, '@timestamp', new Date(from), new Date(to));
  // Consecutive short hours are read and scored as one stretch: their context is read once, not once per hour.
  for (const hours of consecutiveRuns(hoursMissing(counts, ledger.hours))) {
    if (ctx.signal.aborted) break;
    const start = hours[0]!;
    const { records, hitByUid, reportFrom } = await readWithContext(ctx, options, start, hours.at(-1)! + HOUR_MS);
    const scored = scoreRecords(options.model, records, { explainTop: options.explainTop, reportFrom });
    const items = anomalyItems(scored, records, hitByUid, options.model, options.anomaliesPrefix);
    await options.write([...items.connections, ...items.hosts]);
    let late = 0;
    for (const hour of hours) {
      late += counts.get(hour)! - (ledger.hours.get(hour) ?? 0);
      ledger.set(hour, counts.get(hour)!);
    }
    result.late += late;
    result.hours += hours.length;
    result.flagged += items.connections.length;
    result.hostAlerts += items.hosts.length;
    ctx.logger.info({ from: new Date(start).toISOString(), hours: hours.length, late, flagged: items.connections.length }, 'hours with late connections scored again');
  }
  return result;
}

/** The conn records of [start, until) after `contextSeconds` of those before, in timestamp order; reportFrom = start's first. */
async function readWithContext(
  ctx: JobContext,
  options: LateConnectionsOptions,
  start: number,
  until: number,
): Promise<{ records: ConnRecord[]; hitByUid: Map<string, ReadHit<ConnDocument>>; reportFrom: number }> {
  const contextSeconds = Math.max(options.contextSeconds, options.model.document.features.windowSeconds);
  const records: ConnRecord[] = [];
  const hitByUid = new Map<string, ReadHit<ConnDocument>>();
  let reportFrom = -1;
  const pages = readSince<ConnDocument>({
    client: options.client,
    index: options.source,
    since: { timestamp: new Date(start - contextSeconds * 1000).toISOString(), idsAtTimestamp: [] },
    until: new Date(until),
    pageSize: ctx.config.elasticsearch.readPageSize,
    logger: ctx.logger,
  });
  for await (const page of pages) {
    for (const hit of page.hits) {
      const { record } = connFromHit(hit); // the forward read already logged the unusable ones
      if (!record) continue;
      if (reportFrom < 0 && Date.parse(hit.timestamp) >= start) reportFrom = records.length;
      records.push(record);
      hitByUid.set(record.uid, hit);
    }
  }
  return { records, hitByUid, reportFrom: reportFrom < 0 ? records.length : reportFrom };
}
