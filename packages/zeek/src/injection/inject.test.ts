import { describe, expect, it } from 'vitest';
import { conn } from '../features/test-records.ts';
import { buildFeatureMatrix } from '../features/feature-matrix.ts';
import { deriveAddressSpace } from './address-space.ts';
import { ATTACK_TYPES } from './attacks.ts';
import { injectAttacks } from './inject.ts';

const DAY = 86_400;
const T0 = 1_655_071_198;

/** A benign day: the main host 192.168.1.10 browses a few sites and asks its resolver; a second host is quieter. */
function benignDay() {
  const records = [];
  for (let i = 0; i < 2000; i++) {
    const ts = T0 + (i / 2000) * DAY;
    if (i % 10 === 0) records.push(conn({ ts, origHost: '192.168.1.10', respHost: '192.168.1.1', respPort: 53, proto: 'udp', service: 'dns', origBytes: 40, respBytes: 90 }));
    else records.push(conn({ ts, origHost: i % 7 === 0 ? '192.168.1.20' : '192.168.1.10', respHost: `52.1.1.${i % 30}` }));
  }
  return records;
}

describe('deriveAddressSpace', () => {
  it('finds the busiest originators, their /24, the outside hosts and the resolver', () => {
    const space = deriveAddressSpace(benignDay());
    expect(space.internalHosts).toEqual(['192.168.1.10', '192.168.1.20']);
    expect(space.internalPrefix).toBe('192.168.1.');
    expect(space.resolver).toBe('192.168.1.1');
    expect(space.externalHosts).toContain('52.1.1.3');
    expect(space.end - space.start).toBeGreaterThan(0.99 * DAY);
  });

  it('refuses an empty capture', () => {
    expect(() => deriveAddressSpace([])).toThrow(/empty/);
  });
});

describe('injectAttacks', () => {
  const benign = benignDay();
  const injected = injectAttacks(benign, { seed: 7 });

  it('keeps every benign record, labels each generated one, and sorts by time inside the capture', () => {
    const attacks = injected.attackTypes.filter((t) => t !== null);
    expect(injected.records.length).toBe(benign.length + attacks.length);
    expect(new Set(attacks)).toEqual(new Set(ATTACK_TYPES));
    for (let i = 1; i < injected.records.length; i++) expect(injected.records[i]!.ts).toBeGreaterThanOrEqual(injected.records[i - 1]!.ts);
    injected.records.forEach((r, i) => {
      expect(r.ts).toBeGreaterThanOrEqual(T0);
      expect(r.ts).toBeLessThanOrEqual(T0 + DAY + 4 * 3600);
      if (injected.attackTypes[i]) expect(r.detailedLabel).toBe(`injected-${injected.attackTypes[i]}`);
    });
    const uids = injected.records.map((r) => r.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.filter((u) => !u.startsWith('Ctest')).every((u) => /^C[0-9A-Za-z]{17}$/.test(u))).toBe(true);
  });

  it('is reproducible from its seed, and another seed gives other traffic', () => {
    expect(injectAttacks(benign, { seed: 7 })).toEqual(injected);
    expect(injectAttacks(benign, { seed: 8 }).records.map((r) => r.uid)).not.toEqual(injected.records.map((r) => r.uid));
  });

  const ofType = (type: string) => injected.records.filter((_, i) => injected.attackTypes[i] === type);

  it('generates each attack with the shape Zeek logs for it', () => {
    const horizontal = ofType('horizontal-scan');
    expect(new Set(horizontal.map((r) => r.respHost)).size).toBe(horizontal.length); // one probe per address
    expect(new Set(horizontal.map((r) => r.respPort)).size).toBe(1);
    expect(horizontal.every((r) => r.respHost.startsWith('192.168.1.'))).toBe(true);
    expect(horizontal.filter((r) => r.connState === 'S0').length / horizontal.length).toBeGreaterThan(0.7);

    const vertical = ofType('vertical-scan');
    expect(new Set(vertical.map((r) => r.respHost))).toEqual(new Set(['192.168.1.10']));
    expect(new Set(vertical.map((r) => r.respPort)).size).toBe(vertical.length);
    expect(vertical.filter((r) => r.connState === 'REJ').length / vertical.length).toBeGreaterThan(0.8);

    const dns = ofType('dns-exfiltration');
    expect(dns.every((r) => r.respHost === '192.168.1.1' && r.respPort === 53 && r.proto === 'udp' && r.service === 'dns')).toBe(true);
    expect(Math.min(...dns.map((r) => r.origBytes!))).toBeGreaterThan(100);

    const bulk = ofType('bulk-transfer');
    expect(bulk.length).toBeGreaterThanOrEqual(3);
    expect(bulk.every((r) => r.origBytes! > 1e8 && r.connState === 'SF' && r.duration! >= 300)).toBe(true);

    const beacons = ofType('beacon');
    const gaps = beacons.slice(1).map((r, i) => r.ts - beacons[i]!.ts);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(Math.max(...gaps.map((g) => Math.abs(g - mean) / mean))).toBeLessThan(0.1);
    expect(new Set(beacons.map((r) => r.respHost)).size).toBe(1);
    expect(benign.some((r) => r.respHost === beacons[0]!.respHost)).toBe(false);
  });

  it('makes scans stand out in the window aggregates', () => {
    const m = buildFeatureMatrix(injected.records, { featureSet: 'aggregates' });
    const hosts = m.names.indexOf('orig_log_distinct_resp_hosts');
    const ports = m.names.indexOf('orig_log_distinct_resp_ports');
    const max = (type: string | null, j: number) =>
      Math.max(...injected.records.map((_, i) => (injected.attackTypes[i] === type ? m.data[i * m.columns + j]! : -1)));
    expect(max('horizontal-scan', hosts)).toBeGreaterThan(max(null, hosts) + 1);
    expect(max('vertical-scan', ports)).toBeGreaterThan(max(null, ports) + 1);
  });

  it('names an unknown attack type', () => {
    expect(() => injectAttacks(benign, { seed: 1, attacks: ['ping-of-death' as never] })).toThrow(/ping-of-death/);
  });
});
