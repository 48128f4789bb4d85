/**
 * Where each reading job stopped: one small JSON file per key under `paths.stateDir`, replaced atomically, and the
 * driver that advances it only after a page's results are confirmed written.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { safeFileStem } from './dead-letter.ts';
import { writeFileSyncingDir } from '../fs/atomic-write.ts';
import { readKeyedFile } from './keyed-state-file.ts';
import { readAhead } from './read-ahead.ts';
import { readSince, type PitSlice, type ReadPage, type ReadSinceOptions } from './index-reader.ts';
import { readPositionSchema, type ReadPosition } from './read-position.ts';

const checkpointFileSchema = z.object({
  key: z.string(),
  position: readPositionSchema,
  savedAt: z.string(),
});

/** The key of one reader's checkpoint: the job, the pattern it reads and its slice (each slice resumes alone). */
export function checkpointKey(job: string, index: string, slice?: Pick<PitSlice, 'id' | 'max'>): string {
  return slice ? `${job}|${index}|slice-${slice.id}-of-${slice.max}` : `${job}|${index}`;
}

/**
 * `<readable stem>.<hash>.json`: the stem tells an operator whose file it is; the hash of the exact key keeps two
 * keys that sanitise alike (`logs-*` and `logs-?`) in separate files.
 */
export function checkpointFileName(key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return `${safeFileStem(key).slice(0, 120)}.${hash}.json`;
}

export class CheckpointStore {
  constructor(readonly dir: string) {}

  /** `<paths.stateDir>/checkpoints`, where docs/contracts.md says checkpoints live. */
  static fromConfig(config: Pick<Config, 'paths'>): CheckpointStore {
    return new CheckpointStore(join(config.paths.stateDir, 'checkpoints'));
  }

  fileFor(key: string): string {
    return join(this.dir, checkpointFileName(key));
  }

  /** The saved position, or undefined if this key never saved one. A damaged file throws: starting over silently
   * would reread (or, with a later `since`, skip) everything. */
  async load(key: string): Promise<ReadPosition | undefined> {
    return (await readKeyedFile(this.fileFor(key), key, checkpointFileSchema, 'checkpoint', 'to start over'))?.position;
  }

  /** Replaced atomically (writeFileSyncingDir): after a crash the file holds either the old or the new position. */
  async save(key: string, position: ReadPosition): Promise<void> {
    const valid = readPositionSchema.parse(position);
    const body = JSON.stringify({ key, position: valid, savedAt: new Date().toISOString() }) + '\n';
    await writeFileSyncingDir(this.dir, this.fileFor(key), body, `checkpoint ${key}`);
  }
}

/**
 * Pages requested ahead while a page (or batch) is handled (read-ahead.ts): Elasticsearch finds the next ones while
 * the job works. Pages read ahead but not handed over (an abort) are read again by the next run.
 */
const READ_AHEAD_PAGES = 2;

export interface ProcessSinceOptions<T> {
  /** What to read; `since` comes from the store (or `initial` on the first run). */
  read: Omit<ReadSinceOptions, 'since'>;
  store: CheckpointStore;
  key: string;
  /** Where the very first run starts (e.g. 24 h ago); from the oldest document when omitted. */
  initial?: ReadPosition;
  /** Handles one page: must resolve only once its results are confirmed written, and throw otherwise. */
  handlePage: (page: ReadPage<T>) => Promise<void>;
  /**
   * Pages are handed over together until they hold at least this many hits (asked before each page; the reader's
   * last page ends a batch early), as one page with the last position. A job that rescores a context with each
   * page asks for its context's size, so the context is at most half of the work and the run stays linear.
   */
  minBatchHits?: () => number;
  /** Checked between pages: an aborted run stops after the page in hand is handled and checkpointed. */
  signal?: AbortSignal;
  logger?: Logger;
}

export interface ProcessSinceResult {
  pages: number;
  hits: number;
  /** The last saved position (the loaded one if no page was handled). */
  position: ReadPosition | undefined;
  aborted: boolean;
}

/**
 * Reads from the checkpoint, hands each page (or batch of pages: minBatchHits) to `handlePage`, and saves its
 * position only after `handlePage` resolved. A crash or a throw between reading and confirming leaves the old
 * position, so the page is read again next run (its writes are idempotent by deterministic ids) and never skipped.
 */
export async function processSince<T = Record<string, unknown>>(options: ProcessSinceOptions<T>): Promise<ProcessSinceResult> {
  const { store, key, signal, logger } = options;
  const loaded = await store.load(key);
  const result: ProcessSinceResult = { pages: 0, hits: 0, position: loaded, aborted: false };
  if (signal?.aborted) return { ...result, aborted: true };
  const since = loaded ?? options.initial;
  logger?.info({ key, since }, loaded ? 'resuming from checkpoint' : 'no checkpoint, starting from the initial position');
  let batch: ReadPage<T> | undefined;
  const handleBatch = async (): Promise<void> => {
    if (!batch) return;
    const { hits, position } = batch;
    batch = undefined;
    await options.handlePage({ hits, position });
    await store.save(key, position);
    result.pages++;
    result.hits += hits.length;
    result.position = position;
    logger?.debug({ key, hits: hits.length, position: position.timestamp }, 'page handled, checkpoint saved');
  };
  for await (const page of readAhead(readSince<T>({ ...options.read, since }), READ_AHEAD_PAGES)) {
    if (signal?.aborted) {
      result.aborted = true;
      break;
    }
    if (batch) {
      for (const hit of page.hits) batch.hits.push(hit);
      batch.position = page.position;
    } else {
      batch = { hits: [...page.hits], position: page.position };
    }
    if (batch.hits.length < (options.minBatchHits?.() ?? 0)) continue;
    await handleBatch();
    if (signal?.aborted) {
      result.aborted = true;
      break;
    }
  }
  // the end of the reader, or an abort: what was read is handled and checkpointed, not read again next run
  if (batch) {
    await handleBatch();
    if (signal?.aborted) result.aborted = true;
  }
  return result;
}
