import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConnRecord } from '../conn-record.ts';
import { logPathFromFileName, parseConnLines, readConnLog, readConnLogBatches, readZeekLog } from './read-zeek-log.ts';
import type { ZeekReject } from './zeek-log-parser.ts';
import { datasetsAvailable, externalData, shippedData } from '@aiops/datasets';

const conn = readFileSync(shippedData('zeek', 'conn.ctu-normal-40.tsv'));
const dir = mkdtempSync(join(tmpdir(), 'zeek-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readConnLog / readZeekLog', () => {
  const expected = parseConnLines(conn.toString('utf8')).records;

  it('reads a rotated gzip file by its magic bytes, same records as the plain file', async () => {
    const gz = join(dir, 'conn.2024-01-01-00-00-00.log.gz');
    writeFileSync(gz, gzipSync(conn));
    expect(await all(readConnLog(gz))).toEqual(expected);
    expect(logPathFromFileName(gz)).toBe('conn');
    expect(logPathFromFileName('/x/dns.log.labeled')).toBe('dns');
  });

  it('gives the same records whatever the chunk boundaries (lines cut across chunks)', async () => {
    for (const size of [1, 7, 100, 4096]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < conn.length; i += size) chunks.push(conn.subarray(i, i + size));
      expect(await all(readConnLog(Readable.from(chunks))), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('rejects exactly the lines that are not valid UTF-8, with their line numbers', async () => {
    const lines = conn.toString('latin1').split('\n');
    const bytes = Buffer.concat(lines.map((l, i) => Buffer.concat([i === 10 || i === 20 ? Buffer.from([0xff, 0xc3]) : Buffer.alloc(0), Buffer.from(l, 'latin1'), Buffer.from(i < lines.length - 1 ? '\n' : '')])));
    const rejects: ZeekReject[] = [];
    const records = await all(readConnLog(Readable.from([bytes]), { file: 'bad.log', rejects }));
    expect(rejects).toEqual([
      { file: 'bad.log', line: 11, reason: 'invalid UTF-8' },
      { file: 'bad.log', line: 21, reason: 'invalid UTF-8' },
    ]);
    expect(records).toHaveLength(expected.length - 2);
  });

  it('reports a corrupt gzip file as an error naming the file', async () => {
    const gz = join(dir, 'broken.log.gz');
    writeFileSync(gz, gzipSync(conn).subarray(0, 500));
    await expect(all(readConnLog(gz))).rejects.toThrow(gz);
  });

  it.runIf(datasetsAvailable('stratosphere-security-datasets-for-testing'))('reads the real labeled CTU conn logs with their label columns', async () => {
    const file = externalData('stratosphere-security-datasets-for-testing/008-zeek-mixed/data/conn.log.labeled');
    const rejects: ZeekReject[] = [];
    const labels = new Map<string | null, number>();
    let n = 0;
    for await (const batch of readConnLogBatches(file, { rejects, chunkBytes: 64 * 1024 })) {
      for (const r of batch as ConnRecord[]) labels.set(r.label, (labels.get(r.label) ?? 0) + 1);
      n += batch.length;
    }
    expect(rejects).toEqual([]);
    expect(n).toBe(5663);
    expect(Object.fromEntries(labels)).toEqual({ Malicious: 4201, Benign: 1402, Background: 60 });
  });

  it.runIf(datasetsAvailable('brimdata-zed-sample-data-wrccdc2018'))('reads every log type of the real wrccdc capture with no reject (dns.log, 53,615 rows)', async () => {
    const rejects: ZeekReject[] = [];
    const file = externalData('brimdata-zed-sample-data-wrccdc2018/zeek-default/dns.log');
    let n = 0;
    let sample;
    for await (const r of readZeekLog(file, { rejects })) {
      if (n++ === 0) sample = r;
    }
    expect(rejects).toEqual([]);
    expect(n).toBe(53_615);
    expect(sample).toMatchObject({ path: 'dns', line: 9, values: { answers: ['ise.wrccdc.cpp.edu', '134.71.3.16'], TTLs: [2230, 41830], RD: true } });
  });
});
