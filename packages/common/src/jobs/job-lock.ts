/**
 * A lock file per job so overlapping cron runs never interleave. The record is written to a private file first
 * and hard-linked into place: link() fails atomically if the lock exists, and a reader never sees it half-written.
 * It records the holder's PID so a lock left by a killed process is detected and taken over.
 */
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class LockHeldError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holderPid: number,
  ) {
    super(`job lock ${lockFile} is held by running process ${holderPid}`);
    this.name = 'LockHeldError';
  }
}

interface LockRecord {
  pid: number;
  host: string;
  acquiredAt: string;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed holder stays a zombie until its parent (or init) reaps it, and kill(pid, 0) still succeeds on it; where
 * init reaps late (a container or a microVM whose PID 1 is not an init), the lock looked held for good after a kill -9.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S …": comm may hold spaces and parentheses, the state follows the last ')'
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false; // no /proc (not Linux): trust kill(pid, 0)
  }
}

export interface JobLock {
  file: string;
  release(): Promise<void>;
}

export async function acquireJobLock(lockDir: string, job: string): Promise<JobLock> {
  await mkdir(lockDir, { recursive: true });
  const file = join(lockDir, `${job}.lock`);
  const record: LockRecord = { pid: process.pid, host: hostname(), acquiredAt: new Date().toISOString() };
  const candidate = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(candidate, JSON.stringify(record));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(candidate, file);
        return { file, release: () => rm(file, { force: true }) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = await readHolder(file);
        // A lock from another host (shared state dir) cannot be checked by PID: respect it.
        if (holder && (holder.host !== record.host || processAlive(holder.pid))) {
          throw new LockHeldError(file, holder.pid);
        }
        await rm(file, { force: true }); // stale: its process is gone
      }
    }
  } finally {
    await rm(candidate, { force: true });
  }
  throw new Error(`could not acquire job lock ${file}`);
}

async function readHolder(file: string): Promise<LockRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockRecord>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') return parsed as LockRecord;
  } catch {
    // Unreadable lock (e.g. truncated by a full disk): treated as stale.
  }
  return undefined;
}
