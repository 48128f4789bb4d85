/**
 * Equivalence of the byte scanners (conn-tsv-scan.ts) with the general path they shortcut: the same conn log,
 * cut into chunks at random places, read once with the scanners and once without (`scan: false`, the reader as it
 * was before them) gives the same records (every member, +0/-0 told apart) and the same rejects (line, reason).
 * The lines are real CTU rows with columns replaced by values chosen to sit on every edge the scanners decide on.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { shippedData } from '@aiops/datasets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnRecord } from '../conn-record.ts';
import { readConnLog } from './read-zeek-log.ts';
import type { ZeekReject } from './zeek-log-parser.ts';

const tsvText = readFileSync(shippedData('zeek', 'conn.ctu-normal-40.tsv'), 'utf8');
const tsvLines = tsvText.trimEnd().split('\n');
const directives = tsvLines.filter((l) => l.startsWith('#') && !l.startsWith('#fields') && !l.startsWith('#types') && !l.startsWith('#close'));
const fieldsLine = tsvLines.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
const typesLine = tsvLines.find((l) => l.startsWith('#types'))!.split('\t').slice(1);
const rows = tsvLines.filter((l) => !l.startsWith('#')).map((l) => l.split('\t'));

/** Values on the edges of what each column type accepts (and a few real ones). */
const EDGE_VALUES = [
  '-', '--', '(empty)', '(empty', '', ' ', '0', '00', '007', '65535', '65536', '-1', '-0', '-0.0', '0.0', '+1', '1e5', '1E-3', '1.5',
  '.5', '5.', '.', '-.', '1.2.3', '0.000001', '1655071198.444458', '123456789012345', '1234567890123456', '12345678901234567',
  '9007199254740991', '9007199254740993', '0.12345678901234567', '99999999999999999999', '1'.repeat(41), ' 1', '1 ', 'NaN',
  'Infinity', '0x10', '1.2.3.4', '255.255.255.255', '256.1.1.1', '01.02.003.4', '1.2.3.', '.1.2.3', '1..2.3', '1.2.3.4.5',
  '1234.1.1.1', '::1', 'fe80::1', '2001:db8::ff00:42:8329', '::g', '1:2', 'tcp', 'udp', 'icmp', 'ssl,http', 'S0', 'SF', 'Malicious',
  'Benign', 'External-Attack-to-Device', 'External-Attack-to-Devicf', 'External-Attack', 'External', 'Maliciousx', 'Maliciou', 'a\\x09b', 'x\\\\y', 'back\\', 'café', 'T', 'F', 'x'.repeat(70), 'C1234567890abcdefg',
];

const value = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EDGE_VALUES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => s.replace(/[\t\n]/g, '')) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 70_000 }).map(String) },
  { weight: 1, arbitrary: fc.double({ noNaN: true }).map(String) },
);

/** A header: the fixture's columns, maybe with the label columns, maybe reordered or without some, maybe other markers. */
const headerArb = fc.record({
  labels: fc.boolean(),
  order: fc.option(
    fc.oneof(
      fc.shuffledSubarray([...fieldsLine.keys()], { minLength: fieldsLine.length, maxLength: fieldsLine.length }),
      fc.shuffledSubarray([...fieldsLine.keys()], { minLength: fieldsLine.length - 3, maxLength: fieldsLine.length }),
    ),
    { freq: 2 },
  ),
  unset: fc.constantFrom('-', '-', '-', '-', '-', 'NONE'),
  crlf: fc.constantFrom(false, false, false, true),
});
type HeaderChoice = typeof headerArb extends fc.Arbitrary<infer T> ? T : never;
type Header = { names: string[]; cols: number[]; unset: string; crlf: boolean };

function header(h: HeaderChoice): { lines: string[]; header: Header } {
  const cols = h.order ?? [...fieldsLine.keys()];
  const names = cols.map((c) => fieldsLine[c]!);
  const types = cols.map((c) => typesLine[c]!);
  if (h.labels) {
    names.push('label', 'detailedlabel');
    types.push('string', 'string');
  }
  const lines = [
    ...directives.map((d) => (d.startsWith('#unset_field') ? `#unset_field\t${h.unset}` : d)),
    `#fields\t${names.join('\t')}`,
    `#types\t${types.join('\t')}`,
  ];
  return { lines, header: { names, cols, unset: h.unset, crlf: h.crlf } };
}

const rowArb = fc.record({
  row: fc.integer({ min: 0, max: rows.length - 1 }),
  edits: fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.nat(30), value), { minLength: 1, maxLength: 2 })),
  shape: fc.constantFrom('same', 'same', 'same', 'same', 'same', 'same', 'drop', 'extra', 'blank', 'comment'),
  // Long labels sharing their first 7 characters: the scanner remembers long values by those characters.
  label: fc.constantFrom('Benign', 'Malicious', 'Maliciousx', 'External-Attack-to-Device', 'External-Attack-to-Devicf', 'External-Attack', '-', '(empty)'),
});

type RowChoice = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function row(r: RowChoice, h: Header): string {
  if (r.shape === 'blank') return '';
  if (r.shape === 'comment') return '#close\t2022-06-18-00-00-00';
  const source = rows[r.row]!;
  const values = h.cols.map((c) => source[c]!);
  if (h.names.length > h.cols.length) values.push(r.label, r.label === 'Benign' ? 'ESET' : r.label);
  for (const [col, v] of r.edits) values[col % values.length] = v;
  if (r.shape === 'drop') values.pop();
  if (r.shape === 'extra') values.push('x');
  const line = values.join('\t');
  return h.crlf ? `${line}\r` : line;
}

const logArb = fc.array(fc.tuple(headerArb, fc.array(rowArb, { minLength: 20, maxLength: 80 })), { minLength: 1, maxLength: 3 }).map((parts) =>
  parts
    .flatMap(([h, rs]) => {
      const { lines, header: hd } = header(h);
      return [...lines, ...rs.map((r) => row(r, hd))];
    })
    .join('\n'),
);

function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

async function read(bytes: Buffer, sizes: number[], scan: boolean): Promise<{ records: ConnRecord[]; rejects: ZeekReject[] }> {
  const rejects: ZeekReject[] = [];
  const records: ConnRecord[] = [];
  for await (const r of readConnLog(Readable.from(chunked(bytes, sizes)), { file: 'eq.log', rejects, scan })) records.push(r);
  return { records, rejects };
}

const jsonText = readFileSync(shippedData('zeek', 'conn.nmap-scan.jsonl'), 'utf8');
const jsonRows = jsonText.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const jsonKeys = [...new Set(jsonRows.flatMap((r) => Object.keys(r))), 'label', 'detailedlabel', 'detailed-label', 'service'];

/** JSON values on the edges: wrong types, unset, numbers JSON.parse reads in its own way, escapes, nesting. */
const JSON_EDGES = [
  'null', 'true', 'false', '0', '-0', '-0.0', '1.0', '1e2', '1E-2', '1e400', '-1', '65535', '65536', '0.5', '12345678901234567890',
  '9007199254740993', '0.012166976928710938', '1664462456.755299', '"1664462456.755299"', '"2022-09-29T14:40:56.755299Z"', '""',
  '"-"', '"(empty)"', '"udp"', '"1.2.3.4"', '"256.1.1.1"', '"::1"', '"fe80::1"', '"a\\tb"', '"\\u0041"', '"caf\\u00e9"',
  '[]', '[1,2]', '["a","b"]', '[[1]]', '[true]', '{}', '{"orig_h":"1.2.3.4"}', '01', '.5', '1.', '+1', '-', '"x', 'nul', 'tru',
];
const jsonValue = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...JSON_EDGES) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)) });

const jsonLineArb = fc.record({
  row: fc.integer({ min: 0, max: jsonRows.length - 1 }),
  edits: fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.constantFrom(...jsonKeys), jsonValue), { minLength: 1, maxLength: 2 })),
  drop: fc.option(fc.constantFrom(...jsonKeys), { freq: 6 }),
  duplicate: fc.option(fc.constantFrom(...jsonKeys), { freq: 8 }),
  space: fc.constantFrom('', '', '', ' ', '\t', '\r'),
  shape: fc.constantFrom('same', 'same', 'same', 'same', 'same', 'same', 'same', 'cut', 'blank', 'comment', 'spaces'),
  cutAt: fc.double({ min: 0, max: 1, noNaN: true }),
});
type JsonLineChoice = typeof jsonLineArb extends fc.Arbitrary<infer T> ? T : never;

/** A JSON line built by hand (key order kept, values as raw JSON text), so it can hold what JSON.stringify cannot. */
function jsonLine(l: JsonLineChoice): string {
  if (l.shape === 'blank') return '';
  if (l.shape === 'comment') return '#fields\tts';
  if (l.shape === 'spaces') return '  \t ';
  const pairs: [string, string][] = Object.entries(jsonRows[l.row]!).map(([k, v]) => [k, JSON.stringify(v)]);
  for (const [key, raw] of l.edits) {
    const at = pairs.findIndex(([k]) => k === key);
    if (at >= 0) pairs[at] = [key, raw];
    else pairs.push([key, raw]);
  }
  if (l.drop !== null) pairs.splice(pairs.findIndex(([k]) => k === l.drop) >>> 0, 1);
  if (l.duplicate !== null) pairs.push([l.duplicate, pairs.find(([k]) => k === l.duplicate)?.[1] ?? '1']);
  const sp = l.space;
  const line = `${sp}{${pairs.map(([k, v]) => `${JSON.stringify(k)}${sp}:${sp}${v}`).join(`,${sp}`)}}${sp}`;
  return l.shape === 'cut' ? line.slice(0, Math.floor(l.cutAt * line.length)) : line;
}

const sizesArb = fc.array(fc.integer({ min: 1, max: 9_000 }), { minLength: 1, maxLength: 4 });

/** Reads `bytes` with and without the scanners, expects the same output, and counts what the oracle gave. */
async function expectSameAsOracle(bytes: Buffer, sizes: number[], seen: { records: number; rejects: number }): Promise<void> {
  const fast = await read(bytes, sizes, true);
  const oracle = await read(bytes, sizes, false);
  expect(fast.rejects).toStrictEqual(oracle.rejects);
  expect(fast.records).toStrictEqual(oracle.records);
  seen.records += oracle.records.length;
  seen.rejects += oracle.rejects.length;
}

describe('byte scanners ≡ the general path (fast-check)', () => {
  it('TSV: same records and rejects, whatever the header, the edits and the chunk boundaries', async () => {
    const seen = { records: 0, rejects: 0 };
    await fc.assert(
      fc.asyncProperty(logArb, sizesArb, fc.boolean(), (log, sizes, newlineAtEnd) => expectSameAsOracle(Buffer.from(newlineAtEnd ? `${log}\n` : log), sizes, seen)),
      { numRuns: 300 },
    );
    // Both outcomes were exercised in bulk, not just one of them.
    expect(seen.records).toBeGreaterThan(5_000);
    expect(seen.rejects).toBeGreaterThan(2_000);
  }, 120_000);

  it('JSON lines: same records and rejects, whatever the edits, the whitespace and the chunk boundaries', async () => {
    const seen = { records: 0, rejects: 0 };
    await fc.assert(
      // The first line decides the format: it stays a JSON object.
      fc.asyncProperty(fc.array(jsonLineArb, { minLength: 20, maxLength: 120 }), sizesArb, (lines, sizes) =>
        expectSameAsOracle(Buffer.from(`${JSON.stringify(jsonRows[0])}\n${lines.map(jsonLine).join('\n')}\n`), sizes, seen),
      ),
      { numRuns: 300 },
    );
    expect(seen.records).toBeGreaterThan(2_000);
    expect(seen.rejects).toBeGreaterThan(1_000);
  }, 120_000);

  it('JSON lines: the real fixture read with the scanner is the fixture read without it', async () => {
    const bytes = Buffer.from(jsonText);
    const fast = await read(bytes, [65_536], true);
    expect(fast.records.length).toBeGreaterThan(100);
    expect(fast).toStrictEqual(await read(bytes, [65_536], false));
  });

  it('TSV: the real fixture read with the scanners is the fixture read without them', async () => {
    const bytes = Buffer.from(tsvText);
    expect(await read(bytes, [65_536], true)).toStrictEqual(await read(bytes, [65_536], false));
  });
});
