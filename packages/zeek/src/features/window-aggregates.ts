/**
 * Context features of a connection at its own time, from the connections before it (one pass over the records
 * in ts order, amortized O(1) per record after the O(n log n) sort):
 * - per originator, over the preceding `windowSeconds` (the window (ts − W, ts], this connection included, so a
 *   first contact has count 1): connections (a rate at fixed W), distinct responder hosts (horizontal scan),
 *   distinct responder ports (vertical scan), share of never-established states (S0, REJ, RSTOS0, RSTRH, SH, SHR;
 *   RSTO/RSTR are left out on purpose: established then reset is everyday browser behaviour);
 * - per responder, distinct originators in the same window (many sources converging on one host: a distributed
 *   scan or an inbound sweep), and the connections the responder itself originated in the window: a server rarely
 *   opens connections, a workstation does, so a high value marks a connection INTO a client machine (what Zeek's
 *   local_orig/local_resp would say, derived here from the traffic because ConnRecord does not carry them);
 * - per originator→responder host pair: connections in the same window (one host hammering one server: DNS
 *   tunnelling, brute force), and log1p of the mean of its last `jitterK` inter-arrival times ≥ 1 s (the pair's
 *   period; its history outlives the window on purpose, a period may exceed W; 0 before the first gap);
 * - bytes the originator sent over the window, in MB, and on a DNS row (port 53 or service dns) the bytes of the
 *   originator's DNS queries over the window, in kB (0 on other rows).
 * Counts enter as log1p for the same reason as bytes (see connection-features.ts). The two byte sums do NOT: an
 * Isolation Forest cannot isolate a value beyond the training range any faster than the training maximum itself, so
 * what detects an exfiltration is a sparse top of the benign distribution. On a raw scale the heavy benign tail is
 * sparse (a few large uploads), on log1p it is dense (measured on the validation rotation, docs/evaluation/network.md:
 * bulk transfer 51 % → 100 % detected, DNS tunnel 0 % → 47 %, with the rest unchanged).
 * Measured and dropped (same page): the pair inter-arrival CV, a count of regular gaps per hour (CTU day 011 holds a
 * real 26 s keep-alive, more regular and faster than the injected beacons), bytes per pair, the originator's log bytes.
 * Records with equal ts count each other in the order given (a stable sort keeps the input order), so the result is
 * deterministic.
 */
import type { ConnRecord } from '../conn-record.ts';
import { isFailedState } from './connection-features.ts';
import { InterArrivalTracker, SlidingWindow } from './sliding-window.ts';

export const AGGREGATE_FEATURE_NAMES = [
  'orig_log_conn_count',
  'orig_log_distinct_resp_hosts',
  'orig_log_distinct_resp_ports',
  'orig_failed_share',
  'resp_log_distinct_orig_hosts',
  'resp_log_conns_as_orig',
  'pair_log_conn_count',
  'pair_log_mean_interarrival',
  'orig_dns_kbytes_out',
  'orig_mbytes_out',
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
  const dnsByOriginator = new Map<string, SlidingWindow>();
  // Windows of hosts not seen for a while are dropped now and then, so memory follows the active hosts.
  let nextSweep = -Infinity;

  for (const i of tsOrder(records)) {
    const record = records[i]!;
    const cutoff = record.ts - windowSeconds;
    if (record.ts >= nextSweep) {
      for (const windows of [byOriginator, byResponder, pairWindows, dnsByOriginator]) {
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
    const isDns = record.respPort === 53 || (record.service ?? '').split(',')[0] === 'dns';
    let dnsBytes = 0;
    if (isDns) {
      const dns = dnsByOriginator.get(record.origHost) ?? new SlidingWindow(0);
      dnsByOriginator.set(record.origHost, dns);
      dns.evictUpTo(cutoff);
      dns.push({ ts: record.ts, keys: [], failed: false, bytes: record.origBytes ?? 0 });
      dnsBytes = dns.bytes;
    }
    const pair = pairJitter.get(pairKey) ?? new InterArrivalTracker(jitterK);
    pairJitter.set(pairKey, pair);
    pair.push(record.ts);

    const base = i * stride + offset;
    out[base] = Math.log1p(orig.size);
    out[base + 1] = Math.log1p(orig.distinct(0));
    out[base + 2] = Math.log1p(orig.distinct(1));
    out[base + 3] = orig.failedShare;
    out[base + 4] = Math.log1p(resp.distinct(0));
    const respAsOrig = byOriginator.get(record.respHost);
    respAsOrig?.evictUpTo(cutoff);
    out[base + 5] = Math.log1p(respAsOrig?.size ?? 0);
    out[base + 6] = Math.log1p(pairWindow.size);
    out[base + 7] = Math.log1p(pair.meanGap());
    out[base + 8] = dnsBytes / 1e3;
    out[base + 9] = orig.bytes / 1e6;
  }
}
