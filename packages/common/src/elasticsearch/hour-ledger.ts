/**
 * How many source documents a job has handled per hour of their timestamp, kept beside its checkpoint. A job whose
 * outputs are not one document per input (detect writes only the flagged connections) cannot find what arrived
 * late by comparing its outputs with its inputs, as classify does (late-documents.ts); it compares the source's
 * hourly counts with this ledger instead, and handles again the hours that hold more than it counted.
 *
 * `since`: the first hour the ledger speaks for. Hours before it were read before the ledger existed (or never, by
 * the operator's choice of a first `--since`), so they are never taken for late.
 * Saved atomically; a run that dies before saving leaves the old ledger, and the hours it handled look short to the
 * next run, which handles them again: the outputs' deterministic ids make that a rewrite, not a duplicate.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { checkpointFileName } from './checkpoint-store.ts';
import { writeFileSyncingDir } from '../fs/atomic-write.ts';
import { readKeyedFile } from './keyed-state-file.ts';

export const HOUR_MS = 3600 * 1000;

const ledgerFileSchema = z.object({
  key: z.string(),
  since: z.number().int(),
  hours: z.record(z.string().regex(/^\d+$/), z.number().int().nonnegative()),
});

/**
 * The window the late pass counts: whole hours back from the checkpoint's, never before the ledger's first hour,
 * ending with the last hour that ended `settleSeconds` before the checkpoint (never the checkpoint's own hour).
 */
export function lateWindow(ledgerSince: number, checkpointMs: number, lookbackHours: number, settleSeconds: number): { from: number; to: number } {
  return {
    from: Math.max(ledgerSince, Math.floor(checkpointMs / HOUR_MS - lookbackHours) * HOUR_MS),
    to: Math.floor((checkpointMs - Math.max(0, settleSeconds) * 1000) / HOUR_MS) * HOUR_MS,
  };
}

/** Ascending hour starts grouped into runs of consecutive hours. */
export function consecutiveRuns(hours: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const hour of hours) {
    const run = runs.at(-1);
    if (run && hour === run.at(-1)! + HOUR_MS) run.push(hour);
    else runs.push([hour]);
  }
  return runs;
}

export class HourLedger {
  private constructor(
    /** Epoch ms of the first hour the ledger speaks for. */
    readonly since: number,
    private readonly counts: Map<number, number>,
  ) {}

  /** A new ledger for documents from `start` on: its first whole hour is the one after `start`'s. */
  static startingAt(start: Date | string | number | undefined): HourLedger {
    const ms = start === undefined ? 0 : new Date(start).getTime();
    return new HourLedger(Math.ceil(ms / HOUR_MS) * HOUR_MS, new Map());
  }

  static fromJson(since: number, hours: Record<string, number>): HourLedger {
    return new HourLedger(since, new Map(Object.entries(hours).map(([hour, n]) => [Number(hour), n])));
  }

  /** Hour start (epoch ms) → documents handled: what hoursMissing compares the source's counts with. */
  get hours(): ReadonlyMap<number, number> {
    return this.counts;
  }

  /** Count documents handled, by their ISO timestamps. */
  add(timestamps: Iterable<string>): void {
    for (const timestamp of timestamps) {
      const hour = Math.floor(Date.parse(timestamp) / HOUR_MS) * HOUR_MS;
      this.counts.set(hour, (this.counts.get(hour) ?? 0) + 1);
    }
  }

  /** After an hour was handled whole: it holds what the source held. */
  set(hour: number, count: number): void {
    this.counts.set(hour, count);
  }

  /** Forget hours before `before`: they are out of every later run's window. */
  prune(before: number): void {
    for (const hour of this.counts.keys()) if (hour < before) this.counts.delete(hour);
  }

  toJson(): { since: number; hours: Record<string, number> } {
    return { since: this.since, hours: Object.fromEntries([...this.counts].sort((a, b) => a[0] - b[0]).map(([h, n]) => [String(h), n])) };
  }
}

/** Ledgers under `<paths.stateDir>/ledgers`, one file per checkpoint key (the checkpoint's own file name). */
export class HourLedgerStore {
  constructor(readonly dir: string) {}

  static fromConfig(config: Pick<Config, 'paths'>): HourLedgerStore {
    return new HourLedgerStore(join(config.paths.stateDir, 'ledgers'));
  }

  fileFor(key: string): string {
    return join(this.dir, checkpointFileName(key));
  }

  /** The saved ledger, or undefined if none; a damaged file throws (fix or delete it: the next run starts a new one). */
  async load(key: string): Promise<HourLedger | undefined> {
    const parsed = await readKeyedFile(this.fileFor(key), key, ledgerFileSchema, 'ledger', 'to start a new one');
    return parsed && HourLedger.fromJson(parsed.since, parsed.hours);
  }

  async save(key: string, ledger: HourLedger): Promise<void> {
    await writeFileSyncingDir(this.dir, this.fileFor(key), JSON.stringify({ key, ...ledger.toJson() }) + '\n', `ledger ${key}`);
  }
}
