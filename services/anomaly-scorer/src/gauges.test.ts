import { describe, expect, it } from 'vitest';
import { metrics } from '@aiops/contracts';
import type { ConnRecord } from '@aiops/zeek';
import { AnomalyTally } from './gauges.ts';

const conn = (origHost: string, i: number): ConnRecord => ({
  ts: 1_700_000_000 + i, uid: `C${i}`, origHost, origPort: 40_000 + i, respHost: '10.0.0.9', respPort: 443, proto: 'tcp',
  service: null, duration: 1, origBytes: 10, respBytes: 10, connState: 'SF', origPkts: 1, origIpBytes: 40, respPkts: 1,
  respIpBytes: 40, label: null, detailedLabel: null,
});

describe('anomaly gauges', () => {
  it('count every scored connection and name each flagged originator with its count and highest score, across pages', () => {
    const tally = new AnomalyTally();
    tally.add([conn('10.0.0.1', 0), conn('10.0.0.2', 1)], Float64Array.of(0.7, 0.4), Int8Array.of(-1, 1));
    tally.add([conn('10.0.0.1', 2)], Float64Array.of(0.8), Int8Array.of(-1));
    const gauges = tally.gauges();
    const value = (name: string, host?: string) => gauges.find((g) => g.name === name && g.labels.host === host)?.value;
    expect(value(metrics.anomalyConnectionsScored.name)).toBe(3);
    expect(value(metrics.anomalyFlagged.name, '10.0.0.1')).toBe(2);
    expect(value(metrics.anomalyScoreMax.name, '10.0.0.1')).toBe(0.8);
    expect(value(metrics.anomalyFlagged.name, '10.0.0.2')).toBeUndefined();
  });
});
