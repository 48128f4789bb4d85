/**
 * The conn.log TSV hot path: one pass over the bytes of an ASCII chunk that finds the tabs, parses the numbers,
 * checks the addresses and looks up the repeated strings (hosts, proto, service, conn_state, labels) in the same
 * loop, so a line costs one read of each byte and no string per field. It only ever says "this line is exactly
 * this record" or "not mine": every line it does not take (a reject, an escape, `(empty)` where a count belongs,
 * a CRLF, IoT-23's spaced columns…) goes the general way (ConnTsvReader), which therefore decides every reject;
 * conn-tsv-scan.test.ts holds the two to the same output with fast-check.
 */
import { isIPv6 } from 'node:net';
import type { ConnRecord } from '../conn-record.ts';
import { connRecordOf, S, SLOT_COUNT } from './conn-slots.ts';
import type { ConnLayout } from './conn-tsv.ts';
import { ByteInterner, MAX_PACKED } from './byte-interner.ts';
import type { ZeekHeader } from './zeek-header.ts';
import { parseDecimalRange } from './zeek-values.ts';

const TAB = 9;
const NEWLINE = 10;
const CR = 13;
const DASH = 45;
const DOT = 46;
const BACKSLASH = 92;
const OPEN_PAREN = 40;

/** How a column is read. */
const SKIP = 0;
const COUNT = 1;
const PORT = 2;
const DECIMAL = 3;
const TIME = 4; // a decimal that must be set
const ADDRESS = 5;
const UID = 6;
const CATEGORY = 7;

const KIND: Record<keyof ConnLayout, number> = {
  ts: TIME, uid: UID, origHost: ADDRESS, origPort: PORT, respHost: ADDRESS, respPort: PORT, proto: CATEGORY,
  service: CATEGORY, duration: DECIMAL, origBytes: COUNT, respBytes: COUNT, connState: CATEGORY, origPkts: COUNT,
  origIpBytes: COUNT, respPkts: COUNT, respIpBytes: COUNT, label: CATEGORY, detailedLabel: CATEGORY,
};

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
const EMPTY_FIELD = '(empty)';
const EMPTY_KEY = [...EMPTY_FIELD].reduce((key, ch) => key * 129 + ch.charCodeAt(0) + 1, 0);

function hashOf(b: Buffer, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + b[i]!) | 0;
  return hash;
}

export class ConnTsvScanner {
  /** Index of the newline that ended the last line scan() took. */
  newline = 0;
  private readonly kinds: Uint8Array;
  private readonly slots: Uint8Array;
  /** Numbers of the line being read, NaN = unset (or a member the log lacks). */
  private readonly numbers = new Float64Array(SLOT_COUNT).fill(NaN);
  private readonly strings: (string | null)[] = new Array<string | null>(SLOT_COUNT).fill(null);
  private readonly interner = new ByteInterner(1 << 14);

  private constructor(kinds: Uint8Array, slots: Uint8Array) {
    this.kinds = kinds;
    this.slots = slots;
  }

  /**
   * A scanner for this header, or null when the header is not the plain Zeek form it reads (a separator other than
   * one tab, other unset/empty markers, IoT-23's spaced tail columns): those logs go the general way.
   */
  static forHeader(header: ZeekHeader, layout: ConnLayout): ConnTsvScanner | null {
    if (header.separator !== '\t' || header.unsetField !== '-' || header.emptyField !== EMPTY_FIELD || header.spacedTail > 0) return null;
    const n = header.fields!.length;
    const kinds = new Uint8Array(n);
    const slots = new Uint8Array(n);
    for (const member of Object.keys(S) as (keyof ConnLayout)[]) {
      const col = layout[member];
      if (col < 0) continue;
      if (kinds[col] !== SKIP) return null;
      kinds[col] = KIND[member];
      slots[col] = S[member];
    }
    return new ConnTsvScanner(kinds, slots);
  }

  /**
   * The record of the line starting at `p` in `b` (ASCII bytes, the same characters as `text`; a newline at or
   * after the line's end is guaranteed), or null when the general path must decide. On success `newline` is set.
   */
  scan(b: Buffer, text: string, p: number): ConnRecord | null {
    const kinds = this.kinds;
    const slots = this.slots;
    const numbers = this.numbers;
    const strings = this.strings;
    const last = kinds.length - 1;
    for (let col = 0; col <= last; col++) {
      const start = p;
      let c = b[p]!;
      const kind = kinds[col]!;
      if (kind === SKIP) {
        while (c !== TAB && c !== NEWLINE) c = b[++p]!;
      } else if (c === DASH && (b[p + 1] === TAB || b[p + 1] === NEWLINE)) {
        if (kind === TIME || kind === UID || kind === ADDRESS) return null;
        numbers[slots[col]!] = NaN;
        strings[slots[col]!] = null;
        c = b[++p]!;
      } else if (kind === COUNT || kind === PORT) {
        let v = 0;
        while (c >= 48 && c <= 57) {
          v = v * 10 + (c - 48);
          c = b[++p]!;
        }
        const len = p - start;
        if ((c !== TAB && c !== NEWLINE) || len === 0 || len > 15 || (kind === PORT && v > 65535)) return null;
        numbers[slots[col]!] = v;
      } else if (kind === DECIMAL || kind === TIME) {
        const negative = c === DASH;
        if (negative) c = b[++p]!;
        let mantissa = 0;
        let digits = 0;
        let fraction = -1;
        for (;;) {
          if (c >= 48 && c <= 57) {
            mantissa = mantissa * 10 + (c - 48);
            digits++;
            if (fraction >= 0) fraction++;
          } else if (c === DOT && fraction < 0) fraction = 0;
          else break;
          c = b[++p]!;
        }
        let v: number;
        if ((c === TAB || c === NEWLINE) && digits > 0 && digits <= 16 && mantissa <= Number.MAX_SAFE_INTEGER) {
          v = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction]! : mantissa;
          if (negative) v = -v;
        } else {
          while (c !== TAB && c !== NEWLINE) c = b[++p]!;
          v = parseDecimalRange(text, start, p);
          if (v !== v) return null;
        }
        numbers[slots[col]!] = v;
      } else if (kind === ADDRESS) {
        // Dotted quad checked while scanning; its key (each part's value and digit count, 10 bits a part) names it
        // exactly. Anything else is taken only when it is IPv6.
        let key = 0;
        let parts = 0;
        let value = 0;
        let digits = 0;
        let ipv4 = true;
        while (c !== TAB && c !== NEWLINE) {
          if (c === DOT) {
            if (digits === 0 || value > 255) ipv4 = false;
            key = key * 1024 + value * 4 + digits - 1;
            parts++;
            value = 0;
            digits = 0;
          } else if (c >= 48 && c <= 57 && digits < 3) {
            value = value * 10 + (c - 48);
            digits++;
          } else ipv4 = false;
          c = b[++p]!;
        }
        if (ipv4 && parts === 3 && digits > 0 && value <= 255) strings[slots[col]!] = this.interner.byKey(b, start, p, key * 1024 + value * 4 + digits - 1);
        else {
          const s = text.slice(start, p);
          if (s.indexOf(':') < 0 || !isIPv6(s)) return null;
          strings[slots[col]!] = this.interner.get(b, start, p, hashOf(b, start, p));
        }
      } else if (kind === UID) {
        while (c !== TAB && c !== NEWLINE) {
          if (c === BACKSLASH) return null;
          c = b[++p]!;
        }
        const len = p - start;
        if (len === 0 || (len === 7 && b[start] === OPEN_PAREN && text.startsWith(EMPTY_FIELD, start))) return null;
        strings[S.uid] = text.slice(start, p);
      } else {
        // CATEGORY: up to 7 characters packed into an exact key while scanning; escaped text goes the general way.
        let key = 0;
        while (c !== TAB && c !== NEWLINE) {
          if (c === BACKSLASH) return null;
          key = key * 129 + c + 1;
          c = b[++p]!;
        }
        const len = p - start;
        let value: string;
        if (len === 0 || (len === EMPTY_FIELD.length && key === EMPTY_KEY)) value = '';
        else if (len <= MAX_PACKED) value = this.interner.byKey(b, start, p, key);
        else value = this.interner.get(b, start, p, hashOf(b, start, p));
        strings[slots[col]!] = value;
      }
      if (col < last) {
        if (c !== TAB) return null;
        p++;
      } else if (c !== NEWLINE || b[p - 1] === CR) return null;
    }
    this.newline = p;
    return connRecordOf(numbers, strings);
  }
}
