import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '@aiops/common';
import { ingestDirOnce, type ShipSink } from './log-dir-ingest.ts';
import type { ShippableRecord } from './zeek-document.ts';
import { shippedData } from '@aiops/datasets';

const fixture = readFileSync(shippedData('zeek', 'conn.ctu-normal-40.tsv'), 'utf8');
const lines = fixture.trimEnd().split('\n');
const header = lines.filter((l) => l.startsWith('#')).join('\n') + '\n';
const rows = lines.filter((l) => !l.startsWith('#'));
const uidOf = (row: string) => row.split('\t')[1]!;
const logger = createLogger('zeek-ingest-test', 'silent');

/** An index that remembers every write, like Elasticsearch with deterministic ids (a rewrite overwrites). */
class MemorySink implements ShipSink {
  readonly docs = new Map<string, ShippableRecord>();
  writes = 0;
  shipped: string[] = [];
  failNext = false;
  async write(items: ShippableRecord[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('simulated bulk failure');
    }
    this.writes++;
    for (const item of items) {
      this.docs.set(item.id, item);
      this.shipped.push(String(item.document.uid));
    }
  }
}

describe('ingestDirOnce (checkpoints, rotation, partial lines)', () => {
  let dir: string;
  let stateFile: string;
  let sink: MemorySink;
  const pass = (batchRecords = 1_000) => ingestDirOnce({ dir, stateFile, indexPrefix: 'zeek', sink, logger, batchRecords });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zeek-dir-'));
    stateFile = join(mkdtempSync(join(tmpdir(), 'zeek-state-')), 'state.json');
    sink = new MemorySink();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ships every line once; a rerun ships nothing; a partial last line waits for its newline', async () => {
    writeFileSync(join(dir, 'conn.log'), header + rows.slice(0, 100).join('\n') + '\n' + rows[100]!.slice(0, 30));
    expect((await pass()).shipped).toBe(100);
    expect((await pass()).shipped).toBe(0);
    appendFileSync(join(dir, 'conn.log'), rows[100]!.slice(30) + '\n' + rows[101] + '\n');
    expect((await pass()).shipped).toBe(2);
    expect(sink.shipped).toEqual(rows.slice(0, 102).map(uidOf));
    expect(sink.docs.size).toBe(102);
    expect([...sink.docs.values()][0]!.index).toBe('zeek-conn-2022.06.12');
  });

  it('rotation: renamed then gzipped file continues where it stopped, the new live file is read from its start', async () => {
    const live = join(dir, 'conn.log');
    writeFileSync(live, header + rows.slice(0, 50).join('\n') + '\n');
    await pass();
    // Zeek writes more, then rotates: rename (same inode), new live file with a new #open, archive gzips the old one.
    appendFileSync(live, rows.slice(50, 60).join('\n') + '\n');
    const rotated = join(dir, 'conn.2022-06-12-22-00-00.log');
    renameSync(live, rotated);
    writeFileSync(live, header.replace('#open\t2022-06-17-00-00-07', '#open\t2022-06-18-00-00-00') + rows.slice(60, 70).join('\n') + '\n');
    expect((await pass()).shipped).toBe(20);
    writeFileSync(`${rotated}.gz`, gzipSync(readFileSync(rotated)));
    rmSync(rotated);
    appendFileSync(live, rows.slice(70, 75).join('\n') + '\n');
    const third = await pass();
    expect(third.details.find((d) => d.name.endsWith('.gz'))).toMatchObject({ match: 'copy', shipped: 0 });
    expect(third.shipped).toBe(5);
    expect(sink.shipped).toEqual(rows.slice(0, 75).map(uidOf)); // no line twice, none lost
    // The finished .gz is not decompressed again on later passes.
    const fourth = await pass();
    expect(fourth.details.map((d) => d.name)).toEqual(['conn.log']);
    expect(fourth.shipped).toBe(0);
  });

  it('a truncated file is read again from its start', async () => {
    const live = join(dir, 'dns.log');
    const dns = '{"_path":"dns","ts":1.5,"uid":"C1","query":"a.example"}\n{"_path":"dns","ts":2.5,"uid":"C1","query":"b.example"}\n';
    writeFileSync(live, dns);
    expect((await pass()).shipped).toBe(2);
    truncateSync(live, 0);
    writeFileSync(live, '{"_path":"dns","ts":3.5,"uid":"C9","query":"c.example"}\n');
    expect((await pass()).shipped).toBe(1);
    expect(sink.docs.size).toBe(3); // two records of one uid stay two documents
  });

  it('a failed bulk write leaves the checkpoint: the next pass ships the same lines again', async () => {
    writeFileSync(join(dir, 'conn.log'), header + rows.slice(0, 30).join('\n') + '\n');
    sink.failNext = true;
    await expect(pass(10)).rejects.toThrow('simulated bulk failure');
    expect((await pass(10)).shipped).toBe(30);
    expect(sink.docs.size).toBe(30);
  });

  it('resumes mid-file with the header it saw before (checkpoint carries the parser state)', async () => {
    const live = join(dir, 'conn.log');
    writeFileSync(live, header + rows.slice(0, 5).join('\n') + '\n');
    await pass();
    appendFileSync(live, rows.slice(5, 8).join('\n') + '\nnot\ta\tconn\tline\n');
    const result = await pass();
    expect(result).toMatchObject({ shipped: 3, rejected: 1 });
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    expect(state.files[0]).toMatchObject({ name: 'conn.log', line: 17, parser: { format: 'tsv', header: { path: 'conn' } } });
  });

  describe('the next batch is read while the previous one is written', () => {
    // 6,000 rows (≈ 0.9 MB, several 256 KiB read chunks): batches are cut per chunk, so a pass ships several.
    const many = Array.from({ length: 6_000 }, (_, i) => {
      const cols = rows[i % rows.length]!.split('\t');
      cols[1] = `${cols[1]}x${i}`;
      return cols.join('\t');
    });
    const headerLines = header.split('\n').length - 1;

    it('writes one batch at a time, in file order', async () => {
      writeFileSync(join(dir, 'conn.log'), header + many.join('\n') + '\n');
      let inFlight = 0;
      let peak = 0;
      const write = sink.write.bind(sink);
      sink.write = async (items) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        await write(items);
        inFlight--;
      };
      expect((await pass()).shipped).toBe(many.length);
      expect(sink.writes).toBeGreaterThan(2);
      expect(peak).toBe(1);
      expect(sink.shipped).toEqual(many.map(uidOf));
    });

    it('a failed batch keeps the checkpoint at the last confirmed one: the rerun ships the rest, each line once', async () => {
      writeFileSync(join(dir, 'conn.log'), header + many.join('\n') + '\n');
      const write = sink.write.bind(sink);
      let calls = 0;
      sink.write = async (items) => {
        if (++calls === 2) throw new Error('simulated bulk failure');
        await write(items);
      };
      await expect(pass()).rejects.toThrow('simulated bulk failure');
      const confirmed = sink.shipped.length;
      expect(confirmed).toBeGreaterThan(0);
      expect(confirmed).toBeLessThan(many.length);
      const state = JSON.parse(readFileSync(stateFile, 'utf8'));
      expect(state.files[0].line).toBe(headerLines + confirmed);
      sink.write = write;
      expect((await pass()).shipped).toBe(many.length - confirmed);
      expect(sink.shipped).toEqual(many.map(uidOf));
    });
  });
});
