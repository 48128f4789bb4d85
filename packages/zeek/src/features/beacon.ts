/**
 * Beacon detection against a training baseline (RITA / Zeek beacon scripts / NDR style): a NEW periodic contact.
 *
 * Why a rule and not a forest column: real networks are full of benign beacons (antivirus keep-alives, pollers
 * with gaps repeating within 5 %; docs/evaluation/network.md "beacon"), so regularity alone separates nothing.
 * What does separate a C2 beacon is that the originator→responder pair is regular in this batch AND was not seen
 * in the training baseline. The baseline is the set of pairs seen in training, kept with the model.
 *
 * Pure and I/O-free: records in, baseline / detections out.
 */
import type { ConnRecord } from '../conn-record.ts';

/** A pair's key: originator → responder host (any port: a beacon that rotates ports is still the same contact). */
export const beaconPairKey = (r: Pick<ConnRecord, 'origHost' | 'respHost'>): string => `${r.origHost}>${r.respHost}`;

export interface BeaconBaselineOptions {
  /**
   * At most this many pairs are kept (default 50,000: ~2 MB of JSON in the model file). When training holds more,
   * the pairs with the most connections are kept: a pair seen once or twice is the least likely to be a known
   * poller, and dropping it can only add a beacon alert, never hide one.
   */
  maxPairs?: number;
}

export const DEFAULT_BEACON_BASELINE_MAX_PAIRS = 50_000;

export interface BeaconBaseline {
  /** Sorted `beaconPairKey` values seen in training. */
  pairs: string[];
  /** True when the cap dropped pairs (the least frequent ones). */
  truncated: boolean;
  /** Distinct pairs in training before the cap. */
  pairsSeen: number;
}

export function buildBeaconBaseline(records: readonly ConnRecord[], options: BeaconBaselineOptions = {}): BeaconBaseline {
  const maxPairs = options.maxPairs ?? DEFAULT_BEACON_BASELINE_MAX_PAIRS;
  if (!(Number.isInteger(maxPairs) && maxPairs >= 0)) throw new Error(`beacon baseline: maxPairs: expected an integer ≥ 0, got ${maxPairs}`);
  const counts = new Map<string, number>();
  for (const r of records) {
    const key = beaconPairKey(r);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let keys = [...counts.keys()];
  const truncated = keys.length > maxPairs;
  if (truncated) {
    // Most connections first; ties by key, so the same training set always gives the same baseline.
    keys.sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
    keys = keys.slice(0, maxPairs);
  }
  keys.sort();
  return { pairs: keys, truncated, pairsSeen: counts.size };
}

export interface BeaconTestOptions {
  /** Gaps needed (default 6, i.e. ≥ 7 contacts). */
  minGaps?: number;
  /** Largest coefficient of variation of the gaps (default 0.2). */
  maxCv?: number;
  /** Shortest period, seconds (default 10): faster repetition is a session or a retry loop, not a call-home. */
  minPeriodSeconds?: number;
  /**
   * Contacts closer than this to the previous one are one burst (default 1 s): a beacon that opens two connections
   * per call (retry, second channel) must not get a ~0 s gap that wrecks its CV.
   */
  burstSeconds?: number;
}

export const DEFAULT_BEACON_TEST: Required<BeaconTestOptions> = { minGaps: 6, maxCv: 0.2, minPeriodSeconds: 10, burstSeconds: 1 };

export interface BeaconPair {
  key: string;
  origHost: string;
  respHost: string;
  /** Median gap between bursts, seconds. */
  periodSeconds: number;
  /** Coefficient of variation (std / mean) of the gaps. */
  cv: number;
  gaps: number;
  /** Input indices of the pair's connections (all of them are flagged). */
  rows: number[];
}

export interface BeaconDetection {
  pairs: BeaconPair[];
  /** Per input record: the period (s) of the new beacon it belongs to, or NaN. */
  periodByRow: Float64Array;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The regularity of one pair's contact times (any order); null when there are too few gaps to judge. */
export function gapRegularity(times: readonly number[], burstSeconds = DEFAULT_BEACON_TEST.burstSeconds): { periodSeconds: number; cv: number; gaps: number } | null {
  const sorted = [...times].sort((a, b) => a - b);
  const gaps: number[] = [];
  let last = sorted[0];
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - last!;
    if (gap < burstSeconds) continue; // same burst; the burst's first contact keeps the clock
    gaps.push(gap);
    last = sorted[i];
  }
  if (gaps.length < 2) return null;
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const variance = gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length;
  return { periodSeconds: median(gaps.sort((a, b) => a - b)), cv: Math.sqrt(variance) / mean, gaps: gaps.length };
}

/**
 * The pairs of this batch that beacon (≥ minGaps gaps, CV < maxCv, period ≥ minPeriodSeconds) and are NOT in the
 * baseline. Known pairs are skipped before the test: a known poller is never reported, however regular.
 */
export function detectNewBeacons(records: readonly ConnRecord[], baseline: Pick<BeaconBaseline, 'pairs'>, options: BeaconTestOptions = {}): BeaconDetection {
  const o = { ...DEFAULT_BEACON_TEST, ...options };
  const known = new Set(baseline.pairs);
  const rowsByPair = new Map<string, number[]>();
  records.forEach((r, i) => {
    const key = beaconPairKey(r);
    if (known.has(key)) return;
    const rows = rowsByPair.get(key);
    if (rows) rows.push(i);
    else rowsByPair.set(key, [i]);
  });
  const periodByRow = new Float64Array(records.length).fill(Number.NaN);
  const pairs: BeaconPair[] = [];
  for (const [key, rows] of rowsByPair) {
    if (rows.length < o.minGaps + 1) continue;
    const regularity = gapRegularity(rows.map((i) => records[i]!.ts), o.burstSeconds);
    if (regularity === null || regularity.gaps < o.minGaps || regularity.cv >= o.maxCv || regularity.periodSeconds < o.minPeriodSeconds) continue;
    const first = records[rows[0]!]!;
    pairs.push({ key, origHost: first.origHost, respHost: first.respHost, ...regularity, rows });
    for (const i of rows) periodByRow[i] = regularity.periodSeconds;
  }
  pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { pairs, periodByRow };
}
