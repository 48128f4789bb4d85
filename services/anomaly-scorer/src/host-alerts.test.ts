import { describe, expect, it } from 'vitest';
import { metrics } from '@aiops/contracts';
import type { HostScoringResult, ScoredHostWindow } from '@aiops/network-anomaly';
import { GAUGE_TOP_HOSTS, HostScoreTally } from './host-alerts.ts';

const win = (host: string, score: number, alert: boolean): ScoredHostWindow => ({
  host, role: 'orig', start: 1_700_000_000, end: 1_700_000_600, score, alert, knownHost: true, connections: 3, features: {}, showing: [],
});
const result = (windows: ScoredHostWindow[]): HostScoringResult => ({ windows, connectionHostScores: new Float64Array(0), inAlert: new Uint8Array(0) });

describe('host gauges', () => {
  it("carry the detector's own decision per host (alerted 1/0 beside the score) and its threshold", () => {
    const tally = new HostScoreTally(0.71);
    // 10.0.0.5 alerted in one window of the second page; 10.0.0.9 was scored but never alerted.
    tally.add(result([win('10.0.0.5', 0.6, false), win('10.0.0.9', 0.7, false)]));
    tally.add(result([win('10.0.0.5', 0.72, true)]));
    const gauges = tally.gauges();
    const value = (name: string, host?: string) => gauges.find((g) => g.name === name && g.labels.host === host)?.value;
    expect(value(metrics.anomalyHostScore.name, '10.0.0.5')).toBe(0.72);
    expect(value(metrics.anomalyHostAlerted.name, '10.0.0.5')).toBe(1);
    expect(value(metrics.anomalyHostAlerted.name, '10.0.0.9')).toBe(0);
    expect(gauges.filter((g) => g.name === metrics.anomalyHostThreshold.name).map((g) => g.value)).toEqual([0.71]);
    expect(tally.alertedHosts).toBe(1);
  });

  it('keep every alerted host even when more than the top hosts score higher', () => {
    const tally = new HostScoreTally(0.5);
    tally.add(result([...Array.from({ length: GAUGE_TOP_HOSTS + 5 }, (_, i) => win(`10.0.1.${i}`, 0.9, false)), win('10.0.0.1', 0.51, true)]));
    const alerted = tally.gauges().filter((g) => g.name === metrics.anomalyHostAlerted.name);
    expect(alerted).toHaveLength(GAUGE_TOP_HOSTS + 1);
    expect(alerted.find((g) => g.labels.host === '10.0.0.1')?.value).toBe(1);
  });
});
