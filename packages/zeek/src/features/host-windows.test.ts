import { describe, expect, it } from 'vitest';
import { HOST_FEATURE_NAMES, HostBaseline, hostWindows } from './host-windows.ts';
import { conn } from './test-records.ts';

const T0 = 1_700_000_400; // a multiple of 600
const feature = (values: number[], name: (typeof HOST_FEATURE_NAMES)[number]) => values[HOST_FEATURE_NAMES.indexOf(name)]!;

describe('host windows', () => {
  it('groups each connection into its originator and responder window, ordered by start, role, host', () => {
    const records = [
      conn({ ts: T0 + 700, origHost: '10.0.0.2', respHost: '10.0.0.9' }),
      conn({ ts: T0 + 10, origHost: '10.0.0.1', respHost: '10.0.0.9' }),
      conn({ ts: T0 + 20, origHost: '10.0.0.1', respHost: '10.0.0.8' }),
    ];
    const windows = hostWindows(records, 600);
    expect(windows.map((w) => `${w.start - T0}|${w.role}|${w.host}|${w.indices.join(',')}`)).toEqual([
      '0|orig|10.0.0.1|1,2',
      '0|resp|10.0.0.8|2',
      '0|resp|10.0.0.9|1',
      '600|orig|10.0.0.2|0',
      '600|resp|10.0.0.9|0',
    ]);
    expect(() => hostWindows(records, 0)).toThrow(/windowSeconds/);
  });
});

describe('host baseline', () => {
  // A laptop that opens 5 connections to its two usual servers every window.
  const usual = (start: number) =>
    Array.from({ length: 5 }, (_, i) => conn({ ts: start + i * 60, origHost: '10.0.0.1', respHost: i % 2 ? '1.1.1.1' : '2.2.2.2', respPort: 443 }));

  function trained(): HostBaseline {
    const baseline = new HostBaseline({ windowSeconds: 600 });
    for (let k = 0; k < 6; k++) {
      const records = usual(T0 + k * 600);
      for (const w of hostWindows(records, 600)) baseline.absorb(records, w);
    }
    return baseline;
  }

  it('sees nothing new in a window like the baseline, and the change in a scan', () => {
    const baseline = trained();
    const calm = usual(T0 + 10 * 600);
    const calmWindow = hostWindows(calm, 600).find((w) => w.role === 'orig')!;
    const calmFeatures = baseline.features(calm, calmWindow);
    expect(calmFeatures.knownHost).toBe(true);
    expect(feature(calmFeatures.values, 'new_peer_share')).toBe(0);
    expect(feature(calmFeatures.values, 'conns_vs_baseline')).toBe(0);
    expect([...calmFeatures.shows]).toEqual([0, 0, 0, 0, 0]);

    // The same host SYN-probes 40 addresses on port 22: more connections, new peers and a new port, all failed.
    const scan = Array.from({ length: 40 }, (_, i) => conn({ ts: T0 + 10 * 600 + i, origHost: '10.0.0.1', respHost: `10.0.1.${i + 1}`, respPort: 22, connState: 'S0' }));
    const scanWindow = hostWindows(scan, 600).find((w) => w.role === 'orig')!;
    const f = baseline.features(scan, scanWindow);
    expect(feature(f.values, 'new_peer_share')).toBe(1);
    expect(feature(f.values, 'new_port_share')).toBe(1);
    expect(feature(f.values, 'log_new_peers')).toBeCloseTo(Math.log1p(40));
    expect(feature(f.values, 'conns_vs_baseline')).toBeGreaterThan(1.5);
    expect(feature(f.values, 'failed_vs_baseline')).toBeGreaterThan(3);
    expect(f.shows.every((s) => s === 1)).toBe(true);
  });

  it('never reports a quieter window as a change (deviations are floored at 0)', () => {
    const baseline = trained();
    const quiet = [conn({ ts: T0 + 20 * 600, origHost: '10.0.0.1', respHost: '1.1.1.1', respPort: 443 })];
    const f = baseline.features(quiet, hostWindows(quiet, 600).find((w) => w.role === 'orig')!);
    // (the byte ratio moves by the +1 smoothing only: log(101/201) vs log(501/1001))
    expect(Object.fromEntries(HOST_FEATURE_NAMES.map((n, j) => [n, Math.round(100 * f.values[j]!) / 100]))).toEqual(Object.fromEntries(HOST_FEATURE_NAMES.map((n) => [n, 0])));
  });

  it('counts a new regular contact inside a busy window', () => {
    const baseline = trained();
    const start = T0 + 30 * 600;
    const beacon = Array.from({ length: 9 }, (_, i) => conn({ ts: start + 5 + i * 60, origHost: '10.0.0.1', respHost: '6.6.6.6', respPort: 443 }));
    const records = [...usual(start), ...beacon].sort((a, b) => a.ts - b.ts);
    const f = baseline.features(records, hostWindows(records, 600).find((w) => w.role === 'orig')!);
    expect(feature(f.values, 'log_new_periodic_peers')).toBeCloseTo(Math.log1p(1));
  });

  it('judges a host never seen against the population, not against nothing', () => {
    const baseline = trained();
    const stranger = usual(T0 + 40 * 600).map((r) => ({ ...r, origHost: '10.0.0.77' }));
    const f = baseline.features(stranger, hostWindows(stranger, 600).find((w) => w.role === 'orig')!);
    expect(f.knownHost).toBe(false);
    // Same volume as the population's typical window: no volume deviation, only novelty.
    expect(feature(f.values, 'conns_vs_baseline')).toBeCloseTo(0);
    expect(feature(f.values, 'new_peer_share')).toBe(1);
    expect(baseline.withoutHosts().hosts('orig')).toBe(0);
  });

  it('marks a connection to a usual peer that sends more than the host ever sent in one connection', () => {
    const baseline = trained();
    const start = T0 + 60 * 600;
    // a DNS-tunnel-like burst to a usual server: known peer and port, each query larger than any baseline connection
    const records = [...usual(start), ...Array.from({ length: 3 }, (_, i) => conn({ ts: start + 400 + i, origHost: '10.0.0.1', respHost: '1.1.1.1', respPort: 443, origBytes: 101 + i }))];
    const f = baseline.features(records, hostWindows(records, 600).find((w) => w.role === 'orig')!);
    expect([...f.shows]).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(baseline.toJSON().hosts.orig['10.0.0.1']!.largestSend).toBe(100);
  });

  it('round-trips through JSON and names the field it refuses', () => {
    const baseline = trained();
    const json = JSON.parse(JSON.stringify(baseline.toJSON()));
    const again = HostBaseline.fromJSON(json);
    const records = usual(T0 + 50 * 600);
    const w = hostWindows(records, 600)[0]!;
    expect(again.features(records, w).values).toEqual(baseline.features(records, w).values);
    expect(() => HostBaseline.fromJSON({ ...json, stats: ['x'] })).toThrow(/stats/);
    expect(() => HostBaseline.fromJSON({ ...json, hosts: { ...json.hosts, orig: { '10.0.0.1': { windows: 0 } } } })).toThrow(/hosts\.orig\["10\.0\.0\.1"\]/);
    const { largestSend: _, ...before } = json.hosts.orig['10.0.0.1'];
    expect(() => HostBaseline.fromJSON({ ...json, hosts: { ...json.hosts, orig: { '10.0.0.1': before } } })).toThrow(/hosts\.orig\["10\.0\.0\.1"\]\.largestSend/);
  });
});
