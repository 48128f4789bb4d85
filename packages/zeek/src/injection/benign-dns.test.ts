import { describe, expect, it } from 'vitest';
import { conn } from '../features/test-records.ts';
import { blendBenignDns, dnsChunks, dnsConnRecords, dnsLogRow, dnsQueryBytes, dnsResponseBytes, type DnsLogRow } from './benign-dns.ts';

const row = (over: Partial<DnsLogRow>): DnsLogRow => ({
  ts: 100,
  uid: 'Cdns1',
  origHost: '10.47.1.100',
  origPort: 41772,
  respHost: '10.0.0.100',
  respPort: 53,
  proto: 'udp',
  transId: 1,
  rtt: 0.001,
  query: 'ise.wrccdc.org',
  qtype: 1,
  answers: ['134.71.3.16'],
  ...over,
});

describe('dns.log → conn records', () => {
  it('sizes queries and answers from the DNS wire format', () => {
    expect(dnsQueryBytes('ise.wrccdc.org')).toBe(12 + 16 + 4);
    expect(dnsQueryBytes(null)).toBe(12 + 1 + 4);
    // A record: 16 bytes; AAAA: 28; a name (CNAME): 12 + length + 2
    expect(dnsResponseBytes('a.b', ['1.2.3.4'])).toBe(dnsQueryBytes('a.b') + 16);
    expect(dnsResponseBytes('a.b', ['2620:df:8000::16'])).toBe(dnsQueryBytes('a.b') + 28);
    expect(dnsResponseBytes('a.b', ['ise.wrccdc.cpp.edu', '1.2.3.4'])).toBe(dnsQueryBytes('a.b') + 12 + 20 + 16);
  });

  it('groups rows by uid, drops duplicated packets, and counts unanswered queries as S0', () => {
    const rows = [
      row({ ts: 100, transId: 1, qtype: 1 }),
      row({ ts: 100.000002, transId: 1, qtype: 1 }), // the same packet seen on a second tap
      row({ ts: 100.1, transId: 2, qtype: 28, rtt: 0.002, answers: ['2620:df:8000::16'] }),
      row({ uid: 'Cdns2', ts: 90, transId: 3, rtt: null, answers: null }),
      row({ uid: 'Cnb', respPort: 137, qtype: 33 }), // NetBIOS: not DNS on 53
    ];
    const records = dnsConnRecords(rows);
    expect(records.map((r) => r.uid)).toEqual(['Cdns2', 'Cdns1']);
    const [unanswered, lookup] = records;
    expect(unanswered).toMatchObject({ connState: 'S0', origPkts: 1, respPkts: 0, respBytes: 0, duration: null, service: 'dns' });
    expect(lookup).toMatchObject({ ts: 100, connState: 'SF', origPkts: 2, respPkts: 2, proto: 'udp', respPort: 53 });
    expect(lookup!.origBytes).toBe(2 * dnsQueryBytes('ise.wrccdc.org'));
    expect(lookup!.respBytes).toBe(dnsResponseBytes('ise.wrccdc.org', ['134.71.3.16']) + dnsResponseBytes('ise.wrccdc.org', ['2620:df:8000::16']));
    expect(lookup!.duration).toBeCloseTo(0.102, 9);
    expect(lookup!.origIpBytes).toBe(lookup!.origBytes! + 2 * 28);
  });

  it('reads the reader values of a dns.log line, naming the line and field on bad input', () => {
    const values = { ts: 5, uid: 'C1', 'id.orig_h': '10.0.0.1', 'id.orig_p': 5353, 'id.resp_h': '10.0.0.2', 'id.resp_p': 53, proto: 'udp', trans_id: 7, rtt: null, query: 'x.org', qtype: 1, answers: null };
    expect(dnsLogRow(values, 'dns.log:9')).toMatchObject({ ts: 5, rtt: null, answers: null, transId: 7 });
    expect(() => dnsLogRow({ ...values, rtt: 'soon' }, 'dns.log:9')).toThrow(/dns\.log:9: rtt/);
    expect(() => dnsLogRow({ ...values, uid: null }, 'dns.log:12')).toThrow(/dns\.log:12: uid/);
  });
});

describe('blendBenignDns', () => {
  // the main host 192.168.1.10 opens 10 connections in slot 0 and 40 in slot 2 (300 s slots); a quiet host 2 more
  const benign = [
    ...Array.from({ length: 10 }, (_, i) => conn({ ts: 1000 + i, origHost: '192.168.1.10', respHost: `52.1.1.${i}` })),
    ...Array.from({ length: 40 }, (_, i) => conn({ ts: 1600 + i, origHost: '192.168.1.10', respHost: `52.1.1.${i}` })),
    conn({ ts: 1100, origHost: '192.168.1.20' }),
    conn({ ts: 1200, origHost: '192.168.1.20' }),
  ];
  const lookups = (client: string, n: number, gap: number) =>
    dnsConnRecords(Array.from({ length: n }, (_, i) => row({ uid: `C${client}${i}`, origHost: client, ts: 5000 + gap * i })));
  const chunks = dnsChunks([...lookups('10.9.9.1', 4, 2), ...lookups('10.9.9.2', 16, 3), ...lookups('10.9.9.3', 30, 1)]);

  it('cuts chunks per client and slot, with times relative to the chunk', () => {
    expect(chunks.map((c) => c.records.length)).toEqual([4, 16, 30]);
    expect(chunks[1]!.records.map((r) => r.ts).slice(0, 3)).toEqual([0, 3, 6]);
  });

  it('lays in per active slot the real chunk closest to ratio × the main host connections, as the main host', () => {
    const blended = blendBenignDns(benign, chunks, { seed: 1, ratio: 0.4 });
    const dns = blended.records.filter((r) => r.detailedLabel === 'blended-benign-dns');
    expect(blended.added).toBe(dns.length);
    expect(blended.resolver).toBe('192.168.1.1');
    // slot 0: 10 connections → 4 lookups (the 4-chunk); slot 2: 40 → 16 lookups (the 16-chunk)
    expect(dns.length).toBe(4 + 16);
    expect(dns.every((r) => r.origHost === '192.168.1.10' && r.respHost === '192.168.1.1' && r.label === 'Benign' && r.service === 'dns')).toBe(true);
    const slot2 = dns.filter((r) => r.ts >= 1600);
    expect(slot2.map((r) => r.ts - 1600)).toEqual(chunks[1]!.records.map((r) => r.ts)); // the chunk's own timing
    for (let i = 1; i < blended.records.length; i++) expect(blended.records[i]!.ts).toBeGreaterThanOrEqual(blended.records[i - 1]!.ts);
    expect(blended.records.length).toBe(benign.length + dns.length);
    expect(new Set(dns.map((r) => r.uid)).size).toBe(dns.length);
  });

  it('refuses to blend nothing', () => {
    expect(() => blendBenignDns(benign, [], { seed: 1 })).toThrow(/no DNS chunks/);
  });
});
