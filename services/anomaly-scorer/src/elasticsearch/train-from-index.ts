/** `train` from Elasticsearch: the last `--since` of zeek-conn-* (no checkpoint: a training window, not a stream). */
import { configuredPrefixes, createElasticsearchClient, dailyIndexPattern, readSince, type JobContext, type JobSlice, type ReadHit } from '@aiops/common';
import type { ConnRecord } from '@aiops/zeek';
import { trainModel, type AnomalyModel, type TrainOptions } from '@aiops/network-anomaly';
import { connFromHit, type ConnDocument } from './conn-documents.ts';

export interface TrainFromIndexOptions extends Omit<TrainOptions, 'source' | 'trainedAt'> {
  /** The training window [from, until). */
  from: Date;
  until: Date;
}

/** Conn records with @timestamp in [from, until); `keep` can drop hits (e.g. those at a checkpoint's edge);
 * `slice`: only that PIT slice (a sliced detect's context is its own slice, as its pages are). */
export async function readConnWindow(
  ctx: JobContext,
  from: Date,
  until: Date,
  keep: (hit: ReadHit<ConnDocument>) => boolean = () => true,
  slice?: JobSlice,
): Promise<{ records: ConnRecord[]; source: string }> {
  const index = dailyIndexPattern(configuredPrefixes(ctx.config.elasticsearch).zeekConn);
  const client = createElasticsearchClient(ctx.config.elasticsearch);
  const records: ConnRecord[] = [];
  let problems = 0;
  try {
    const since = { timestamp: from.toISOString(), idsAtTimestamp: [] };
    for await (const page of readSince<ConnDocument>({ client, index, since, until, pageSize: ctx.config.elasticsearch.readPageSize, ...(slice ? { slice } : {}), logger: ctx.logger })) {
      for (const hit of page.hits) {
        if (!keep(hit)) continue;
        const { record, problem } = connFromHit(hit);
        if (record) records.push(record);
        else if (problems++ < 20) ctx.logger.warn(problem);
      }
      ctx.progress.update(records.length);
      if (ctx.signal.aborted) break;
    }
  } finally {
    await client.close();
  }
  if (problems > 0) ctx.logger.warn({ problems }, 'conn documents skipped (not usable conn records)');
  return { records, source: `${index} ${from.toISOString()}..${until.toISOString()}` };
}

export async function trainFromIndex(ctx: JobContext, options: TrainFromIndexOptions): Promise<AnomalyModel> {
  const { from, until, ...train } = options;
  const { records, source } = await readConnWindow(ctx, from, until);
  if (ctx.signal.aborted) throw new Error('interrupted while reading the training window; no model written');
  if (records.length < 2) throw new Error(`${source}: ${records.length} conn records — too few to train on`);
  return trainModel(records, { ...train, source, trainedAt: new Date().toISOString() });
}
