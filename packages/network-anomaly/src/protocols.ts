/**
 * The two evaluation protocols of docs/evaluation/network.md, as splits of one labeled capture (pure, seeded):
 *   - mixture: every Benign row plus Malicious rows drawn without replacement to make `share` of the result (other
 *     labels dropped: their truth is unknown), in ts order; then cut at the median time of its Benign rows: the
 *     first half is the network's unlabeled history (train), the second half is scored;
 *   - baseline-live: train on the Benign rows before the `fraction` quantile of the Benign rows' times (attack-free
 *     by construction: what an operator would pick as a known-good week), score everything from that time on, all
 *     labels (metrics use Benign/Malicious only).
 * Both hand the scorer the `contextSeconds` (networkAnomaly.detectContextSeconds) before the cut as context, as
 * `detect` reads the hour before each batch: a scored part that starts mid-window would otherwise judge its first
 * host windows and window aggregates on the few minutes after the cut. The context is the capture as it happened,
 * every label: baseline-live cleans its *training* rows of attacks (the operator's known-good week), but the hour
 * `detect` reads before a batch is whatever the network sent. Cleaned, a victim's window that straddles the cut kept
 * only its live minutes of the attack (ctu-010 lost two scanners that way).
 */
import { networkAnomaly } from '@aiops/contracts';
import { mulberry32 } from '@aiops/ml';
import type { ConnRecord } from '@aiops/zeek';

export const PROTOCOLS = ['as-is', 'mixture', 'baseline-live'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface ProtocolSplit {
  train: ConnRecord[];
  score: ConnRecord[];
  /** The capture's last `contextSeconds` before `score`, every label, in ts order: seen by the scorer, never reported. */
  context: ConnRecord[];
}

/** What the scorer reads for a split: its context, then the part to score; records from `reportFrom` on are reported. */
export function scoredRecords(split: Pick<ProtocolSplit, 'context' | 'score'>): { records: ConnRecord[]; reportFrom: number } {
  return { records: [...split.context, ...split.score], reportFrom: split.context.length };
}

/** The rows within `contextSeconds` before the cut (`sorted` is in ts order). */
function tail(sorted: ConnRecord[], cut: number, contextSeconds: number): ConnRecord[] {
  return sorted.filter((r) => r.ts >= cut - contextSeconds && r.ts < cut);
}

const byTs = (a: ConnRecord, b: ConnRecord) => a.ts - b.ts;

export function mixture(day: readonly ConnRecord[], share: number, seed: number): ConnRecord[] {
  if (!(share > 0 && share < 1)) throw new Error(`mixture: share: expected a number in (0, 1), got ${share}`);
  const benign = day.filter((r) => r.label === 'Benign');
  const malicious = day.filter((r) => r.label === 'Malicious');
  const wanted = Math.min(malicious.length, Math.round((share / (1 - share)) * benign.length));
  const random = mulberry32(seed);
  const pool = [...malicious];
  for (let i = 0; i < wanted; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return [...benign, ...pool.slice(0, wanted)].sort(byTs);
}

/** Time of the Benign row at quantile q (in ts order); throws when there are too few Benign rows to split. */
function benignQuantileTs(records: readonly ConnRecord[], q: number, what: string): number {
  const benign = records.filter((r) => r.label === 'Benign').sort(byTs);
  if (benign.length < 10) throw new Error(`${what}: ${benign.length} Benign rows; at least 10 are needed to split into a training and a scored part`);
  return benign[Math.floor(q * benign.length)]!.ts;
}

export function mixtureSplit(records: readonly ConnRecord[], share: number, seed: number, contextSeconds: number = networkAnomaly.detectContextSeconds): ProtocolSplit {
  const mix = mixture(records, share, seed);
  const cut = benignQuantileTs(mix, 0.5, 'mixture');
  const train = mix.filter((r) => r.ts < cut);
  return { train, score: mix.filter((r) => r.ts >= cut), context: tail(train, cut, contextSeconds) };
}

export function baselineLiveSplit(records: readonly ConnRecord[], fraction = 0.6, contextSeconds: number = networkAnomaly.detectContextSeconds): ProtocolSplit {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`baseline-live: fraction: expected a number in (0, 1), got ${fraction}`);
  const cut = benignQuantileTs(records, fraction, 'baseline-live');
  const sorted = [...records].sort(byTs);
  const train = sorted.filter((r) => r.label === 'Benign' && r.ts < cut);
  return { train, score: sorted.filter((r) => r.ts >= cut), context: tail(sorted, cut, contextSeconds) };
}
