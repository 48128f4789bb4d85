/**
 * `run --dir`: ships every Zeek log in a directory — a flat one, or zeekctl's `current/` plus dated archive
 * folders (zeek-log-layout.ts) — to Elasticsearch incrementally. Per file it reads from the
 * checkpoint's byte offset, only complete lines (a partial last line waits for its newline; a finished .gz file
 * is read to its end), ships in batches, and advances the checkpoint only after the sink confirmed the batch.
 * A crash between write and checkpoint replays the batch: deterministic ids make that a no-op in the index.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Logger } from '@aiops/common';
import { LineFeeder, logPathFromFileName, sourceChunks, ZeekRecordParser, type ZeekLogRecord, type ZeekReject } from '@aiops/zeek';
import { FINGERPRINT_BYTES, fingerprintOf, loadDirState, matchCheckpoint, saveDirState, type DirState, type FileCheckpoint, type SeenFile } from './log-dir-state.ts';
import { toShippable, type ShippableRecord } from './zeek-document.ts';
import { detectLayout, listLogFiles } from './zeek-log-layout.ts';

/** Writes a batch; resolves only once every item was confirmed (written or dead-lettered), else throws. */
export interface ShipSink {
  write(items: ShippableRecord[]): Promise<void>;
}

export interface IngestDirOptions {
  dir: string;
  stateFile: string;
  indexPrefix: string;
  sink: ShipSink;
  logger: Logger;
  signal?: AbortSignal;
  /** Records per confirmed batch (and checkpoint). */
  batchRecords?: number;
  /** Called after each confirmed batch with its record count. */
  onShipped?: (count: number) => void;
  /** Checkpoints of files gone for longer than this are forgotten. */
  forgetAfterMs?: number;
  now?: () => number;
}

export interface IngestDirResult {
  files: number;
  shipped: number;
  rejected: number;
  /** Per file: what happened this pass. */
  details: { name: string; match: string; shipped: number; rejected: number }[];
}

const REJECTS_LOGGED_PER_FILE = 20;
const GZIP = /\.gz$/;

async function readHead(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  const raw = createReadStream(path, { start: 0, end: GZIP.test(path) ? undefined : FINGERPRINT_BYTES - 1 });
  try {
    for await (const chunk of sourceChunks(raw, path)) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= FINGERPRINT_BYTES) break;
    }
  } finally {
    raw.destroy();
  }
  return Buffer.concat(parts).subarray(0, FINGERPRINT_BYTES);
}

/** Uncompressed chunks from `offset` on: a plain file seeks there, a gzip file is decompressed and skipped. */
async function* chunksFrom(path: string, offset: number): AsyncGenerator<Buffer> {
  if (!GZIP.test(path)) {
    yield* createReadStream(path, { start: offset, highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
    return;
  }
  let skip = offset;
  for await (const chunk of sourceChunks(createReadStream(path, { highWaterMark: 256 * 1024 }), path)) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    yield skip > 0 ? chunk.subarray(skip) : chunk;
    skip = 0;
  }
}

export async function ingestDirOnce(options: IngestDirOptions): Promise<IngestDirResult> {
  const { dir, stateFile, logger } = options;
  const now = options.now ?? Date.now;
  const state = await loadDirState(stateFile, dir);
  const result: IngestDirResult = { files: 0, shipped: 0, rejected: 0, details: [] };
  const seen = new Set<FileCheckpoint>();
  const layout = await detectLayout(dir);
  for (const file of await listLogFiles(layout)) {
    if (options.signal?.aborted) break;
    const st = await stat(file.path).catch(() => undefined);
    if (!st || st.size === 0) continue; // rotated away meanwhile, or nothing to identify it by yet
    // A finished archive seen before (same inode, same name): skip it without decompressing its head.
    const done = state.files.find((c) => c.finished && c.dev === st.dev && c.ino === st.ino && c.name === file.name);
    if (done) {
      done.lastSeen = new Date(now()).toISOString();
      seen.add(done);
      continue;
    }
    const head = await readHead(file.path);
    if (head.length === 0) continue;
    const seenFile: SeenFile = { name: file.name, dev: st.dev, ino: st.ino, size: GZIP.test(file.name) ? Infinity : st.size, head };
    const match = matchCheckpoint(state, seenFile);
    let checkpoint: FileCheckpoint;
    if (match.kind === 'known') checkpoint = match.checkpoint;
    else {
      const base = match.kind === 'copy' ? match.checkpoint : undefined;
      checkpoint = {
        name: file.name,
        dev: st.dev,
        ino: st.ino,
        fingerprint: fingerprintOf(head, head.length),
        fingerprintBytes: head.length,
        offset: base?.offset ?? 0,
        line: base?.line ?? 0,
        parser: base?.parser ? structuredClone(base.parser) : null,
        lastSeen: new Date(now()).toISOString(),
      };
      if (match.kind === 'new' && match.reason !== 'first seen') {
        logger.warn({ file: file.path, reason: match.reason }, 'log file starts over: reading it from its beginning');
        state.files = state.files.filter((c) => !(c.dev === st.dev && c.ino === st.ino));
      }
      state.files.push(checkpoint);
    }
    seen.add(checkpoint);
    checkpoint.name = file.name;
    checkpoint.lastSeen = new Date(now()).toISOString();
    if (checkpoint.fingerprintBytes < head.length) {
      checkpoint.fingerprint = fingerprintOf(head, head.length);
      checkpoint.fingerprintBytes = head.length;
    }
    if (match.kind === 'known' && checkpoint.finished) continue;
    const detail = await ingestFile(file.path, checkpoint, state, options, GZIP.test(file.name));
    result.files++;
    result.shipped += detail.shipped;
    result.rejected += detail.rejected;
    result.details.push({ name: file.name, match: match.kind, ...detail });
  }
  const forgetBefore = now() - (options.forgetAfterMs ?? 7 * 86_400_000);
  state.files = state.files.filter((c) => seen.has(c) || Date.parse(c.lastSeen) >= forgetBefore);
  await saveDirState(stateFile, state);
  return result;
}

async function ingestFile(
  path: string,
  checkpoint: FileCheckpoint,
  state: DirState,
  options: IngestDirOptions,
  finished: boolean,
): Promise<{ shipped: number; rejected: number }> {
  const { logger, indexPrefix, sink, stateFile } = options;
  const batchRecords = options.batchRecords ?? 5_000;
  let rejected = 0;
  const onReject = (r: ZeekReject) => {
    rejected++;
    if (rejected <= REJECTS_LOGGED_PER_FILE) logger.warn({ file: r.file, line: r.line, reason: r.reason }, 'rejected Zeek line');
  };
  const parser = new ZeekRecordParser({
    file: path,
    path: logPathFromFileName(path),
    state: checkpoint.parser ?? undefined,
    onReject,
  });
  const feeder = new LineFeeder({ offset: checkpoint.offset, lineNumber: checkpoint.line });
  let pending: ShippableRecord[] = [];
  let shipped = 0;

  const take = (records: ZeekLogRecord[]) => {
    for (const record of records) {
      const item = toShippable(record, indexPrefix);
      if (typeof item === 'string') parser.reject(record.line, item);
      else pending.push(item);
    }
  };
  /**
   * Hands what is pending to the sink and returns while it is written, so the next batch is parsed meanwhile (the
   * job idled 53 % of a 300 k-row run while Elasticsearch indexed; docs/benchmarks.md, issue 18). Batches
   * are still written one after the other, and each moves the checkpoint to the position it was cut at only once
   * confirmed: at most one batch is in flight beyond the one being read.
   */
  let writing: Promise<void> = Promise.resolve();
  const commit = async () => {
    await writing; // the previous batch confirmed (a failure throws here, before anything after it is sent)
    const items = pending;
    pending = [];
    const cut = { offset: feeder.offset, line: feeder.lineNumber, parser: parser.state() };
    writing = (async () => {
      if (items.length > 0) {
        await sink.write(items);
        shipped += items.length;
        options.onShipped?.(items.length);
      }
      if (checkpoint.offset !== cut.offset) {
        checkpoint.offset = cut.offset;
        checkpoint.line = cut.line;
        checkpoint.parser = cut.parser;
        await saveDirState(stateFile, state);
      }
    })();
    writing.catch(() => {}); // observed by the next commit or the final await; not an unhandled rejection meanwhile
  };

  try {
    for await (const chunk of chunksFrom(path, checkpoint.offset)) {
      const records: ZeekLogRecord[] = [];
      feeder.feed(chunk, parser, records);
      take(records);
      if (pending.length >= batchRecords) await commit();
      if (options.signal?.aborted) break;
    }
    if (finished && !options.signal?.aborted) {
      const records: ZeekLogRecord[] = [];
      feeder.flush(parser, records);
      take(records);
    }
    await commit();
    await writing;
  } finally {
    await writing.catch(() => {}); // a read that failed mid-file leaves no write (or checkpoint save) running
  }
  if (finished && !options.signal?.aborted) {
    checkpoint.finished = true;
    await saveDirState(stateFile, state);
  }
  if (rejected > REJECTS_LOGGED_PER_FILE) logger.warn({ file: path, rejected }, 'more rejected lines in this file than logged');
  if (shipped > 0 || rejected > 0) logger.info({ file: path, shipped, rejected, offset: checkpoint.offset, line: checkpoint.line }, 'log file ingested');
  return { shipped, rejected };
}
