import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connFromValues } from './conn-from-values.ts';
import { parseConnLines, parseLines } from './read-zeek-log.ts';
import { pathToFileURL } from 'node:url';
import { shippedData } from '@aiops/datasets';

const FIXTURES = pathToFileURL(shippedData('zeek') + '/');
const conn = readFileSync(new URL('conn.ctu-normal-40.tsv', FIXTURES), 'utf8');
const nmap = readFileSync(new URL('conn.nmap-scan.jsonl', FIXTURES), 'utf8');

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tdns',
  '#open\t2024-04-12-19-29-12',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tquery\tAA\tanswers\tTTLs\tnote',
  '#types\ttime\tstring\taddr\tport\tstring\tbool\tvector[string]\tvector[interval]\tstring',
].join('\n');

describe('TSV logs, generic records', () => {
  it('types every column per #types; unset is null, (empty) is "" or []', () => {
    const text = `${HEADER}\n1521911720.865716\tCq1\t10.47.1.100\t41772\tise.wrccdc.org\tF\ta.b,134.71.3.16\t2230.000000,41830.000000\t-\n1521911721.5\tCq2\t::1\t53\t(empty)\tT\t(empty)\t-\ttab\\x09here\n#close\t2024-04-12-19-34-07\n`;
    const { records, rejects } = parseLines(text, { file: 'dns.log' });
    expect(rejects).toEqual([]);
    expect(records).toEqual([
      { path: 'dns', line: 9, values: { ts: 1521911720.865716, uid: 'Cq1', 'id.orig_h': '10.47.1.100', 'id.orig_p': 41772, query: 'ise.wrccdc.org', AA: false, answers: ['a.b', '134.71.3.16'], TTLs: [2230, 41830], note: null } },
      { path: 'dns', line: 10, values: { ts: 1521911721.5, uid: 'Cq2', 'id.orig_h': '::1', 'id.orig_p': 53, query: '', AA: true, answers: [], TTLs: null, note: 'tab\there' } },
    ]);
  });

  it('rejects a bad line with file, line and reason, and goes on with the next', () => {
    const text = `${HEADER}\n1.0\tC1\t1.2.3.4\t1\tq\tF\t-\t-\t-\n1.0\tC2\t1.2.3.4\n1.0\tC3\tnot-an-ip\t1\tq\tF\t-\t-\t-\n1.0\tC4\t1.2.3.4\t99999\tq\tF\t-\t-\t-\n1.0\tC5\t1.2.3.4\t1\tq\tF\t-\t-\t-\textra\n2.0\tC6\t1.2.3.4\t1\tq\tF\t-\t-\t-\n`;
    const { records, rejects } = parseLines(text, { file: 'dns.log' });
    expect(records.map((r) => r.values.uid)).toEqual(['C1', 'C6']);
    expect(rejects).toEqual([
      { file: 'dns.log', line: 10, reason: 'expected 9 columns (#fields), found 3' },
      { file: 'dns.log', line: 11, reason: 'field id.orig_h: not an IP address: "not-an-ip"' },
      { file: 'dns.log', line: 12, reason: 'field id.orig_p: not a port: "99999"' },
      { file: 'dns.log', line: 13, reason: 'expected 9 columns (#fields), found more than 9' },
    ]);
  });

  it('rejects data before any #fields, and unknown directives, naming them', () => {
    const { records, rejects } = parseLines('1.0\tx\n#bogus\tdirective\n', { file: 'f.log' });
    expect(records).toEqual([]);
    expect(rejects).toEqual([
      { file: 'f.log', line: 1, reason: 'no #fields header line before this data line' },
      { file: 'f.log', line: 2, reason: 'unknown header directive "#bogus"' },
    ]);
  });

  it('follows a second header in the middle of a file (two logs concatenated), honours a custom separator', () => {
    const second = '#separator |\n#fields|ts|uid|n\n#types|time|string|count\n#path|weird\n3.0|W1|7\n';
    const { records, rejects } = parseLines(`${HEADER}\n1.0\tC1\t1.2.3.4\t1\tq\tF\t-\t-\t-\n${second}`);
    expect(rejects).toEqual([]);
    expect(records.map((r) => [r.path, r.line, r.values.uid])).toEqual([['dns', 9, 'C1'], ['weird', 14, 'W1']]);
    expect(records[1]!.values).toEqual({ ts: 3, uid: 'W1', n: 7 });
  });

  it('skips blank lines and accepts CRLF line ends', () => {
    const { records, rejects } = parseLines(`${HEADER}\r\n\n1.0\tC1\t1.2.3.4\t1\tq\tF\t-\t-\tx\r\n`);
    expect(rejects).toEqual([]);
    expect(records.map((r) => r.values.note)).toEqual(['x']);
  });

  it('reads the IoT-23 form: label columns appended to the last column with runs of spaces', () => {
    const text = '#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.resp_h\ttunnel_parents   label   detailed-label\n#types\ttime\tstring\taddr\taddr\tset[string]   string   string\n5.5\tC1\t1.1.1.1\t2.2.2.2\t-   Malicious   PartOfAHorizontalPortScan\n';
    const { records, rejects } = parseConnLines(text);
    expect(rejects).toEqual([]);
    expect(records[0]).toMatchObject({ ts: 5.5, uid: 'C1', label: 'Malicious', detailedLabel: 'PartOfAHorizontalPortScan', origPort: null });
  });
});

describe('conn.log → ConnRecord', () => {
  it('the fast TSV path gives exactly what the generic path + connFromValues gives (299 real rows)', () => {
    const fast = parseConnLines(conn, { file: 'conn.log' });
    const generic = parseLines(conn, { file: 'conn.log' });
    expect(fast.rejects).toEqual([]);
    expect(generic.rejects).toEqual([]);
    expect(fast.records).toHaveLength(299);
    expect(fast.records).toEqual(generic.records.map((r) => connFromValues(r.values)));
    expect(fast.records[0]).toEqual({
      ts: 1655071198.444458, uid: 'CHLXQF2OBY4onAR0Ug', origHost: '147.32.81.167', origPort: 62771, respHost: '40.74.108.123', respPort: 443,
      proto: 'tcp', service: 'ssl', duration: 1.135424, origBytes: 1596, respBytes: 4039, connState: 'SF',
      origPkts: 14, origIpBytes: 1016, respPkts: 16, respIpBytes: 1226, label: null, detailedLabel: null,
    });
  });

  it('rejects a conn line with an unset ts, uid or address, and a non-conn log', () => {
    const lines = conn.split('\n');
    const header = lines.filter((l) => l.startsWith('#')).join('\n');
    const row = lines[8]!.split('\t');
    const variant = (i: number, v: string) => row.map((x, j) => (j === i ? v : x)).join('\t');
    const text = [header, variant(0, '-'), variant(1, '-'), variant(2, '-'), variant(4, '1.2.3'), variant(9, '-'), ''].join('\n');
    const { records, rejects } = parseConnLines(text, { file: 'c.log' });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [9, 'field ts: unset'],
      [10, 'field uid: unset or empty'],
      [11, 'field id.orig_h: unset'],
      [12, 'field id.resp_h: not an IP address: "1.2.3"'],
    ]);
    expect(records).toHaveLength(1);
    expect(records[0]!.origBytes).toBeNull();
    expect(parseConnLines(HEADER + '\n1.0\tC1\t1.2.3.4\t1\tq\tF\t-\t-\t-\n').rejects[0]!.reason).toBe('not a conn log: #fields lacks id.resp_h');
  });

  it('reads Zeek JSON lines (the Nmap sample), ts as epoch or ISO 8601', () => {
    const { records, rejects } = parseConnLines(nmap);
    expect(rejects).toEqual([]);
    expect(records).toHaveLength(300);
    expect(records[0]).toMatchObject({ ts: 1664462456.755299, uid: 'C5xhsO3uGtOfyrBlHh', origHost: '172.16.1.11', respPort: 53, connState: 'SHR', label: null });
    const iso = parseConnLines('{"ts":"2024-01-01T00:00:01.5Z","uid":"C1","id":{"orig_h":"1.1.1.1","resp_h":"2.2.2.2","resp_p":80}}\n{"ts":1,"uid":"C2","id.orig_h":"x","id.resp_h":"2.2.2.2"}\n[1]\n{bad\n');
    expect(iso.records).toEqual([expect.objectContaining({ ts: 1704067201.5, origHost: '1.1.1.1', respPort: 80 })]);
    expect(iso.rejects.map((r) => [r.line, r.reason.slice(0, 40)])).toEqual([
      [2, 'field id.orig_h: not an IP address: "x"'],
      [3, 'JSON line is not an object'],
      [4, expect.stringMatching(/^invalid JSON/)],
    ]);
  });

  it('JSON generic records keep _path as the log path', () => {
    const { records } = parseLines('{"_path":"dns","ts":1.5,"uid":"C1","query":"a"}\n', { path: 'x' });
    expect(records).toEqual([{ path: 'dns', line: 1, values: { _path: 'dns', ts: 1.5, uid: 'C1', query: 'a' } }]);
  });
});
