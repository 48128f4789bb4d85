/**
 * Fuzz: a valid conn.log (the fixture) with malformed and edge-case lines mixed in — random bytes, truncated
 * lines, wrong column counts, huge fields, escapes, invalid UTF-8, header directives in the middle, empty lines —
 * cut into chunks at random places. The reader never throws, reports every bad line with its own file:line, and
 * every valid line comes out, with the values it has in the clean file.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnRecord } from '../conn-record.ts';
import { parseConnLines, readConnLog, readZeekLog } from './read-zeek-log.ts';
import type { ZeekReject } from './zeek-log-parser.ts';
import { shippedData } from '@aiops/datasets';

const text = readFileSync(shippedData('zeek', 'conn.ctu-normal-40.tsv'), 'utf8');
const allLines = text.trimEnd().split('\n');
const header = allLines.filter((l) => l.startsWith('#'));
const rows = allLines.filter((l) => !l.startsWith('#'));
const cleanRecords = parseConnLines(text).records;

/** What a generated line must produce: a record (with its expected ConnRecord), a reject, or nothing. */
type Entry =
  | { kind: 'record'; bytes: Buffer; expected: ConnRecord }
  | { kind: 'reject'; bytes: Buffer }
  | { kind: 'nothing'; bytes: Buffer };

const rowIndex = fc.integer({ min: 0, max: rows.length - 1 });
const cols = (i: number) => rows[i]!.split('\t');
const replaceCol = (i: number, col: number, value: string) => cols(i).map((c, j) => (j === col ? value : c)).join('\t');

const entry: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 4, arbitrary: rowIndex.map((i): Entry => ({ kind: 'record', bytes: Buffer.from(rows[i]!), expected: cleanRecords[i]! })) },
  // Random bytes, never a newline; a leading `~` so they are neither blank nor a directive.
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 300 }).map((b): Entry => ({ kind: 'reject', bytes: Buffer.concat([Buffer.from('~'), Buffer.from(b.filter((x) => x !== 10))]) })) },
  // Truncated: cut before the last tab, so at least one column is missing.
  {
    weight: 3,
    arbitrary: fc.tuple(rowIndex, fc.double({ min: 0, max: 1, noNaN: true })).map(([i, f]): Entry => {
      const row = rows[i]!;
      return { kind: 'reject', bytes: Buffer.from(row.slice(0, 1 + Math.floor(f * (row.lastIndexOf('\t') - 1)))) };
    }),
  },
  { weight: 2, arbitrary: fc.tuple(rowIndex, fc.integer({ min: 1, max: 50 })).map(([i, n]): Entry => ({ kind: 'reject', bytes: Buffer.from(rows[i]! + '\tx'.repeat(n)) })) },
  // Huge field where a count belongs (orig_bytes, column 9), huge garbage in a port, a bad address.
  { weight: 1, arbitrary: fc.tuple(rowIndex, fc.integer({ min: 16, max: 30_000 })).map(([i, n]): Entry => ({ kind: 'reject', bytes: Buffer.from(replaceCol(i, 9, '9'.repeat(n))) })) },
  { weight: 1, arbitrary: fc.tuple(rowIndex, fc.string({ minLength: 1, maxLength: 20 })).filter(([, s]) => !/^\d+$/.test(s) && s !== '-' && !/[\t\n\r]/.test(s)).map(([i, s]): Entry => ({ kind: 'reject', bytes: Buffer.from(replaceCol(i, 3, s)) })) },
  { weight: 1, arbitrary: fc.tuple(rowIndex, fc.constantFrom('1.2.3', '300.1.1.1', 'host', '::g', '1.2.3.4.5')).map(([i, s]): Entry => ({ kind: 'reject', bytes: Buffer.from(replaceCol(i, 4, s)) })) },
  // Invalid UTF-8 somewhere in a valid row.
  {
    weight: 2,
    arbitrary: fc.tuple(rowIndex, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom([0xff], [0xc3], [0xe2, 0x28], [0xf0, 0x90, 0x28])).map(([i, f, bad]): Entry => {
      const row = Buffer.from(rows[i]!);
      const at = Math.floor(f * row.length);
      return { kind: 'reject', bytes: Buffer.concat([row.subarray(0, at), Buffer.from(bad), row.subarray(at)]) };
    }),
  },
  // Escapes in the uid (a string): valid, the value comes out unescaped.
  {
    weight: 1,
    arbitrary: fc.tuple(rowIndex, fc.constantFrom(['A\\x09B', 'A\tB'], ['caf\\xc3\\xa9', 'café'], ['back\\\\slash', 'back\\slash'], ['\\x2d', '-'])).map(([i, [raw, value]]): Entry => ({
      kind: 'record',
      bytes: Buffer.from(replaceCol(i, 1, raw)),
      expected: { ...cleanRecords[i]!, uid: value },
    })),
  },
  // Header directives in the middle that keep the schema, an unknown one (rejected), empty lines.
  { weight: 1, arbitrary: fc.constantFrom(...header.slice(1), '#close\t2022-06-18-00-00-00', '#open\t2022-06-18-00-00-00').map((l): Entry => ({ kind: 'nothing', bytes: Buffer.from(l) })) },
  { weight: 1, arbitrary: fc.constantFrom('#nonsense', '#fieldsX\tts', '#').map((l): Entry => ({ kind: 'reject', bytes: Buffer.from(l) })) },
  { weight: 1, arbitrary: fc.constantFrom('', '\r').map((l): Entry => ({ kind: 'nothing', bytes: Buffer.from(l) })) },
);

function assemble(entries: Entry[]): { bytes: Buffer; firstLine: number } {
  const head = Buffer.from(header.join('\n') + '\n');
  const body = entries.map((e) => Buffer.concat([e.bytes, Buffer.from('\n')]));
  return { bytes: Buffer.concat([head, ...body]), firstLine: header.length + 1 };
}

function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

describe('reader fuzz (fast-check)', () => {
  it('survives ≥ 10,000 malformed lines: exact rejects by file:line, every valid line out intact', async () => {
    let malformed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 120, maxLength: 250 }), fc.array(fc.integer({ min: 7, max: 70_000 }), { minLength: 1, maxLength: 5 }), async (entries, sizes) => {
        const { bytes, firstLine } = assemble(entries);
        const expectedRejectLines = entries.flatMap((e, i) => (e.kind === 'reject' ? [firstLine + i] : []));
        const expectedRecordLines = entries.flatMap((e, i) => (e.kind === 'record' ? [firstLine + i] : []));
        malformed += expectedRejectLines.length;

        const connRejects: ZeekReject[] = [];
        const connRecords: ConnRecord[] = [];
        for await (const r of readConnLog(Readable.from(chunked(bytes, sizes)), { file: 'fuzz.log', rejects: connRejects })) connRecords.push(r);
        expect(connRejects.map((r) => r.line)).toEqual(expectedRejectLines);
        expect(connRejects.every((r) => r.file === 'fuzz.log' && r.reason.length > 0)).toBe(true);
        expect(connRecords).toEqual(entries.flatMap((e) => (e.kind === 'record' ? [e.expected] : [])));

        const genericRejects: ZeekReject[] = [];
        const lines: number[] = [];
        for await (const r of readZeekLog(Readable.from(chunked(bytes, sizes)), { file: 'fuzz.log', rejects: genericRejects })) lines.push(r.line);
        expect(genericRejects.map((r) => r.line)).toEqual(expectedRejectLines);
        expect(lines).toEqual(expectedRecordLines);
      }),
      { numRuns: 150 },
    );
    expect(malformed).toBeGreaterThanOrEqual(10_000);
  }, 120_000);
});
