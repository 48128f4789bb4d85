/**
 * Context features of a connection at its own time, from the connections before it (one pass over the records
 * in ts order, amortized O(1) per record after the O(n log n) sort):
 * - per originator, over the preceding `windowSeconds` (the window (ts − W, ts], this connection included, so a
 *   first contact has count 1): connections (a rate at fixed W), distinct responder hosts (horizontal scan),
 *   distinct responder ports (vertical scan), share of never-established states (S0, REJ, RSTOS0, RSTRH, SH, SHR;
 *   RSTO/RSTR are left out on purpose: established then reset is everyday browser behaviour) and bytes sent;
 * - per responder, distinct originators in the same window (many sources converging on one host: a distributed
 *   scan or an inbound sweep), and the connections the responder itself originated in the window: a server rarely
 *   opens connections, a workstation does, so a high value marks a connection INTO a client machine (what Zeek's
 *   local_orig/local_resp would say, derived here from the traffic because ConnRecord does not carry them);
 * - per originator→responder host pair: connections in the same window (one host hammering one server: DNS
 *   tunnelling, brute force), and ln(0.01 + CV) of the last `jitterK` inter-arrival times, CV = coefficient of
 *   variation (low = timer-like, a beacon; gaps under 1 s are parallel connections of one contact and skipped);
 *   CV = 1 (the Poisson value, "no evidence") until 3 gaps were seen. The
 *   log spreads the beacon end (CV 0.01–0.1) over a useful share of the range: on the raw CV in [0, 3] a random
 *   split would rarely fall between a beacon and the most regular benign pair. The pair's inter-arrival history
 *   outlives the window on purpose (a beacon's period may exceed W). With it, log1p of the mean of those gaps:
 *   the period, which tells a new 60 s implant beacon from the benign 5-minute keep-alive of an antivirus
 *   (CTU day 008's ESET MQTT pair is exactly that regular); 0 before the first gap.
 * Counts enter as log1p for the same reason as bytes (see connection-features.ts). Records with equal ts count
 * each other in the order given (a stable sort keeps the input order), so the result is deterministic.
 */
import type { ConnRecord } from '../conn-record.ts';
import { isFailedState } from './connection-features.ts';
import { InterArrivalTracker, SlidingWindow } from './sliding-window.ts';

export const AGGREGATE_FEATURE_NAMES = [
  'orig_log_conn_count',
  'orig_log_distinct_resp_hosts',
  'orig_log_distinct_resp_ports',
  'orig_failed_share',
  'orig_log_bytes_out',
  'resp_log_distinct_orig_hosts',
  'resp_log_conns_as_orig',
  'pair_log_conn_count',
  'pair_log_interarrival_cv',
  'pair_log_mean_interarrival',
] as const;

export interface AggregateOptions {
  /** Sliding window length in seconds (default 300). */
  windowSeconds?: number;
  /** Inter-arrival times per pair for the jitter feature (default 8). */
  jitterK?: number;
}

export const DEFAULT_WINDOW_SECONDS = 300;
export const DEFAULT_JITTER_K = 8;
const MIN_GAPS_FOR_JITTER = 3;
const JITTER_CAP = 3;
/** Keeps ln() finite for a perfectly regular pair (CV 0) and sets how far the beacon end stretches. */
const JITTER_LOG_FLOOR = 0.01;

/** Indices of `records` in ts order (stable: ties keep their input order). */
export function tsOrder(records: readonly ConnRecord[]): Uint32Array {
  const order = Uint32Array.from(records.keys());
  // Uint32Array.sort with a comparator is stable (ES2019+), so ties keep the input order.
  return order.sort((a, b) => records[a]!.ts - records[b]!.ts);
}

/**
 * Writes the aggregate features (AGGREGATE_FEATURE_NAMES order) of every record into `out`, row-major with
 * `stride` columns per row, from column `offset` on; row i belongs to records[i] whatever the input order.
 */
export function writeAggregateFeatures(
  records: readonly ConnRecord[],
  out: Float64Array,
  stride: number,
  offset: number,
  options: AggregateOptions = {},
): void {
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const jitterK = options.jitterK ?? DEFAULT_JITTER_K;
  if (!(windowSeconds > 0)) throw new RangeError(`windowSeconds must be > 0, got ${windowSeconds}`);
  if (!Number.isInteger(jitterK) || jitterK < MIN_GAPS_FOR_JITTER) {
    throw new RangeError(`jitterK must be an integer >= ${MIN_GAPS_FOR_JITTER}, got ${jitterK}`);
  }
  const byOriginator = new Map<string, SlidingWindow>();
  const byResponder = new Map<string, SlidingWindow>();
  const pairWindows = new Map<string, SlidingWindow>();
  const pairJitter = new Map<string, InterArrivalTracker>();
  // Windows of hosts not seen for a while are dropped now and then, so memory follows the active hosts.
  let nextSweep = -Infinity;

  for (const i of tsOrder(records)) {
    const record = records[i]!;
    const cutoff = record.ts - windowSeconds;
    if (record.ts >= nextSweep) {
      for (const windows of [byOriginator, byResponder, pairWindows]) {
        for (const [host, window] of windows) {
          window.evictUpTo(cutoff);
          if (window.isEmpty) windows.delete(host);
        }
      }
      nextSweep = record.ts + windowSeconds;
    }

    const orig = byOriginator.get(record.origHost) ?? new SlidingWindow(2);
    byOriginator.set(record.origHost, orig);
    orig.evictUpTo(cutoff);
    orig.push({
      ts: record.ts,
      keys: [record.respHost, `${record.proto ?? ''}/${record.respPort ?? ''}`],
      failed: isFailedState(record.connState),
      bytes: record.origBytes ?? 0,
    });

    const resp = byResponder.get(record.respHost) ?? new SlidingWindow(1);
    byResponder.set(record.respHost, resp);
    resp.evictUpTo(cutoff);
    resp.push({ ts: record.ts, keys: [record.origHost], failed: false, bytes: 0 });

    const pairKey = `${record.origHost}\u0000${record.respHost}`;
    const pairWindow = pairWindows.get(pairKey) ?? new SlidingWindow(0);
    pairWindows.set(pairKey, pairWindow);
    pairWindow.evictUpTo(cutoff);
    pairWindow.push({ ts: record.ts, keys: [], failed: false, bytes: 0 });
    const pair = pairJitter.get(pairKey) ?? new InterArrivalTracker(jitterK);
    pairJitter.set(pairKey, pair);
    pair.push(record.ts);

    const base = i * stride + offset;
    out[base] = Math.log1p(orig.size);
    out[base + 1] = Math.log1p(orig.distinct(0));
    out[base + 2] = Math.log1p(orig.distinct(1));
    out[base + 3] = orig.failedShare;
    out[base + 4] = Math.log1p(orig.bytes);
    out[base + 5] = Math.log1p(resp.distinct(0));
    const respAsOrig = byOriginator.get(record.respHost);
    respAsOrig?.evictUpTo(cutoff);
    out[base + 6] = Math.log1p(respAsOrig?.size ?? 0);
    out[base + 7] = Math.log1p(pairWindow.size);
    out[base + 8] = Math.log(JITTER_LOG_FLOOR + pair.coefficientOfVariation(MIN_GAPS_FOR_JITTER, 1, JITTER_CAP));
    out[base + 9] = Math.log1p(pair.meanGap());
  }
}
