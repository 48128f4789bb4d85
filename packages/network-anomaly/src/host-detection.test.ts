import { describe, expect, it } from 'vitest';
import type { ConnRecord } from '@aiops/zeek';
import { fitHostDetector, fuseScores, hostDetectorFromJson, normalisedRanks, scoreHostWindows } from './host-detection.ts';

const T0 = 1_700_000_400;
let n = 0;
function conn(o: Partial<ConnRecord> & Pick<ConnRecord, 'ts' | 'origHost' | 'respHost'>): ConnRecord {
  n++;
  return {
    uid: `C${n}`,
    origPort: 40000 + (n % 20000),
    respPort: 443,
    proto: 'tcp',
    service: 'ssl',
    duration: 1,
    origBytes: 300,
    respBytes: 3000,
    connState: 'SF',
    origPkts: 5,
    origIpBytes: 500,
    respPkts: 5,
    respIpBytes: 3200,
    label: null,
    detailedLabel: null,
    ...o,
  };
}

/** Eight office hosts, each talking to its own few servers, 2–6 connections per 10-minute window, for `hours`. */
function office(startTs: number, hours: number): ConnRecord[] {
  const out: ConnRecord[] = [];
  for (let w = 0; w < hours * 6; w++) {
    for (let h = 1; h <= 8; h++) {
      const count = 2 + ((w * 7 + h * 3) % 5);
      for (let k = 0; k < count; k++) {
        out.push(conn({ ts: startTs + w * 600 + k * 97 + h, origHost: `10.0.0.${h}`, respHost: `52.0.${h}.${k % 3}` }));
      }
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

describe('host detector at a day\'s scale', () => {
  it('trains on more windows than a spread argument list holds (bench e2e at scale 1 overflowed the stack)', () => {
    // 90 k connections, each from and to its own host: 180 k windows (originator and responder roles)
    const many = Array.from({ length: 90_000 }, (_, i) => conn({ ts: T0 + i * 0.01, origHost: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, respHost: `52.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, origBytes: i % 977 }));
    const fitted = fitHostDetector(many, { scorer: 'deviation', seed: 1 });
    expect(fitted.json.trainingWindows).toBe(180_000);
    expect(fitted.json.range.maxima.every(Number.isFinite)).toBe(true);
  });
});

describe('host detector', () => {
  const training = office(T0, 24);
  const detector = fitHostDetector(training, { seed: 1, contamination: 0.01 });

  it('raises a host alert for the window in which a host starts scanning, naming the connections that show it', () => {
    const start = T0 + 24 * 3600;
    const scan = Array.from({ length: 120 }, (_, i) => conn({ ts: start + 300 + i * 0.5, origHost: '10.0.0.3', respHost: `10.0.1.${i + 1}`, respPort: 22, connState: 'S0', origBytes: 0, respBytes: 0, service: null }));
    const batch = [...office(start, 1), ...scan].sort((a, b) => a.ts - b.ts);
    const result = scoreHostWindows(detector, batch);
    const alerts = result.windows.filter((w) => w.alert);
    expect(alerts.map((w) => `${w.role}:${w.host}`)).toContain('orig:10.0.0.3');
    const scanAlert = alerts.find((w) => w.role === 'orig' && w.host === '10.0.0.3')!;
    const scanUids = new Set(scan.map((r) => r.uid));
    expect(scanAlert.showing.every((i) => scanUids.has(batch[i]!.uid))).toBe(true);
    expect(scanAlert.showing).toHaveLength(120);
    // No other originator of the calm office is alerted.
    expect(alerts.filter((w) => w.role === 'orig' && w.host !== '10.0.0.3')).toEqual([]);
    // The scan's connections carry the window's score, the office's calm ones do not reach it.
    const scanScore = Math.min(...batch.flatMap((r, i) => (scanUids.has(r.uid) ? [result.connectionHostScores[i]!] : [])));
    expect(scanScore).toBe(scanAlert.score);
  });

  it('scores the same after a JSON round trip, and refuses a damaged document by field', () => {
    const batch = office(T0 + 30 * 3600, 1);
    const again = hostDetectorFromJson(JSON.parse(JSON.stringify(detector.json)));
    expect(scoreHostWindows(again, batch).windows).toEqual(scoreHostWindows(detector, batch).windows);
    expect(() => hostDetectorFromJson({ ...detector.json, scorer: 'svm' })).toThrow(/scorer/);
    expect(() => hostDetectorFromJson({ ...detector.json, features: ['x'] })).toThrow(/features/);
  });

  it('keeps context records out of the report but in the baseline', () => {
    const batch = office(T0 + 40 * 3600, 2);
    const from = batch.findIndex((r) => r.ts >= T0 + 41 * 3600);
    const result = scoreHostWindows(detector, batch, { reportFrom: from });
    expect(result.connectionHostScores).toHaveLength(batch.length - from);
    expect(result.windows.every((w) => w.start >= T0 + 41 * 3600 - 600)).toBe(true);
  });

  it('holds a known host to what known hosts sent: one upload 10⁵× its busiest window alerts, though a new server once sent more', () => {
    // A backup server appears in the training window with a 2 GB first window: a host never seen, measured against
    // the office's mean window. Over all windows, that makes a known host's upload of 200 MB look ordinary.
    const withServer = [...training, conn({ ts: T0 + 3600 + 50, origHost: '10.0.0.200', respHost: '52.9.9.9', origBytes: 2e9, respBytes: 1000 })].sort((a, b) => a.ts - b.ts);
    const fitted = fitHostDetector(withServer, { seed: 1, contamination: 0.01 });
    const bytesOut = fitted.json.features.indexOf('bytes_out_vs_baseline');
    expect(fitted.json.knownRange.maxima[bytesOut]!).toBeLessThan(fitted.json.range.maxima[bytesOut]! - 5);
    const start = T0 + 24 * 3600;
    const batch = office(start, 1);
    // 10.0.0.4 uploads to one of its usual servers, on its usual port
    const upload = conn({ ts: start + 301, origHost: '10.0.0.4', respHost: '52.0.4.0', origBytes: 2e8, respBytes: 5000 });
    const result = scoreHostWindows(fitted, [...batch, upload].sort((a, b) => a.ts - b.ts));
    const w = result.windows.find((x) => x.role === 'orig' && x.host === '10.0.0.4' && x.start === start)!;
    expect(w.alert).toBe(true);
    // the upload shows the change (more than the host ever sent in one connection); its usual connections do not
    expect(w.showing).toHaveLength(1);
  });

  it('the deviation scorer fits and alerts too', () => {
    const dev = fitHostDetector(training, { scorer: 'deviation', contamination: 0.01 });
    const start = T0 + 24 * 3600;
    const flood = Array.from({ length: 400 }, (_, i) => conn({ ts: start + i, origHost: '10.0.0.5', respHost: '203.0.113.7', respPort: 80, origBytes: 5000, respBytes: 0 }));
    const result = scoreHostWindows(dev, [...office(start, 1), ...flood].sort((a, b) => a.ts - b.ts));
    expect(result.windows.filter((w) => w.alert).map((w) => `${w.role}:${w.host}`)).toContain('orig:10.0.0.5');
  });
});

describe('fusion', () => {
  it('ranks with ties averaged', () => {
    expect([...normalisedRanks([0.1, 0.5, 0.5, 0.9])]).toEqual([0.25, 0.625, 0.625, 1]);
  });

  it('alert-max only moves connections of alerts up; rank-mean and rank-max combine the ranks', () => {
    const connection = [0.9, 0.1, 0.2, 0.3];
    const host = [0.1, 0.9, 0.8, 0.2];
    expect([...fuseScores(connection, host, 'alert-max', [0, 1, 0, 0])]).toEqual([1, 1, 0.5, 0.75]);
    expect([...fuseScores(connection, host, 'rank-max')]).toEqual([1, 1, 0.75, 0.75]);
    expect([...fuseScores(connection, host, 'rank-mean')]).toEqual([0.625, 0.625, 0.625, 0.625]);
    expect(() => fuseScores(connection, host, 'alert-max')).toThrow(/alert flags/);
    expect(() => fuseScores([1], host, 'connection')).toThrow(/1 connection scores vs 4/);
  });
});
