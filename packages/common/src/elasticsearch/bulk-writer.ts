/**
 * Writes documents with the bulk API so that a rerun never duplicates and an outage never loses:
 * - op `index` with an explicit `_id`: writing the same item twice overwrites it;
 * - batches bounded by docs and bytes, `concurrency` requests in flight (two keep the node indexing while the
 *   next batch is built); a batch that holds a document still in flight waits, so the later version wins;
 * - the whole request is retried with backoff on connection loss, timeouts, 429 and 5xx (a node restart);
 *   items that fail transiently (429, 5xx, rejected execution) are retried alone; items refused for good go to
 *   the dead-letter file;
 * - an item counts as written only when the response says so; when the retries run out the writer throws, so the
 *   caller does not advance its checkpoint.
 */
import type { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { batchItems, bulkOperations, type BulkItem, type PreparedItem } from './bulk-batches.ts';
import { backoffDelayMs, classifyRequestError, isTransientItemFailure, MAX_BACKOFF_MS } from './bulk-retry.ts';
import { DeadLetterFile, type DeadLetterEntry, type DeadLetterSink } from './dead-letter.ts';

export interface BulkWriteResult {
  /** Items the server confirmed (status 200/201). */
  written: number;
  deadLettered: number;
  /** Requests sent again after a failure (whole-request and per-item retries together). */
  retries: number;
  batches: number;
}

export interface BulkWriterOptions {
  client: Client;
  logger: Logger;
  deadLetter: DeadLetterSink;
  maxDocs: number;
  maxBytes: number;
  /** Bulk requests in flight at once (default 1). */
  concurrency?: number;
  /** Retries per batch before giving up (throwing). */
  maxRetries: number;
  backoffMs: number;
  maxBackoffMs?: number;
  /** Make the written documents searchable before `write` returns (one refresh of the touched indices at the end). */
  refresh?: boolean;
  /** Server-side wait for shards/index creation per request; below the client's request timeout so the server
   * answers (per-item 503, retried) rather than the client giving up blind. */
  serverTimeout?: string;
  /** Aborting stops a backoff wait at once (the write then throws: nothing unconfirmed is reported written). */
  signal?: AbortSignal;
  /** Called after each batch is settled (progress reporting, tests). */
  onBatch?: (progress: BulkWriteResult) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export class BulkWriteError extends Error {
  constructor(
    message: string,
    /** What was confirmed before the failure (the caller must still treat the whole write as failed). */
    readonly partial: BulkWriteResult,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BulkWriteError';
  }
}

export interface InterpretedResponse<T> {
  confirmed: PreparedItem<T>[];
  transient: { prepared: PreparedItem<T>; status: number; reason: string }[];
  permanent: { prepared: PreparedItem<T>; status: number; type: string; reason: string }[];
}

/**
 * Sorts each sent item by the response's verdict. The response lists items in request order; anything that does
 * not line up (count, `_id`) is an error rather than a guess, because a guess could report an unwritten item.
 */
export function interpretBulkResponse<T>(sent: readonly PreparedItem<T>[], response: Pick<estypes.BulkResponse, 'items'>): InterpretedResponse<T> {
  const items = response.items ?? [];
  if (items.length !== sent.length) {
    throw new Error(`bulk response lists ${items.length} items for ${sent.length} sent (first ${describe(sent[0])})`);
  }
  const out: InterpretedResponse<T> = { confirmed: [], transient: [], permanent: [] };
  for (const [i, prepared] of sent.entries()) {
    const result: estypes.BulkResponseItem | undefined = items[i]?.index;
    if (!result || result._id !== prepared.item.id) {
      throw new Error(`bulk response item ${i} is ${JSON.stringify(items[i])}, expected the index result of ${describe(prepared)}`);
    }
    const { status } = result;
    if ((status === 200 || status === 201) && !result.error) out.confirmed.push(prepared);
    else {
      const type = result.error?.type ?? `http_${status}`;
      const reason = result.error?.reason ?? 'no reason given';
      if (isTransientItemFailure(status, type)) out.transient.push({ prepared, status, reason: `${type}: ${reason}` });
      else out.permanent.push({ prepared, status, type, reason });
    }
  }
  return out;
}

function describe(prepared: PreparedItem | undefined): string {
  return prepared ? `${prepared.item.index}/${prepared.item.id}` : 'none';
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class BulkWriter {
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: BulkWriterOptions) {
    this.sleep = options.sleep ?? abortableSleep;
  }

  /**
   * Writes every item; resolves only when each one was confirmed or dead-lettered, else throws BulkWriteError
   * after the requests still in flight settled (so nothing is written behind the caller's back afterwards).
   */
  async write<T>(items: Iterable<BulkItem<T>> | AsyncIterable<BulkItem<T>>): Promise<BulkWriteResult> {
    const result: BulkWriteResult = { written: 0, deadLettered: 0, retries: 0, batches: 0 };
    const touched = new Set<string>();
    const { maxDocs, maxBytes } = this.options;
    const concurrency = Math.max(1, this.options.concurrency ?? 1);
    const inFlight = new Set<Promise<void>>();
    const inFlightKeys = new Set<string>();
    let failure: unknown;
    for await (const batch of batchItems(items, { maxDocs, maxBytes })) {
      const keys = batch.map((p) => `${p.item.index}\u0000${p.item.id}`);
      while (inFlight.size >= concurrency || (inFlight.size > 0 && keys.some((k) => inFlightKeys.has(k)))) await Promise.race(inFlight);
      if (failure !== undefined) break;
      for (const p of batch) touched.add(p.item.index);
      for (const k of keys) inFlightKeys.add(k);
      const request: Promise<void> = this.writeBatch(batch, result)
        .then(
          () => {
            result.batches++;
            this.options.onBatch?.({ ...result });
          },
          (err: unknown) => {
            failure ??= err;
          },
        )
        .finally(() => {
          inFlight.delete(request);
          for (const k of keys) inFlightKeys.delete(k);
        });
      inFlight.add(request);
    }
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    if (this.options.refresh && touched.size > 0) {
      try {
        await this.options.client.indices.refresh({ index: [...touched], ignore_unavailable: true });
      } catch (err) {
        throw new BulkWriteError(`refresh of ${[...touched].join(',')} failed: ${classifyRequestError(err).description}`, { ...result }, { cause: err });
      }
    }
    return result;
  }

  private async writeBatch<T>(batch: PreparedItem<T>[], result: BulkWriteResult): Promise<void> {
    const { client } = this.options;
    let pending = batch;
    let retry = 0;
    for (;;) {
      let response: estypes.BulkResponse;
      try {
        response = await client.bulk({
          operations: bulkOperations(pending),
          refresh: false,
          timeout: this.options.serverTimeout,
          // The dead-letter file keeps the whole document; the error reason need not repeat it.
          include_source_on_error: false,
          filter_path: ['errors', 'items.*._index', 'items.*._id', 'items.*.status', 'items.*.error'],
        });
      } catch (err) {
        const failure = classifyRequestError(err);
        if (failure.status === 413 && pending.length === 1) {
          // One document larger than the server accepts: a property of the document, not of the moment.
          await this.deadLetter([{ prepared: pending[0]!, status: 413, type: 'request_entity_too_large', reason: failure.description }], result);
          return;
        }
        if (!failure.transient) {
          throw new BulkWriteError(`bulk request of ${pending.length} items (first ${describe(pending[0])}) refused: ${failure.description}`, { ...result }, { cause: err });
        }
        retry = await this.backoffOrThrow(retry, pending, failure.description, result, err);
        continue;
      }
      let verdict: InterpretedResponse<T>;
      try {
        verdict = interpretBulkResponse(pending, response);
      } catch (err) {
        throw new BulkWriteError((err as Error).message, { ...result }, { cause: err });
      }
      result.written += verdict.confirmed.length;
      await this.deadLetter(verdict.permanent, result);
      if (verdict.transient.length === 0) return;
      const first = verdict.transient[0]!;
      const reason = `${verdict.transient.length} items failed transiently, e.g. ${describe(first.prepared)} ${first.status} ${first.reason}`;
      retry = await this.backoffOrThrow(retry, verdict.transient.map((t) => t.prepared), reason, result);
      pending = verdict.transient.map((t) => t.prepared);
    }
  }

  /** Waits before the next retry and returns its number, or throws once the budget is spent. */
  private async backoffOrThrow(retry: number, pending: readonly PreparedItem[], reason: string, result: BulkWriteResult, cause?: unknown): Promise<number> {
    const { logger, maxRetries, backoffMs, maxBackoffMs = MAX_BACKOFF_MS, signal } = this.options;
    if (retry >= maxRetries) {
      throw new BulkWriteError(
        `bulk write of ${pending.length} items (first ${describe(pending[0])}) still failing after ${maxRetries} retries: ${reason}`,
        { ...result },
        { cause },
      );
    }
    const next = retry + 1;
    const delayMs = backoffDelayMs(next, backoffMs, maxBackoffMs, this.options.random);
    logger.warn({ retry: next, maxRetries, delayMs, items: pending.length, first: describe(pending[0]), reason }, 'bulk write failed, retrying');
    result.retries++;
    try {
      await this.sleep(delayMs, signal);
    } catch (err) {
      throw new BulkWriteError(`bulk write aborted while waiting to retry (${reason})`, { ...result }, { cause: err });
    }
    return next;
  }

  private async deadLetter<T>(refused: InterpretedResponse<T>['permanent'], result: BulkWriteResult): Promise<void> {
    if (refused.length === 0) return;
    const time = new Date().toISOString();
    const entries: DeadLetterEntry[] = refused.map(({ prepared, status, type, reason }) => ({
      time,
      index: prepared.item.index,
      id: prepared.item.id,
      status,
      reason: { type, reason },
      document: prepared.item.document,
    }));
    await this.options.deadLetter.append(entries);
    result.deadLettered += entries.length;
    const first = entries[0]!;
    this.options.logger.error(
      { count: entries.length, index: first.index, id: first.id, status: first.status, reason: first.reason },
      'documents refused by Elasticsearch, written to the dead-letter file',
    );
  }
}

export interface WriteBulkOptions {
  /** Names the dead-letter file (`<job>-YYYY-MM-DD.jsonl`). */
  job: string;
  refresh?: boolean;
  signal?: AbortSignal;
  deadLetter?: DeadLetterSink;
  onBatch?: (progress: BulkWriteResult) => void;
}

/** A BulkWriter configured from `config.elasticsearch` and `config.paths.deadLetterDir`. */
export function createBulkWriter(client: Client, config: Config, logger: Logger, options: WriteBulkOptions): BulkWriter {
  const es = config.elasticsearch;
  return new BulkWriter({
    client,
    logger,
    deadLetter: options.deadLetter ?? new DeadLetterFile(config.paths.deadLetterDir, options.job),
    maxDocs: es.bulkMaxDocs,
    maxBytes: es.bulkMaxBytes,
    concurrency: es.bulkConcurrency,
    maxRetries: es.bulkMaxRetries,
    backoffMs: es.bulkBackoffMs,
    refresh: options.refresh,
    serverTimeout: `${Math.max(1_000, Math.floor(es.requestTimeoutMs / 2))}ms`,
    signal: options.signal,
    onBatch: options.onBatch,
  });
}

/** One-shot: writes `items` with a writer from the config. */
export function writeBulk<T>(
  client: Client,
  config: Config,
  logger: Logger,
  items: Iterable<BulkItem<T>> | AsyncIterable<BulkItem<T>>,
  options: WriteBulkOptions,
): Promise<BulkWriteResult> {
  return createBulkWriter(client, config, logger, options).write(items);
}

export type { BulkItem };
