import { describe, expect, it } from 'vitest';
import { buildFeatureMatrix, featureNames, featureRow } from './feature-matrix.ts';
import { conn } from './test-records.ts';

function column(names: readonly string[], name: string): number {
  const index = names.indexOf(name);
  if (index < 0) throw new Error(`no column ${name}`);
  return index;
}

/** The feature `name` of every row. */
function values(records: Parameters<typeof buildFeatureMatrix>[0], name: string, windowSeconds = 300) {
  const m = buildFeatureMatrix(records, { featureSet: 'aggregates', windowSeconds });
  const j = column(m.names, name);
  return Array.from({ length: m.rows }, (_, i) => m.data[i * m.columns + j]!);
}

describe('per-connection features', () => {
  it('log1p counts, rate guarded against duration 0 and unset, one-hot service, state ordinal, UTC time', () => {
    const ts = Date.UTC(2024, 0, 3, 14, 30) / 1000; // a Wednesday, 14:30 UTC
    const records = [
      conn({ ts, duration: 2, origBytes: 99, origIpBytes: 1000, service: 'http', connState: 'SF' }),
      conn({ ts, duration: 0, origIpBytes: 1000, service: 'dns', connState: 'REJ' }),
      conn({ ts, duration: null, origBytes: null, respBytes: null, service: null, connState: 'S0' }),
      conn({ ts, service: 'ssl,http', connState: null }),
      conn({ ts, service: 'ftp', connState: 'RSTO' }),
    ];
    const m = buildFeatureMatrix(records, { featureSet: 'basic' });
    expect(m.names).toEqual(featureNames('basic'));
    expect(m.rows).toBe(5);
    const rows = records.map((_, i) => Object.fromEntries(m.names.map((n, j) => [n, featureRow(m, i)[j]])));
    expect(rows[0]).toMatchObject({
      log_duration: Math.log1p(2),
      duration_unset: 0,
      log_orig_bytes: Math.log1p(99),
      log_orig_ip_bytes_per_s: Math.log1p(500),
      service_http: 1,
      service_dns: 0,
      conn_state_progress: 5,
      conn_state_failed: 0,
      hour_of_day: 14,
      day_of_week: 3,
    });
    expect(rows[1]).toMatchObject({ log_orig_ip_bytes_per_s: 0, service_dns: 1, conn_state_progress: 1, conn_state_failed: 1 });
    expect(rows[2]).toMatchObject({
      duration_unset: 1,
      log_duration: 0,
      log_orig_bytes: 0,
      log_resp_bytes: 0,
      service_none: 1,
      conn_state_progress: 0,
      conn_state_failed: 1,
    });
    // the first of several analysers wins; an unset state is OTH (half-open/odd = 2)
    expect(rows[3]).toMatchObject({ service_ssl: 1, service_http: 0, conn_state_progress: 2, conn_state_failed: 0 });
    expect(rows[4]).toMatchObject({ service_other: 1, conn_state_progress: 3, conn_state_failed: 0 });
    for (const row of rows) {
      const oneHot = row.service_dns! + row.service_http! + row.service_ssl! + row.service_other! + row.service_none!;
      expect(oneHot).toBe(1);
    }
    expect(m.data.every(Number.isFinite)).toBe(true);
  });
});

describe('per-originator window aggregates', () => {
  it('counts distinct hosts and ports, failed share and bytes over the preceding window, this connection included', () => {
    const records = [
      conn({ ts: 100, respHost: 'a', respPort: 22, connState: 'S0', origBytes: 0 }),
      conn({ ts: 110, respHost: 'b', respPort: 22, connState: 'REJ', origBytes: 10 }),
      conn({ ts: 120, respHost: 'b', respPort: 80, connState: 'SF', origBytes: 30 }),
      conn({ ts: 130, respHost: 'c', respPort: 443, connState: 'RSTO', origBytes: 60 }),
      // 10.0.0.9 is another originator: it never enters 10.0.0.1's window
      conn({ ts: 125, origHost: '10.0.0.9', respHost: 'z', respPort: 1, connState: 'S0', origBytes: 1000 }),
    ];
    expect(values(records, 'orig_log_conn_count').map(Math.expm1).map(Math.round)).toEqual([1, 2, 3, 4, 1]);
    expect(values(records, 'orig_log_distinct_resp_hosts').map(Math.expm1).map(Math.round)).toEqual([1, 2, 2, 3, 1]);
    expect(values(records, 'orig_log_distinct_resp_ports').map(Math.expm1).map(Math.round)).toEqual([1, 1, 2, 3, 1]);
    // RSTO (established, then reset) is not a failed attempt
    expect(values(records, 'orig_failed_share')).toEqual([1, 1, 2 / 3, 2 / 4, 1]);
    expect(values(records, 'orig_mbytes_out').map((v) => Math.round(v * 1e6))).toEqual([0, 10, 40, 100, 1000]);
  });

  it('forgets connections older than the window, and does not depend on the input order', () => {
    const records = [
      conn({ ts: 0, respHost: 'a' }),
      conn({ ts: 50, respHost: 'b' }),
      conn({ ts: 100, respHost: 'c' }), // window (40, 100]: b and c
      conn({ ts: 151, respHost: 'c' }), // window (91, 151]: c twice
    ];
    expect(values(records, 'orig_log_distinct_resp_hosts', 60).map(Math.expm1).map(Math.round)).toEqual([1, 2, 2, 1]);
    expect(values(records, 'orig_log_conn_count', 60).map(Math.expm1).map(Math.round)).toEqual([1, 2, 2, 2]);
    const shuffled = [records[3]!, records[0]!, records[2]!, records[1]!];
    expect(values(shuffled, 'orig_log_conn_count', 60).map(Math.expm1).map(Math.round)).toEqual([2, 1, 2, 2]);
  });

  it('counts distinct originators converging on one responder', () => {
    const records = ['x1', 'x2', 'x3', 'x2'].map((origHost, i) => conn({ ts: i, origHost, respHost: 'victim' }));
    expect(values(records, 'resp_log_distinct_orig_hosts').map(Math.expm1).map(Math.round)).toEqual([1, 2, 3, 3]);
  });

  it("counts the responder's own outgoing connections: a connection into a busy client stands out", () => {
    const records = [
      conn({ ts: 0, origHost: 'ws', respHost: 'server' }),
      conn({ ts: 10, origHost: 'ws', respHost: 'server' }),
      conn({ ts: 20, origHost: 'attacker', respHost: 'ws' }), // ws opened 2 connections in the window
      conn({ ts: 400, origHost: 'attacker', respHost: 'ws' }), // ... and none in (100, 400]
    ];
    expect(values(records, 'resp_log_conns_as_orig').map(Math.expm1).map(Math.round)).toEqual([0, 0, 2, 0]);
  });
});

describe('pair period and DNS volume', () => {
  it('gives the mean gap of a timer-driven pair and counts its connections in the window', () => {
    const beacon = Array.from({ length: 12 }, (_, i) => conn({ ts: 1000 + 60 * i, respHost: 'c2' }));
    expect(values(beacon, 'pair_log_mean_interarrival').map(Math.expm1).map(Math.round)).toEqual([0, ...Array(11).fill(60)]);
    // the pair's connections in the window (ts − 300, ts]: at most 5 at a 60 s period
    expect(values(beacon, 'pair_log_conn_count').map(Math.expm1).map(Math.round)).toEqual([1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5]);
    // gaps under 1 s are parallel connections of one contact, not a period
    const burst = [0, 0.2, 0.4, 30.4].map((ts) => conn({ ts, respHost: 'web' }));
    expect(Math.round(Math.expm1(values(burst, 'pair_log_mean_interarrival').at(-1)!))).toBe(30);
  });

  it("sums the originator's DNS query bytes over the window on DNS rows only, in kB", () => {
    const dns = (ts: number, origBytes: number, origHost = '10.0.0.1') =>
      conn({ ts, origHost, respHost: '10.0.0.53', respPort: 53, proto: 'udp', service: 'dns', origBytes });
    const records = [
      dns(0, 40),
      dns(10, 260),
      conn({ ts: 20, origBytes: 5000 }), // TLS from the same host: 0, and not counted
      dns(30, 200, '10.0.0.7'), // another originator
      dns(400, 100), // (100, 400]: the first two fell out
    ];
    expect(values(records, 'orig_dns_kbytes_out').map((v) => Math.round(v * 1000))).toEqual([40, 300, 0, 200, 100]);
  });
});

describe('feature sets', () => {
  it('aggregates keep a subset of the per-connection columns, at the same values', () => {
    const records = [conn({ ts: 1, service: 'dns', duration: 3, origBytes: 77 }), conn({ ts: 2, connState: 'REJ', service: null })];
    const basic = buildFeatureMatrix(records, { featureSet: 'basic' });
    const aggregates = buildFeatureMatrix(records, { featureSet: 'aggregates' });
    expect(aggregates.names).toEqual(featureNames('aggregates'));
    expect(aggregates.columns).toBe(18);
    for (const name of ['log_duration', 'log_orig_bytes', 'service_dns', 'conn_state_progress', 'hour_of_day']) {
      for (let i = 0; i < 2; i++) {
        expect(aggregates.data[i * aggregates.columns + column(aggregates.names, name)]).toBe(basic.data[i * basic.columns + column(basic.names, name)]);
      }
    }
    expect(aggregates.names).not.toContain('day_of_week');
  });
});

describe('validation', () => {
  it('rejects a non-positive window', () => {
    expect(() => buildFeatureMatrix([conn({ ts: 1 })], { featureSet: 'aggregates', windowSeconds: 0 })).toThrow(/windowSeconds/);
  });
});
