import { describe, expect, it } from 'vitest';
import { beaconPairKey, buildBeaconBaseline, detectNewBeacons, gapRegularity } from './beacon.ts';
import { conn } from './test-records.ts';

const T0 = 1_700_000_000;

/** `count` contacts from orig to resp every `period` s, each gap off by up to ±jitter (a deterministic zig-zag). */
function calls(orig: string, resp: string, count: number, period: number, jitter = 0, start = T0) {
  let ts = start;
  return Array.from({ length: count }, (_, i) => {
    ts += period * (1 + jitter * (i % 2 === 0 ? 1 : -1) * ((i % 5) / 4));
    return conn({ ts, origHost: orig, respHost: resp });
  });
}

describe('beacon baseline', () => {
  it('holds the sorted, distinct pairs seen in training', () => {
    const training = [...calls('10.0.0.1', '8.8.8.8', 5, 60), ...calls('10.0.0.2', '1.1.1.1', 2, 60), ...calls('10.0.0.1', '1.1.1.1', 1, 60)];
    const baseline = buildBeaconBaseline(training);
    expect(baseline).toEqual({ pairs: ['10.0.0.1>1.1.1.1', '10.0.0.1>8.8.8.8', '10.0.0.2>1.1.1.1'], truncated: false, pairsSeen: 3 });
  });

  it('keeps the most frequent pairs when capped, still sorted', () => {
    const training = [...calls('10.0.0.9', '9.9.9.9', 1, 60), ...calls('10.0.0.1', '8.8.8.8', 5, 60), ...calls('10.0.0.2', '1.1.1.1', 3, 60)];
    const baseline = buildBeaconBaseline(training, { maxPairs: 2 });
    expect(baseline).toEqual({ pairs: ['10.0.0.1>8.8.8.8', '10.0.0.2>1.1.1.1'], truncated: true, pairsSeen: 3 });
    expect(() => buildBeaconBaseline(training, { maxPairs: -1 })).toThrow(/maxPairs/);
  });
});

describe('gap regularity', () => {
  it('measures the period and CV, merging contacts of one burst', () => {
    const r = gapRegularity([0, 60, 60.2, 120, 180, 240.5])!; // 60.2 is the same burst as 60
    expect(r.gaps).toBe(4);
    expect(r.periodSeconds).toBe(60);
    expect(r.cv).toBeLessThan(0.01);
    expect(gapRegularity([0, 0.5, 30])).toBeNull();
    // irregular gaps give a large CV
    expect(gapRegularity([0, 5, 100, 110, 400, 405, 1000])!.cv).toBeGreaterThan(0.5);
  });
});

describe('new beacon detection', () => {
  const baseline = buildBeaconBaseline(calls('10.0.0.1', '5.5.5.5', 50, 302));

  it('flags a regular pair not in the baseline, every one of its rows, with its period', () => {
    const batch = [...calls('10.0.0.1', '5.5.5.5', 50, 302), ...calls('10.0.0.1', '6.6.6.6', 20, 60, 0.02)];
    const found = detectNewBeacons(batch, baseline);
    expect(found.pairs.map((p) => p.key)).toEqual(['10.0.0.1>6.6.6.6']);
    expect(found.pairs[0]!.periodSeconds).toBeGreaterThan(58);
    expect(found.pairs[0]!.periodSeconds).toBeLessThan(62);
    expect(found.pairs[0]!.rows).toHaveLength(20);
    // the known poller (every 302 s, as regular) is not reported; the new one is, row by row
    expect(Array.from(found.periodByRow.subarray(0, 50)).every(Number.isNaN)).toBe(true);
    expect(Array.from(found.periodByRow.subarray(50)).every((p) => p > 58 && p < 62)).toBe(true);
  });

  it('needs enough gaps, a low CV and a period of at least 10 s', () => {
    const tooFew = calls('10.0.0.3', '7.7.7.7', 6, 60); // 5 gaps
    const jittery = calls('10.0.0.3', '7.7.7.8', 30, 60, 0.6);
    const tooFast = calls('10.0.0.3', '7.7.7.9', 30, 5);
    expect(detectNewBeacons([...tooFew, ...jittery, ...tooFast], baseline).pairs).toEqual([]);
    // the same pairs pass with looser settings, so each setting is what stopped them
    expect(detectNewBeacons(tooFew, baseline, { minGaps: 5 }).pairs).toHaveLength(1);
    expect(detectNewBeacons(jittery, baseline, { maxCv: 1 }).pairs).toHaveLength(1);
    expect(detectNewBeacons(tooFast, baseline, { minPeriodSeconds: 1 }).pairs).toHaveLength(1);
  });

  it('keys a pair by hosts, not ports, and reads records in any order', () => {
    const batch = calls('10.0.0.4', '4.4.4.4', 12, 120, 0.01).map((r, i) => ({ ...r, respPort: i % 2 === 0 ? 443 : 8443 })).reverse();
    expect(beaconPairKey(batch[0]!)).toBe('10.0.0.4>4.4.4.4');
    expect(detectNewBeacons(batch, { pairs: [] }).pairs[0]!.rows).toHaveLength(12);
  });
});
