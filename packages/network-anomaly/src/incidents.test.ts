import { describe, expect, it } from 'vitest';
import type { ConnRecord } from '@aiops/zeek';
import type { HostScoringResult, ScoredHostWindow } from './host-detection.ts';
import { incidentReport } from './incidents.ts';

const T0 = 1_700_000_400; // a multiple of 600
const row = (ts: number, origHost: string, label: 'Benign' | 'Malicious'): ConnRecord => ({
  ts, uid: `C${ts}`, origHost, origPort: 40000, respHost: '10.0.0.9', respPort: 22, proto: 'tcp', service: null, duration: 1,
  origBytes: 10, respBytes: 10, connState: 'S0', origPkts: 1, origIpBytes: 40, respPkts: 0, respIpBytes: 0, label, detailedLabel: label === 'Malicious' ? 'scan' : null,
});
const window = (host: string, start: number, showing: number[]): ScoredHostWindow => ({
  host, role: 'orig', start, end: start + 600, score: 0.99, alert: true, knownHost: true, connections: showing.length, features: {}, showing,
});

describe('incident report', () => {
  // Context: a benign hour before the batch, and one earlier scan connection already reported by the previous batch.
  const records = [row(T0 - 3000, '10.0.0.1', 'Benign'), row(T0 - 100, '6.6.6.6', 'Malicious'), row(T0 + 30, '6.6.6.6', 'Malicious'), row(T0 + 700, '10.0.0.1', 'Benign')];
  const host: HostScoringResult = { windows: [window('6.6.6.6', T0, [2])], connectionHostScores: new Float64Array(2), inAlert: new Uint8Array(2) };

  it('counts episodes and benign time from reportFrom on; context rows stay members of their windows', () => {
    const report = incidentReport(records, host, 600, 2);
    expect(report.episodes).toEqual([expect.objectContaining({ episode: '6.6.6.6 × scan', connections: 1, firstTs: T0 + 30, detected: true, withinOneBatch: true })]);
    expect(report.falseHostAlerts).toBe(0);
    // one benign row from reportFrom on: the one-hour floor, not the 62 minutes back to the context's benign row
    expect(report.benignDays).toBeCloseTo(1 / 24);
    // read without the context split, the earlier scan connection is the episode's start
    expect(incidentReport(records, host, 600).episodes[0]).toMatchObject({ connections: 2, firstTs: T0 - 100 });
  });
});
