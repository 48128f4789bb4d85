import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@aiops/common';
import { ingestDirOnce, type ShipSink } from './log-dir-ingest.ts';
import type { ShippableRecord } from './zeek-document.ts';
import { detectLayout, listLogFiles } from './zeek-log-layout.ts';
import { shippedData } from '@aiops/datasets';

// Real conn.log rows (CTU normal capture, see data/zeek/README.md).
const fixture = readFileSync(shippedData('zeek', 'conn.ctu-normal-40.tsv'), 'utf8');
const lines = fixture.trimEnd().split('\n');
const header = (open: string) => lines.filter((l) => l.startsWith('#')).map((l) => (l.startsWith('#open') ? `#open\t${open}` : l)).join('\n') + '\n';
const rows = lines.filter((l) => !l.startsWith('#'));
const uidOf = (row: string) => row.split('\t')[1]!;
const dnsLine = (i: number) => JSON.stringify({ _path: 'dns', ts: 1_764_738_000 + i, uid: `dns-${i}`, 'id.orig_h': '10.77.0.10', query: `host${i}.lab.test` });
const filesLine = (i: number) => JSON.stringify({ _path: 'files', ts: 1_764_738_000 + i, fuid: `F${i}`, uid: `files-${i}`, mime_type: 'text/plain', seen_bytes: i });
const logger = createLogger('zeek-layout-test', 'silent');

class MemorySink implements ShipSink {
  readonly docs = new Map<string, ShippableRecord>();
  shipped: string[] = [];
  async write(items: ShippableRecord[]): Promise<void> {
    for (const item of items) {
      this.docs.set(item.id, item);
      this.shipped.push(String(item.document.uid));
    }
  }
}

/** What zeekctl does at rotation: the open file is renamed, gzipped into the day's archive folder, the rename removed. */
function rotate(logs: string, path: string, day: string, span: string, { keepIntermediate = false } = {}): string {
  const live = join(logs, 'current', `${path}.log`);
  const renamed = join(logs, 'current', `${path}.${day}-${span.slice(0, 2)}-00-00.log`);
  renameSync(live, renamed);
  if (keepIntermediate) return renamed;
  archive(logs, renamed, path, day, span);
  return renamed;
}
function archive(logs: string, renamed: string, path: string, day: string, span: string): void {
  mkdirSync(join(logs, day), { recursive: true });
  writeFileSync(join(logs, day, `${path}.${span}.log.gz`), gzipSync(readFileSync(renamed)));
  rmSync(renamed);
}

describe("zeek-ingest on zeekctl's layout (current/ + dated archive folders)", () => {
  let logs: string;
  let stateFile: string;
  let sink: MemorySink;
  const pass = (dir = logs) => ingestDirOnce({ dir, stateFile, indexPrefix: 'zeek', sink, logger, batchRecords: 7 });

  beforeEach(() => {
    logs = mkdtempSync(join(tmpdir(), 'zeek-logs-'));
    mkdirSync(join(logs, 'current'));
    stateFile = join(mkdtempSync(join(tmpdir(), 'zeek-state-')), 'state.json');
    sink = new MemorySink();
  });
  afterEach(() => rmSync(logs, { recursive: true, force: true }));

  it('detects the layout from the logs root or from current/, and lists archives (by day) before live files', async () => {
    mkdirSync(join(logs, '2026-12-02'));
    mkdirSync(join(logs, '2026-12-01'));
    writeFileSync(join(logs, '2026-12-02', 'conn.00:00:00-01:00:00.log.gz'), gzipSync('x\n'));
    writeFileSync(join(logs, '2026-12-01', 'conn.23:00:00-00:00:00.log.gz'), gzipSync('x\n'));
    writeFileSync(join(logs, 'current', 'conn.log'), 'x\n');
    writeFileSync(join(logs, 'current', 'stderr.txt'), 'not a log\n');
    for (const dir of [logs, join(logs, 'current')]) {
      const layout = await detectLayout(dir);
      expect(layout).toEqual({ kind: 'zeekctl', root: logs });
      expect((await listLogFiles(layout)).map((f) => f.name)).toEqual(['2026-12-01/conn.23:00:00-00:00:00.log.gz', '2026-12-02/conn.00:00:00-01:00:00.log.gz', 'current/conn.log']);
    }
    const flat = mkdtempSync(join(tmpdir(), 'zeek-flat-'));
    expect(await detectLayout(flat)).toEqual({ kind: 'flat', root: flat });
  });

  it.each([
    ['the archive appears between two passes', false],
    ['a pass sees the renamed file in current/ before it is archived', true],
  ])('across a rotation no line is shipped twice and none is lost (%s)', async (_name, seeIntermediate) => {
    const conn = join(logs, 'current', 'conn.log');
    const dns = join(logs, 'current', 'dns.log');
    writeFileSync(conn, header('2026-12-03-05-00-00') + rows.slice(0, 40).join('\n') + '\n');
    writeFileSync(dns, [0, 1, 2].map(dnsLine).join('\n') + '\n');
    expect((await pass()).shipped).toBe(43);

    // Zeek writes more that no pass reads before the rotation: it is only in the archived copy afterwards.
    appendFileSync(conn, rows.slice(40, 50).join('\n') + '\n');
    appendFileSync(dns, [3, 4].map(dnsLine).join('\n') + '\n' + dnsLine(5).slice(0, 20)); // a half-written last line
    const renamedConn = rotate(logs, 'conn', '2026-12-03', '05:00:00-06:00:00', { keepIntermediate: seeIntermediate });
    appendFileSync(join(logs, 'current', 'dns.log'), dnsLine(5).slice(20) + '\n');
    rotate(logs, 'dns', '2026-12-03', '05:00:00-06:00:00');
    // The new open files (an inode of a deleted file may come back: the checkpoints must not be fooled by it).
    writeFileSync(conn, header('2026-12-03-06-00-00') + rows.slice(50, 60).join('\n') + '\n');
    writeFileSync(dns, [6, 7].map(dnsLine).join('\n') + '\n');
    writeFileSync(join(logs, 'current', 'files.log'), [0, 1].map(filesLine).join('\n') + '\n');
    if (seeIntermediate) {
      expect((await pass()).shipped).toBe(10 + 3 + 10 + 2 + 2);
      archive(logs, renamedConn, 'conn', '2026-12-03', '05:00:00-06:00:00');
      const afterArchive = await pass();
      expect(afterArchive.shipped).toBe(0);
      expect(afterArchive.details.find((d) => d.name.startsWith('2026-12-03/conn'))).toMatchObject({ match: 'copy', shipped: 0 });
    } else {
      expect((await pass()).shipped).toBe(10 + 3 + 10 + 2 + 2);
    }

    const connUids = sink.shipped.filter((u) => !u.startsWith('dns-') && !u.startsWith('files-'));
    expect(connUids).toEqual(rows.slice(0, 60).map(uidOf)); // every conn line once, in order
    expect(sink.shipped.filter((u) => u.startsWith('dns-'))).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `dns-${i}`));
    expect(sink.docs.size).toBe(60 + 8 + 2);
    const indices = new Set([...sink.docs.values()].map((d) => d.index));
    expect(indices).toContain('zeek-files-2025.12.03');
    expect(indices).toContain('zeek-dns-2025.12.03');

    // Later passes: nothing new, and the archives (finished) are not decompressed again.
    const again = await pass(join(logs, 'current'));
    expect(again.shipped).toBe(0);
    expect(again.details.map((d) => d.name).sort()).toEqual(['current/conn.log', 'current/dns.log', 'current/files.log']);
    expect(statSync(stateFile).size).toBeGreaterThan(0);
  });
});
