import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentId } from '@aiops/common';
import { parseFiles, parseSummary } from './parse-files.ts';
import { indexSafePath, toShippable } from './zeek-document.ts';
import { pathToFileURL } from 'node:url';
import { shippedData } from '@aiops/datasets';

describe('toShippable', () => {
  it('conn: _id from path + uid, daily index of ts, @timestamp, unset fields left out', () => {
    const item = toShippable({ path: 'conn', line: 9, values: { ts: 1655071198.444458, uid: 'C1', 'id.orig_h': '1.2.3.4', service: null, tunnel_parents: [] } }, 'zeek');
    expect(item).toEqual({
      index: 'zeek-conn-2022.06.12',
      id: documentId('conn', 'C1'),
      document: { '@timestamp': '2022-06-12T21:59:58.444Z', ts: 1655071198.444458, uid: 'C1', 'id.orig_h': '1.2.3.4', tunnel_parents: [], _path: 'conn' },
    });
  });

  it('dns: two records of one uid keep two ids; the same record always the same id', () => {
    const a = toShippable({ path: 'dns', line: 1, values: { ts: 1.5, uid: 'C1', query: 'a' } }, 'zeek');
    const b = toShippable({ path: 'dns', line: 2, values: { ts: 1.5, uid: 'C1', query: 'b' } }, 'zeek');
    const again = toShippable({ path: 'dns', line: 7, values: { ts: 1.5, uid: 'C1', query: 'a' } }, 'zeek');
    expect(typeof a !== 'string' && typeof b !== 'string' && a.id !== b.id).toBe(true);
    expect(again).toEqual(a);
    expect(typeof a !== 'string' && a.index).toBe('zeek-dns-1970.01.01');
  });

  it('refuses a record without a usable ts, and makes any #path a valid index name', () => {
    expect(toShippable({ path: 'weird', line: 3, values: { uid: 'C1' } }, 'zeek')).toMatch(/^field ts/);
    expect(indexSafePath('Known Hosts/../x')).toBe('known_hosts_.._x');
  });
});

describe('parseFiles', () => {
  it('writes one NDJSON line per record and lists rejects as file:line: reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zeek-parse-'));
    try {
      const fixture = pathToFileURL(shippedData('zeek') + '/');
      const out = join(dir, 'out.ndjson');
      const files = [new URL('conn.ctu-normal-40.tsv', fixture).pathname, new URL('conn.nmap-scan.jsonl', fixture).pathname, join(dir, 'missing.log')];
      const result = await parseFiles(files, out, 'zeek');
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
      expect(lines).toHaveLength(599);
      expect(new Set(lines.map((l) => l._id)).size).toBe(599);
      expect(lines[0]).toMatchObject({ _index: 'zeek-conn-2022.06.12', _path: 'conn', uid: 'CHLXQF2OBY4onAR0Ug', 'id.orig_p': 62771 });
      expect(result.failedFiles).toHaveLength(1);
      expect(result.rejected).toBe(0);
      const summary = parseSummary({ ...result, rejected: 3, rejects: [{ file: 'x.log', line: 12, reason: 'field ts: not a number: "a"' }] });
      expect(summary).toContain('… 2 more rejects not listed');
      expect(summary).toContain('reject x.log:12: field ts: not a number: "a"');
      expect(summary).toContain(`unreadable ${join(dir, 'missing.log')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
