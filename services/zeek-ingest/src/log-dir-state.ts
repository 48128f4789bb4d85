/**
 * Checkpoints of `run --dir`: one per log file, saved atomically (temp file + fsync + rename) after every
 * confirmed bulk write. A file is known by its inode AND a fingerprint of its first bytes (uncompressed):
 * - same inode, same fingerprint: the same file, maybe renamed by rotation (conn.log → conn.<date>.log);
 * - other inode, same fingerprint: a copy of a known file (rotation gzipped it: conn.<date>.log.gz) — resume there;
 * - same inode, other fingerprint, or smaller than the checkpoint: truncated or rewritten — read from the start.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@aiops/common';
import type { ZeekParserState } from '@aiops/zeek';

/** Bytes of a file's start that identify it: the whole TSV header (with its #open time) or the first JSON records. */
export const FINGERPRINT_BYTES = 1024;

export interface FileCheckpoint {
  /** Name when last seen (informative; identity is inode + fingerprint). */
  name: string;
  dev: number;
  ino: number;
  /** sha256 (hex) of the first `fingerprintBytes` uncompressed bytes. */
  fingerprint: string;
  fingerprintBytes: number;
  /** Uncompressed bytes shipped: the end of the last complete line confirmed written. */
  offset: number;
  line: number;
  /** Parser state (format, TSV header) at `offset`; null before the first line. */
  parser: ZeekParserState | null;
  lastSeen: string;
  /** A gzip file read to its end: it never changes again, so later passes skip it without decompressing. */
  finished?: boolean;
}

export interface DirState {
  version: 1;
  dir: string;
  files: FileCheckpoint[];
}

export function fingerprintOf(head: Buffer, bytes: number): string {
  return createHash('sha256').update(head.subarray(0, bytes)).digest('hex');
}

function emptyState(dir: string): DirState {
  return { version: 1, dir, files: [] };
}

export async function loadDirState(file: string, dir: string): Promise<DirState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState(dir);
    throw err;
  }
  let state: DirState;
  try {
    state = JSON.parse(text) as DirState;
  } catch (err) {
    throw new Error(`state file ${file} is not valid JSON (${(err as Error).message}); move it away to start over`, { cause: err });
  }
  if (state.version !== 1 || !Array.isArray(state.files)) throw new Error(`state file ${file}: unknown format (version ${String(state.version)})`);
  return state;
}

export async function saveDirState(file: string, state: DirState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(state));
}

export interface SeenFile {
  name: string;
  dev: number;
  ino: number;
  /** Uncompressed bytes available now (plain: the file size; gzip: unknown until read, so Infinity). */
  size: number;
  /** The first up to FINGERPRINT_BYTES uncompressed bytes. */
  head: Buffer;
}

export type Match = { kind: 'known'; checkpoint: FileCheckpoint } | { kind: 'copy'; checkpoint: FileCheckpoint } | { kind: 'new'; reason: string };

function sameStart(checkpoint: FileCheckpoint, file: SeenFile): boolean {
  return file.head.length >= checkpoint.fingerprintBytes && fingerprintOf(file.head, checkpoint.fingerprintBytes) === checkpoint.fingerprint;
}

/** Which checkpoint (if any) a file on disk continues. Pure: decides on inode, size and the first bytes only. */
export function matchCheckpoint(state: DirState, file: SeenFile): Match {
  const sameInode = state.files.find((c) => c.dev === file.dev && c.ino === file.ino);
  if (sameInode && sameStart(sameInode, file)) {
    if (file.size < sameInode.offset) return { kind: 'new', reason: `truncated (${file.size} bytes < checkpoint ${sameInode.offset})` };
    return { kind: 'known', checkpoint: sameInode };
  }
  const copy = state.files.find((c) => sameStart(c, file));
  if (copy) return { kind: 'copy', checkpoint: copy };
  return { kind: 'new', reason: sameInode ? 'inode reused or file rewritten (first bytes changed)' : 'first seen' };
}
