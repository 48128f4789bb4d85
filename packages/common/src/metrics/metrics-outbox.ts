/**
 * The metrics outbox: ML jobs never talk to Pushgateway; they drop each run's gauges as one snapshot file into a
 * folder, and services/pushgateway-exporter drains it. A job therefore never fails or blocks because Pushgateway
 * is down, and nothing is lost while it is.
 *
 * Files appear atomically (write a `.tmp` beside it, fsync, rename, fsync the folder), so a reader sees a complete
 * snapshot or none; a `.tmp` left by a crash is ignored. Names sort by creation:
 * `<ms timestamp, 15 digits>-<per-process sequence, 6 digits>-<random>-<job>.json`.
 * A snapshot that cannot be parsed or validated is moved to `<outbox>/rejected/` (with a `.reason.txt` beside it)
 * so it never blocks the queue; move it back to retry it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileSyncingDir } from '../fs/atomic-write.ts';
import { createLogger, type Logger } from '../logger.ts';
import { decodeSnapshot, encodeSnapshot, SnapshotValidationError, validateSnapshot, type MetricsSnapshot } from './snapshot.ts';

export { type GaugeSample, type MetricsSnapshot } from './snapshot.ts';

export interface OutboxEntry {
  /** File name inside the outbox. */
  name: string;
  path: string;
  /** When the file was written (from its name), ms since the epoch. */
  createdAtMs: number;
  /** The job as written into the name (sanitised); the file's content is authoritative. */
  job: string;
}

/** Thrown by `read` after the bad file was moved to `rejected/`. */
export class InvalidSnapshotError extends Error {
  constructor(
    readonly entry: OutboxEntry,
    readonly issues: string[],
    readonly rejectedPath: string,
  ) {
    super(`invalid snapshot ${entry.name} moved to ${rejectedPath}: ${issues.join('; ')}`);
    this.name = 'InvalidSnapshotError';
  }
}

const ENTRY_NAME = /^(\d{15})-\d{6}-[0-9a-f]{8}-([A-Za-z0-9_.-]{0,64})\.json$/;
export const REJECTED_SUBDIR = 'rejected';

// Within one process names strictly increase even if the wall clock steps back (NTP) or two writes share a ms.
let lastMs = 0;
let sequence = 0;

function nextEntryName(job: string): string {
  const now = Math.max(Date.now(), lastMs);
  sequence = now === lastMs ? sequence + 1 : 0;
  lastMs = now;
  const safeJob = job.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  const seq = String(sequence % 1_000_000).padStart(6, '0');
  return `${String(now).padStart(15, '0')}-${seq}-${randomBytes(4).toString('hex')}-${safeJob}.json`;
}

export class MetricsOutbox {
  readonly dir: string;
  readonly rejectedDir: string;
  private readonly logger: Logger;

  constructor(dir: string, options: { logger?: Logger } = {}) {
    this.dir = dir;
    this.rejectedDir = join(dir, REJECTED_SUBDIR);
    this.logger = options.logger ?? createLogger('metrics-outbox');
  }

  /** Validates (throws SnapshotValidationError naming the field) and writes the snapshot atomically; returns its path. */
  async write(snapshot: MetricsSnapshot): Promise<string> {
    validateSnapshot(snapshot, `for job ${snapshot.job}`);
    const finalPath = join(this.dir, nextEntryName(snapshot.job));
    // The temporary file ends in .tmp, which list() ignores; the folder is fsynced, so the rename survives a crash.
    await writeFileSyncingDir(this.dir, finalPath, `${JSON.stringify(encodeSnapshot(snapshot))}\n`, `outbox snapshot of ${snapshot.job}`);
    return finalPath;
  }

  /** Snapshot files, oldest first. Ignores `*.tmp`, sub-folders and files of any other name. */
  async list(): Promise<OutboxEntry[]> {
    let dirents;
    try {
      dirents = await readdir(this.dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const entries: OutboxEntry[] = [];
    for (const d of dirents) {
      const match = d.isFile() ? ENTRY_NAME.exec(d.name) : null;
      if (match) entries.push({ name: d.name, path: join(this.dir, d.name), createdAtMs: Number(match[1]), job: match[2]! });
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Reads and validates one snapshot. An unparseable or invalid one is moved to `rejected/`, logged with the file
   * and the offending fields, and reported as InvalidSnapshotError; I/O errors are thrown as they are.
   */
  async read(entry: OutboxEntry): Promise<MetricsSnapshot> {
    const text = await readFile(entry.path, 'utf8');
    try {
      let stored: unknown;
      try {
        stored = JSON.parse(text);
      } catch (err) {
        throw new SnapshotValidationError(`${entry.name} is not JSON`, [`(file): not JSON (${(err as Error).message})`]);
      }
      return decodeSnapshot(stored, entry.name);
    } catch (err) {
      if (!(err instanceof SnapshotValidationError)) throw err;
      const rejectedPath = await this.reject(entry, err.issues);
      throw new InvalidSnapshotError(entry, err.issues, rejectedPath);
    }
  }

  /** Deletes a snapshot (after Pushgateway accepted it). Already gone is fine. */
  async remove(entry: OutboxEntry): Promise<void> {
    try {
      await unlink(entry.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    // Durable, so a crash cannot resurrect an already pushed (older) snapshot behind a newer one.
    await fsyncDir(this.dir);
  }

  /** Moves a snapshot to `rejected/` with a `.reason.txt` beside it and logs why; returns the new path. */
  async reject(entry: OutboxEntry, reasons: string[]): Promise<string> {
    await mkdir(this.rejectedDir, { recursive: true });
    const target = join(this.rejectedDir, entry.name);
    await writeFile(`${target}.reason.txt`, `${new Date().toISOString()}\n${reasons.join('\n')}\n`);
    await rename(entry.path, target);
    await fsyncDir(this.dir);
    this.logger.error({ file: entry.path, movedTo: target, issues: reasons }, `snapshot ${entry.name} rejected: ${reasons.join('; ')}`);
    return target;
  }
}
