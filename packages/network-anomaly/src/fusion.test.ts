import { describe, expect, it } from 'vitest';
import type { ConnRecord } from '@aiops/zeek';
import { boostedScores } from './fusion.ts';
import { fitHostDetector, normalisedRanks } from './host-detection.ts';

describe('host-boosted ranking', () => {
  it('keeps the connection ranks where the host score is below `from`, lifts the others by up to `weight`', () => {
    const connection = [0.1, 0.2, 0.3, 0.4];
    const host = [0.9, 0.5, 0.75, 1];
    const fused = boostedScores(connection, host, { from: 0.5, weight: 1 });
    const ranks = normalisedRanks(connection);
    expect(fused[1]).toBe(ranks[1]); // at `from`: no lift
    expect(fused[2]).toBeCloseTo(ranks[2]! + 0.5, 12); // half way from 0.5 to 1
    expect(fused[3]).toBeCloseTo(ranks[3]! + 1, 12);
    // The weakest connection of a strongly changed host now outranks a stronger one of a calm host.
    expect(fused[0]!).toBeGreaterThan(fused[1]!);
  });

  it('weight 0 is the connection ranking itself, and bad options are refused', () => {
    expect([...boostedScores([3, 1, 2], [1, 1, 1], { from: 0.2, weight: 0 })]).toEqual([...normalisedRanks([3, 1, 2])]);
    expect(() => boostedScores([1], [1, 2], { from: 0.5, weight: 1 })).toThrow(/1 connection scores vs 2/);
    expect(() => boostedScores([1], [1], { from: 1, weight: 1 })).toThrow(/from/);
  });
});

describe('host contamination 0', () => {
  it('puts the alert threshold at the highest training window, so no training window alerts', () => {
    const records: ConnRecord[] = Array.from({ length: 400 }, (_, i) => ({
      ts: 1_700_000_000 + i * 30, uid: `C${i}`, origHost: `10.0.0.${i % 5}`, origPort: 40_000 + i, respHost: `52.0.0.${i % 7}`, respPort: 443,
      proto: 'tcp', service: 'ssl', duration: 1, origBytes: 100 + (i % 13) * 50, respBytes: 2000, connState: i % 17 === 0 ? 'S0' : 'SF',
      origPkts: 4, origIpBytes: 300, respPkts: 4, respIpBytes: 2200, label: null, detailedLabel: null,
    }));
    const detector = fitHostDetector(records, { seed: 3, contamination: 0 });
    expect(detector.json.threshold).toBe(Math.max(...detector.trainingScores!));
    expect(detector.trainingScores!.filter((s) => s > detector.json.threshold)).toHaveLength(0);
    expect(() => fitHostDetector(records, { contamination: -0.1 })).toThrow(/\[0, 0.5\]/);
  });
});
