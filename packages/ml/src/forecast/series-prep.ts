/**
 * Turns a raw scraped series into what the models need, or says why it cannot be forecast: validation (the
 * `SkippedSeries` reasons), counter → rate, and resampling onto a regular grid of bucket means (capacity planning
 * needs hourly, not 5-minute detail, and hourly means are 12× fewer points with most of the scrape noise gone).
 */
import type { Series } from './types.ts';

export const DAY = 86_400;

/** A regular grid: timestamps[i] = start + i × step; null where a bucket had no observation. */
export interface RegularSeries {
  start: number;
  step: number;
  values: (number | null)[];
}

export interface PrepareOptions {
  stepSeconds: number;
  /** The input is a raw monotonic counter (e.g. node_network_receive_bytes_total): forecast its per-second rate. */
  counter?: boolean;
  /** Minimum history needed, in days (two daily cycles by default). */
  minDays?: number;
}

export type Prepared = { ok: true; series: RegularSeries } | { ok: false; reason: string };

/** Largest gap allowed, as a share of the history; beyond it the seasonal fit is mostly guesswork. */
const MAX_GAP_SHARE = 0.25;
/** Share of empty buckets allowed on the grid. */
const MAX_MISSING_SHARE = 0.5;
/** A counter that resets more often than this is no counter (or the wrong metric was queried). */
const MAX_RESET_SHARE = 0.01;

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** Validates, converts a counter to a rate, and resamples; every refusal names the first offending place. */
export function prepareSeries(series: Series, options: PrepareOptions): Prepared {
  const { timestamps, values } = series;
  if (timestamps.length !== values.length) {
    return { ok: false, reason: `timestamps (${timestamps.length}) and values (${values.length}) differ in length` };
  }
  for (let i = 1; i < timestamps.length; i++) {
    if (!(timestamps[i]! > timestamps[i - 1]!)) {
      return { ok: false, reason: `timestamps not strictly ascending at index ${i} (${timestamps[i - 1]} then ${timestamps[i]})` };
    }
  }
  let t: number[] = [];
  let y: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v) && Number.isFinite(timestamps[i])) {
      t.push(timestamps[i]!);
      y.push(v);
    }
  }
  if (y.length === 0) return { ok: false, reason: `all ${values.length} values are missing or NaN` };
  if (options.counter) {
    const rate = counterToRate(t, y);
    if (typeof rate === 'string') return { ok: false, reason: rate };
    ({ t, y } = rate);
  }
  const minDays = options.minDays ?? 2;
  const span = t.length > 1 ? t[t.length - 1]! - t[0]! : 0;
  const minPoints = Math.ceil((minDays * DAY) / options.stepSeconds);
  if (span < minDays * DAY) {
    return {
      ok: false,
      reason: `too short: ${y.length} observation(s) over ${(span / DAY).toFixed(2)} days; need at least ${minDays} days of history`,
    };
  }
  const first = y[0]!;
  if (y.every((v) => v === first)) return { ok: false, reason: `constant at ${first} over ${y.length} observations: nothing to forecast` };
  for (let i = 1; i < t.length; i++) {
    const gap = t[i]! - t[i - 1]!;
    if (gap > MAX_GAP_SHARE * span) {
      return {
        ok: false,
        reason: `gap of ${(gap / DAY).toFixed(1)} days (${iso(t[i - 1]!)} → ${iso(t[i]!)}) is over ${MAX_GAP_SHARE * 100} % of the ${(span / DAY).toFixed(1)}-day history`,
      };
    }
  }
  const grid = resample(t, y, options.stepSeconds);
  const observed = grid.values.filter((v) => v !== null).length;
  if (observed < minPoints) {
    return { ok: false, reason: `too sparse: ${observed} of ${grid.values.length} ${options.stepSeconds}-s buckets observed; need ${minPoints}` };
  }
  if (observed < (1 - MAX_MISSING_SHARE) * grid.values.length) {
    return {
      ok: false,
      reason: `too many gaps: only ${observed} of ${grid.values.length} ${options.stepSeconds}-s buckets observed (${((100 * observed) / grid.values.length).toFixed(0)} %)`,
    };
  }
  return { ok: true, series: grid };
}

/**
 * Per-second rate of a monotonic counter, Prometheus-style: a drop is a reset, after which the counter restarted
 * from zero (so the increase is the new value). Too many resets mean the input is not a counter.
 */
function counterToRate(t: number[], y: number[]): { t: number[]; y: number[] } | string {
  const rt: number[] = [];
  const ry: number[] = [];
  let resets = 0;
  let firstReset = -1;
  for (let i = 1; i < y.length; i++) {
    const increase = y[i]! >= y[i - 1]! ? y[i]! - y[i - 1]! : y[i]!;
    if (y[i]! < y[i - 1]!) {
      resets++;
      if (firstReset < 0) firstReset = i;
    }
    rt.push(t[i]!);
    ry.push(increase / (t[i]! - t[i - 1]!));
  }
  if (resets > Math.max(1, MAX_RESET_SHARE * y.length)) {
    return `counter resets: ${resets} drops in ${y.length} samples (first at ${iso(t[firstReset]!)}: ${y[firstReset - 1]} → ${y[firstReset]}); is this really a monotonic counter, or already a rate?`;
  }
  return { t: rt, y: ry };
}

/** Means per bucket [start + k·step, start + (k+1)·step), buckets aligned to multiples of step (UTC). */
export function resample(t: number[], y: number[], step: number): RegularSeries {
  const start = Math.floor(t[0]! / step) * step;
  const n = Math.floor((t[t.length - 1]! - start) / step) + 1;
  const sums = new Float64Array(n);
  const counts = new Uint32Array(n);
  for (let i = 0; i < t.length; i++) {
    const k = Math.floor((t[i]! - start) / step);
    sums[k]! += y[i]!;
    counts[k]!++;
  }
  return { start, step, values: Array.from(sums, (s, k) => (counts[k]! > 0 ? s / counts[k]! : null)) };
}

export function gridTimes(series: RegularSeries): number[] {
  return series.values.map((_, i) => series.start + i * series.step);
}

/** Linear interpolation over the null buckets (MSTL needs a complete grid); edges take the nearest value. */
export function fillGaps(values: (number | null)[]): number[] {
  const out = new Array<number>(values.length);
  let prev = -1;
  for (let i = 0; i <= values.length; i++) {
    if (i < values.length && values[i] === null) continue;
    for (let j = prev + 1; j < i; j++) {
      const a = prev >= 0 ? (values[prev] as number) : (values[i] as number);
      const b = i < values.length ? (values[i] as number) : a;
      out[j] = prev >= 0 && i < values.length ? a + ((b - a) * (j - prev)) / (i - prev) : prev >= 0 ? a : b;
    }
    if (i < values.length) out[i] = values[i] as number;
    prev = i;
  }
  return out;
}
