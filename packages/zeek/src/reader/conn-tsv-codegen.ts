/**
 * The TSV scanner's line function, generated once per header: the columns' readers in file order as straight-line
 * code, each writing its member into a local, and the record built from the locals at the end — no per-column
 * dispatch, no slot arrays, no unset sentinel. The generated text only ever contains the fixed snippets below and
 * member names from ConnRecord (never anything from the file). conn-scan.test.ts holds it to the general path.
 */
import { isIPv6 } from 'node:net';
import type { ConnRecord } from '../conn-record.ts';
import { hashBytes, MAX_INTERNED, MAX_PACKED, type ByteInterner } from './byte-interner.ts';
import { parseDecimalRange } from './zeek-values.ts';

export type ColumnKind = 'skip' | 'count' | 'port' | 'decimal' | 'time' | 'address' | 'uid' | 'category';

/** A category column's last value longer than MAX_PACKED characters: its bytes (up to MAX_INTERNED), their string. */
export interface LastLong {
  key: number;
  length: number;
  bytes: Uint8Array;
  text: string;
}

/** What the generated function needs besides the bytes: the interner, each column's last long category value, and where it reports the line's end. */
export interface ScanContext {
  interner: ByteInterner;
  /** LONG_SLOTS entries per column. */
  lastLong: LastLong[];
  newline: number;
}

/** Long category values remembered per column (by their first characters' key): a power of two. */
const LONG_SLOTS = 16;
const LONG_SLOT_SHIFT = 32 - Math.log2(LONG_SLOTS);

/** lastLong entries for `columns` columns, none remembered yet (a length no value has). */
export function emptyLastLong(columns: number): LastLong[] {
  return Array.from({ length: columns * LONG_SLOTS }, () => ({ key: -1, length: -1, bytes: new Uint8Array(MAX_INTERNED), text: '' }));
}

/** `key`: the packed key of the value's first MAX_PACKED characters. Values longer than the interner keeps are not remembered. */
function rememberLong(last: LastLong, key: number, b: Buffer, start: number, end: number, text: string): void {
  const len = end - start;
  if (len > MAX_INTERNED) {
    last.length = -1;
    return;
  }
  last.key = key;
  last.length = len;
  last.bytes.set(b.subarray(start, end));
  last.text = text;
}

export type ScanLine = (b: Buffer, text: string, p: number, ctx: ScanContext) => ConnRecord | null;

const MEMBERS: (keyof ConnRecord)[] = [
  'ts', 'uid', 'origHost', 'origPort', 'respHost', 'respPort', 'proto', 'service', 'duration', 'origBytes', 'respBytes',
  'connState', 'origPkts', 'origIpBytes', 'respPkts', 'respIpBytes', 'label', 'detailedLabel',
];

const EMPTY_FIELD = '(empty)';
const EMPTY_KEY = [...EMPTY_FIELD].reduce((key, ch) => key * 129 + ch.charCodeAt(0) + 1, 0);
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** `-` alone: the member is unset (null); `then` reads a set value. */
const nullable = (m: string, then: string) => `if (c === 45 && (b[p + 1] === 9 || b[p + 1] === 10)) { ${m} = null; c = b[++p]; } else { ${then} }`;

const integer = (m: string, max: string) => `
  let v = 0; const start = p;
  while (c >= 48 && c <= 57) { v = v * 10 + (c - 48); c = b[++p]; }
  const len = p - start;
  if ((c !== 9 && c !== 10) || len === 0 || len > 15${max}) return null;
  ${m} = v;`;

// A `-` alone falls to parseDecimalRange, which gives NaN: a required ts is then "not mine".
const decimal = (m: string) => `
  const start = p; const negative = c === 45; if (negative) c = b[++p];
  let mantissa = 0, digits = 0, fraction = -1;
  for (;;) {
    if (c >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); digits++; if (fraction >= 0) fraction++; }
    else if (c === 46 && fraction < 0) fraction = 0;
    else break;
    c = b[++p];
  }
  let v;
  if ((c === 9 || c === 10) && digits > 0 && digits <= 16 && mantissa <= 9007199254740991) {
    v = fraction > 0 ? mantissa / P10[fraction] : mantissa;
    if (negative) v = -v;
  } else {
    while (c !== 9 && c !== 10) c = b[++p];
    v = parseDecimalRange(text, start, p);
    if (v !== v) return null;
  }
  ${m} = v;`;

// Dotted quad checked while scanning; its key (each part's value and digit count, 10 bits a part) names it exactly.
const address = (m: string) => `
  const start = p; let key = 0, parts = 0, value = 0, digits = 0, ipv4 = true;
  while (c !== 9 && c !== 10) {
    if (c === 46) { if (digits === 0 || value > 255) ipv4 = false; key = key * 1024 + value * 4 + digits - 1; parts++; value = 0; digits = 0; }
    else if (c >= 48 && c <= 57 && digits < 3) { value = value * 10 + (c - 48); digits++; }
    else ipv4 = false;
    c = b[++p];
  }
  if (ipv4 && parts === 3 && digits > 0 && value <= 255) ${m} = ctx.interner.byKey(b, start, p, key * 1024 + value * 4 + digits - 1);
  else {
    const s = text.slice(start, p);
    if (s.indexOf(':') < 0 || !isIPv6(s)) return null;
    ${m} = ctx.interner.get(b, start, p, hashBytes(b, start, p));
  }`;

const uid = (m: string) => `
  const start = p;
  while (c !== 9 && c !== 10) { if (c === 92) return null; c = b[++p]; }
  const len = p - start;
  if (len === 0 || (len === 1 && b[start] === 45) || (len === 7 && text.startsWith('(empty)', start))) return null;
  ${m} = text.slice(start, p);`;

// Up to 7 characters packed into an exact key while scanning; escaped text goes the general way. A longer value
// (labels such as External-Attack-to-Device) is compared, in the same loop, with the last long value of this column
// that began with the same 7 characters (a small table per column by that key: its first 7 characters compared by
// the key, the rest byte by byte), so a repeated label costs no second pass.
const category = (m: string, col: number) => `
  const start = p; let key = 0;
  while (c !== 9 && c !== 10 && p - start < MAX_PACKED) { if (c === 92) return null; key = key * 129 + c + 1; c = b[++p]; }
  if (c === 9 || c === 10) {
    const len = p - start;
    if (len === 0 || (len === 7 && key === EMPTY_KEY)) ${m} = '';
    else ${m} = ctx.interner.byKey(b, start, p, key);
  } else {
    const last = ctx.lastLong[${col * LONG_SLOTS} + (Math.imul(key | 0, 0x9e3779b1) >>> ${LONG_SLOT_SHIFT})]; const lastBytes = last.bytes; let same = key === last.key; let k = MAX_PACKED;
    while (c !== 9 && c !== 10) { if (c === 92) return null; if (same && lastBytes[k] !== c) same = false; k++; c = b[++p]; }
    if (same && k === last.length) ${m} = last.text;
    else { ${m} = ctx.interner.get(b, start, p, hashBytes(b, start, p)); rememberLong(last, key, b, start, p, ${m}); }
  }`;

function column(kind: ColumnKind, m: string, col: number): string {
  switch (kind) {
    case 'skip':
      return 'while (c !== 9 && c !== 10) c = b[++p];';
    case 'count':
      return nullable(m, integer(m, ''));
    case 'port':
      return nullable(m, integer(m, ' || v > 65535'));
    case 'decimal':
      return nullable(m, decimal(m));
    case 'time':
      return decimal(m);
    case 'address':
      return address(m);
    case 'uid':
      return uid(m);
    case 'category':
      return nullable(m, category(m, col));
  }
}

/** The line function for columns of these kinds, each feeding the member at the same index (null for `skip`). */
export function compileScanLine(kinds: ColumnKind[], members: ((keyof ConnRecord) | null)[]): ScanLine {
  const body: string[] = [`let ${MEMBERS.map((m) => `${m} = null`).join(', ')};`, 'let c = b[p];'];
  kinds.forEach((kind, i) => {
    const member = members[i] ?? null;
    if (member !== null && !MEMBERS.includes(member)) throw new Error(`compileScanLine: unknown member ${member}`);
    body.push(`{ ${column(kind, member ?? '', i)} }`);
    body.push(i < kinds.length - 1 ? 'if (c !== 9) return null; c = b[++p];' : 'if (c !== 10 || b[p - 1] === 13) return null;');
  });
  body.push('ctx.newline = p;', `return { ${MEMBERS.join(', ')} };`);
  const factory = new Function('isIPv6', 'parseDecimalRange', 'hashBytes', 'rememberLong', 'P10', 'EMPTY_KEY', 'MAX_PACKED', `return function scanLine(b, text, p, ctx) {\n${body.join('\n')}\n};`);
  return factory(isIPv6, parseDecimalRange, hashBytes, rememberLong, POWERS_OF_TEN, EMPTY_KEY, MAX_PACKED) as ScanLine;
}
