/**
 * The beacon rule of the hybrid scorer (services/anomaly-scorer/src/pipeline.ts) as the evaluations apply it:
 * baseline = the pairs of the training days' benign base; a held-out row is flagged when the forest OR the rule
 * flags it. Also the rule's own cost on each held-out day's benign base, with and without the baseline.
 */
import { buildBeaconBaseline, detectNewBeacons, type BeaconBaseline, type ConnRecord } from '@aiops/zeek';

export interface BeaconRuleDay {
  day: string;
  baselinePairs: number;
  benignRows: number;
  /** Benign rows of the held-out day the rule flags (pairs not in the baseline). */
  benignRowsFlagged: number;
  /** The pairs behind them: "orig>resp period≈… s, n rows". */
  pairsFlagged: string[];
  /** The same test with an empty baseline: what the baseline saves. */
  benignRowsFlaggedWithoutBaseline: number;
  pairsFlaggedWithoutBaseline: number;
}

export const beaconBaseline = (trainingRecords: readonly ConnRecord[]): BeaconBaseline => buildBeaconBaseline(trainingRecords);

/** −1 where the forest or the beacon rule flags the row, else 1 (a copy; `forestLabels` is untouched). */
export function hybridLabels(records: readonly ConnRecord[], forestLabels: Int8Array, baseline: BeaconBaseline): Int8Array {
  const out = Int8Array.from(forestLabels);
  const period = detectNewBeacons(records, baseline).periodByRow;
  for (let i = 0; i < out.length; i++) if (!Number.isNaN(period[i]!)) out[i] = -1;
  return out;
}

export function beaconRuleCost(day: string, benign: readonly ConnRecord[], baseline: BeaconBaseline): BeaconRuleDay {
  const found = detectNewBeacons(benign, baseline);
  const unfiltered = detectNewBeacons(benign, { pairs: [] });
  const rowsOf = (pairs: { rows: number[] }[]) => pairs.reduce((n, p) => n + p.rows.length, 0);
  return {
    day,
    baselinePairs: baseline.pairs.length,
    benignRows: benign.length,
    benignRowsFlagged: rowsOf(found.pairs),
    pairsFlagged: found.pairs.map((p) => `${p.key} period≈${p.periodSeconds.toFixed(0)} s, cv ${p.cv.toFixed(2)}, ${p.rows.length} rows`),
    benignRowsFlaggedWithoutBaseline: rowsOf(unfiltered.pairs),
    pairsFlaggedWithoutBaseline: unfiltered.pairs.length,
  };
}

export interface JitterPoint {
  /** Each gap is period × (1 + u), u uniform in ±jitter (C2 frameworks' "sleep jitter"; the generator uses 0.02). */
  jitter: number;
  detectionRate: number;
  minDetectionRate: number;
}

/**
 * How much sleep jitter the rule survives: the generator's beacon rows re-timed with wider jitter around the same
 * period (the rest of the capture untouched), the rule alone, per held-out capture.
 */
export function beaconJitterSweep(
  captures: readonly { records: readonly ConnRecord[]; isBeacon: readonly boolean[]; baseline: BeaconBaseline; seed: number }[],
  jitters: readonly number[],
  random: (seed: number) => () => number,
): JitterPoint[] {
  return jitters.map((jitter) => {
    const rates = captures.map(({ records, isBeacon, baseline, seed }) => {
      const rows = records.flatMap((_, i) => (isBeacon[i] ? [i] : []));
      const times = rows.map((i) => records[i]!.ts).sort((a, b) => a - b);
      const period = times.slice(1).map((t, k) => t - times[k]!).sort((a, b) => a - b)[(times.length - 1) >> 1]!;
      const rng = random(seed * 1000 + Math.round(jitter * 100));
      let ts = times[0]!;
      const retimed = [...records];
      rows.forEach((i, k) => {
        if (k > 0) ts += period * (1 + jitter * (2 * rng() - 1));
        retimed[i] = { ...records[i]!, ts };
      });
      const found = detectNewBeacons(retimed, baseline).periodByRow;
      return rows.filter((i) => !Number.isNaN(found[i]!)).length / rows.length;
    });
    return { jitter, detectionRate: rates.reduce((a, b) => a + b, 0) / rates.length, minDetectionRate: Math.min(...rates) };
  });
}
