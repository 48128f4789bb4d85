/**
 * Documents that arrived after a job's checkpoint had already passed their timestamp. processSince reads forward in
 * timestamp order and leaves the last `lag` seconds for the next run; a line delivered later than that (a shipper
 * that was down, a Logstash queue draining after an Elasticsearch outage) sorts before the checkpoint and would
 * never be read. This finds such documents for jobs that derive one document per source document, with the same
 * `_id` and timestamp (classify: logs-* → logs-classified-*):
 *  1. per hour of a window before the checkpoint, the count of source documents against the count of derived ones
 *     (two date histograms);
 *  2. an hour with fewer derived documents than sources is read again, page by page;
 *  3. each page keeps only the sources whose derived document does not exist (an ids query on its index), so what
 *     exists is never rewritten (a person's review label on it stays).
 * Derived documents the job could not write (dead-lettered) leave their hour short: it is read again every run,
 * bounded by the window.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from '../logger.ts';
import { HOUR_MS } from './hour-ledger.ts';
import { readSince, type ReadHit } from './index-reader.ts';

export interface LateDocumentsOptions {
  client: Client;
  /** Source index pattern, e.g. `logs-2*`. */
  source: string;
  /** Derived index pattern, e.g. `logs-classified-2*`. */
  target: string;
  /** The derived index a source document's derived document lives in, by the source's timestamp. */
  targetIndexOf: (timestamp: string) => string;
  /** The window: [from, to), to = the checkpoint's timestamp (documents at or after it are the forward read's). */
  from: Date;
  to: Date;
  pageSize: number;
  timestampField?: string;
  logger?: Logger;
}

/** Start (epoch ms) of every hour where the sources outnumber the derived documents, ascending. */
export function hoursMissing(sources: ReadonlyMap<number, number>, derived: ReadonlyMap<number, number>): number[] {
  return [...sources]
    .filter(([hour, count]) => count > (derived.get(hour) ?? 0))
    .map(([hour]) => hour)
    .sort((a, b) => a - b);
}

/** Documents per hour of [from, to) in an index pattern (none when it matches no index). */
export async function hourlyCounts(client: Client, index: string, field: string, from: Date, to: Date): Promise<Map<number, number>> {
  const response = await client.search({
    index,
    size: 0,
    allow_no_indices: true,
    ignore_unavailable: true,
    query: { range: { [field]: { gte: from.toISOString(), lt: to.toISOString() } } },
    aggs: { hours: { date_histogram: { field, fixed_interval: '1h', min_doc_count: 1 } } },
  });
  const buckets = (response.aggregations?.hours as { buckets?: { key: number; doc_count: number }[] } | undefined)?.buckets ?? [];
  return new Map(buckets.map((b) => [b.key, b.doc_count]));
}

/** Pages of source documents in the window that have no derived document yet (see the module comment). */
export async function* readLateDocuments<T = Record<string, unknown>>(options: LateDocumentsOptions): AsyncGenerator<ReadHit<T>[]> {
  const { client, from, to, logger } = options;
  const field = options.timestampField ?? '@timestamp';
  if (!(from < to)) return;
  // What the job wrote a moment ago must count: make it searchable first.
  await client.indices.refresh({ index: options.target, allow_no_indices: true, ignore_unavailable: true });
  const hours = hoursMissing(
    await hourlyCounts(client, options.source, field, from, to),
    await hourlyCounts(client, options.target, field, from, to),
  );
  if (hours.length > 0) logger?.info({ hours: hours.map((h) => new Date(h).toISOString()) }, 'hours with source documents not yet handled');
  for (const hour of hours) {
    const until = new Date(Math.min(hour + HOUR_MS, to.getTime()));
    const pages = readSince<T>({
      client,
      index: options.source,
      since: { timestamp: new Date(Math.max(hour, from.getTime())).toISOString(), idsAtTimestamp: [] },
      until,
      timestampField: field,
      pageSize: options.pageSize,
      ...(logger ? { logger } : {}),
    });
    for await (const page of pages) {
      const missing = await withoutDerived(client, page.hits, options.targetIndexOf);
      if (missing.length > 0) yield missing;
    }
  }
}

/** The hits whose derived document does not exist. */
async function withoutDerived<T>(client: Client, hits: ReadHit<T>[], targetIndexOf: (timestamp: string) => string): Promise<ReadHit<T>[]> {
  const byIndex = new Map<string, ReadHit<T>[]>();
  for (const hit of hits) {
    const index = targetIndexOf(hit.timestamp);
    const group = byIndex.get(index);
    if (group) group.push(hit);
    else byIndex.set(index, [hit]);
  }
  const missing: ReadHit<T>[] = [];
  for (const [index, group] of byIndex) {
    const response = await client.search({
      index,
      size: group.length,
      _source: false,
      allow_no_indices: true,
      ignore_unavailable: true,
      query: { ids: { values: group.map((h) => h.id) } },
    });
    const present = new Set(response.hits.hits.map((h) => h._id));
    for (const hit of group) if (!present.has(hit.id)) missing.push(hit);
  }
  return missing;
}
