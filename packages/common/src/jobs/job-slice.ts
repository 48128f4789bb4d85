/**
 * `--slice i/n`: one of n ML workers that split a reading job's input by point-in-time slices (index-reader.ts).
 * A sliced run is its own job instance everywhere two workers could collide: its checkpoint (checkpointKey), its
 * lock (two slices of one job run side by side on one node) and its Pushgateway grouping key (each worker's
 * aiops_job_* gauges live beside the other's instead of replacing them).
 */
import type { PitSlice } from '../elasticsearch/index-reader.ts';

export type JobSlice = Pick<PitSlice, 'id' | 'max'>;

/** n is capped: more workers than this on one index pattern is a typo, not a deployment. */
export const MAX_SLICES = 1024;

/** Parses `i/n` (0 ≤ i < n ≤ 1024); throws an error that says what was expected. */
export function parseSlice(raw: string): JobSlice {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(raw.trim());
  const id = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!m || !(max >= 1 && max <= MAX_SLICES && id < max)) {
    throw new Error(`--slice: expected i/n with 0 ≤ i < n ≤ ${MAX_SLICES} (e.g. 0/2 and 1/2 for two workers), got "${raw}"`);
  }
  return { id, max };
}

/** `slice-0-of-2`: the suffix of a sliced run's lock and grouping instance (plain URL characters). */
export function sliceTag(slice: JobSlice): string {
  return `slice-${slice.id}-of-${slice.max}`;
}

/** The Pushgateway `instance` of a sliced run: `<ml node>.slice-i-of-n`; the node's own name when not sliced. */
export function sliceInstance(instance: string, slice: JobSlice | undefined): string {
  return slice ? `${instance}.${sliceTag(slice)}` : instance;
}

/** The lock name of a sliced run: `<job>.slice-i-of-n`, so two slices of one job do not lock each other out. */
export function sliceLockName(job: string, slice: JobSlice | undefined): string {
  return slice ? `${job}.${sliceTag(slice)}` : job;
}
