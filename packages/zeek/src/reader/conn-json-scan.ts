/**
 * The conn.log JSON-lines hot path: one pass over the bytes of a flat JSON object (Zeek's `use_json` form) that
 * checks the JSON grammar, recognises the ConnRecord keys and parses their values on the way, instead of
 * JSON.parse building an object of every field and connFromValues reading it again. Like the TSV scanner it only
 * says "exactly this record" or "not mine": escapes, nested objects, ISO timestamps, duplicate keys, a value of the
 * wrong type and anything JSON.parse would refuse go the general way, which therefore decides every reject.
 */
import { isIPv6 } from 'node:net';
import type { ConnRecord } from '../conn-record.ts';
import { ByteInterner, hashBytes, MAX_PACKED } from './byte-interner.ts';
import { connRecordOf, S, SLOT_COUNT } from './conn-slots.ts';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const DASH = 45;
const PLUS = 43;
const DOT = 46;
const NEWLINE = 10;

const SKIP = 0;
const COUNT = 1;
const PORT = 2;
const DECIMAL = 3;
const TIME = 4;
const ADDRESS = 5;
const UID = 6;
const CATEGORY = 7;

/** Zeek's JSON names of the members, their kind and slot (`detailed-label` is the IoT-23 spelling). */
const KEYS: [string, number, number][] = [
  ['ts', TIME, S.ts], ['uid', UID, S.uid], ['id.orig_h', ADDRESS, S.origHost], ['id.orig_p', PORT, S.origPort],
  ['id.resp_h', ADDRESS, S.respHost], ['id.resp_p', PORT, S.respPort], ['proto', CATEGORY, S.proto],
  ['service', CATEGORY, S.service], ['duration', DECIMAL, S.duration], ['orig_bytes', COUNT, S.origBytes],
  ['resp_bytes', COUNT, S.respBytes], ['conn_state', CATEGORY, S.connState], ['orig_pkts', COUNT, S.origPkts],
  ['orig_ip_bytes', COUNT, S.origIpBytes], ['resp_pkts', COUNT, S.respPkts], ['resp_ip_bytes', COUNT, S.respIpBytes],
  ['label', CATEGORY, S.label], ['detailedlabel', CATEGORY, S.detailedLabel], ['detailed-label', CATEGORY, SLOT_COUNT],
];
/** The `detailed-label` slot: read only when `detailedlabel` is absent or null. */
const DETAILED_DASH = SLOT_COUNT;
const REQUIRED = (1 << S.ts) | (1 << S.uid) | (1 << S.origHost) | (1 << S.respHost);

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
const TABLE_BITS = 10;

function keyHash(hash: number, c: number): number {
  return (Math.imul(hash, 31) + c) | 0;
}
const tableSlot = (hash: number) => (Math.imul(hash, 0x9e3779b1) >>> (32 - TABLE_BITS));

const isSpace = (c: number) => c === 32 || c === 9 || c === 13;
const isDigit = (c: number) => c >= 48 && c <= 57;

export class ConnJsonScanner {
  /** Index of the newline that ended the last line scan() took. */
  newline = 0;
  private readonly numbers = new Float64Array(SLOT_COUNT).fill(NaN);
  private readonly strings: (string | null)[] = new Array<string | null>(SLOT_COUNT + 1).fill(null);
  private readonly interner = new ByteInterner(1 << 14);
  /** Member index + 1 by the hash of its name (0 = no member), and each member's name as bytes to confirm it. */
  private readonly table = new Int32Array(1 << TABLE_BITS);
  private readonly names = KEYS.map(([name]) => Buffer.from(name, 'latin1'));
  /** End of the number scanned last by number(). */
  private end = 0;

  constructor() {
    KEYS.forEach(([name], i) => {
      const slot = tableSlot([...name].reduce((h, ch) => keyHash(h, ch.charCodeAt(0)), 0));
      if (this.table[slot] !== 0) throw new Error(`conn JSON keys ${name} and ${KEYS[this.table[slot]! - 1]![0]} share a slot`);
      this.table[slot] = i + 1;
    });
  }

  /**
   * The record of the JSON line starting at `p` in `b` (ASCII bytes, the same characters as `text`; a newline at
   * or after the line's end is guaranteed), or null when the general path must decide.
   */
  scan(b: Buffer, text: string, p: number): ConnRecord | null {
    const numbers = this.numbers;
    const strings = this.strings;
    numbers.fill(NaN);
    strings.fill(null);
    let seen = 0;
    let c = b[p]!;
    while (isSpace(c)) c = b[++p]!;
    if (c !== OPEN_BRACE) return null;
    c = b[++p]!;
    while (isSpace(c)) c = b[++p]!;
    if (c === CLOSE_BRACE) return null; // no ts
    for (;;) {
      // The key: hashed while scanning, then confirmed byte by byte when it names a member.
      if (c !== QUOTE) return null;
      const keyStart = ++p;
      let hash = 0;
      c = b[p]!;
      while (c !== QUOTE) {
        if (c === BACKSLASH || c < 32) return null;
        hash = keyHash(hash, c);
        c = b[++p]!;
      }
      let member = this.table[tableSlot(hash)]! - 1;
      if (member >= 0) {
        const name = this.names[member]!;
        if (name.length !== p - keyStart) member = -1;
        else for (let k = 0; k < name.length; k++) if (b[keyStart + k] !== name[k]) { member = -1; break; }
      }
      c = b[++p]!;
      while (isSpace(c)) c = b[++p]!;
      if (c !== COLON) return null;
      c = b[++p]!;
      while (isSpace(c)) c = b[++p]!;
      const kind = member >= 0 ? KEYS[member]![1] : SKIP;
      const slot = member >= 0 ? KEYS[member]![2] : -1;
      if (member >= 0) {
        if ((seen >>> slot) & 1) return null; // a duplicate key: JSON.parse keeps the last one; not worth it here
        seen |= 1 << slot;
      }
      // The value.
      if (c === QUOTE) {
        const start = ++p;
        c = b[p]!;
        if (kind === SKIP || kind === UID) {
          while (c !== QUOTE) {
            if (c === BACKSLASH || c < 32) return null;
            c = b[++p]!;
          }
          if (kind === UID) {
            if (p === start) return null;
            strings[slot] = text.slice(start, p);
          }
        } else if (kind === CATEGORY) {
          let key = 0;
          while (c !== QUOTE) {
            if (c === BACKSLASH || c < 32) return null;
            key = key * 129 + c + 1;
            c = b[++p]!;
          }
          const len = p - start;
          strings[slot] = len === 0 ? '' : len <= MAX_PACKED ? this.interner.byKey(b, start, p, key) : this.interner.get(b, start, p, hashBytes(b, start, p));
        } else if (kind === ADDRESS) {
          let key = 0;
          let parts = 0;
          let value = 0;
          let digits = 0;
          let ipv4 = true;
          while (c !== QUOTE) {
            if (c === BACKSLASH || c < 32) return null;
            if (c === DOT) {
              if (digits === 0 || value > 255) ipv4 = false;
              key = key * 1024 + value * 4 + digits - 1;
              parts++;
              value = 0;
              digits = 0;
            } else if (isDigit(c) && digits < 3) {
              value = value * 10 + (c - 48);
              digits++;
            } else ipv4 = false;
            c = b[++p]!;
          }
          if (ipv4 && parts === 3 && digits > 0 && value <= 255) strings[slot] = this.interner.byKey(b, start, p, key * 1024 + value * 4 + digits - 1);
          else {
            const s = text.slice(start, p);
            if (s.indexOf(':') < 0 || !isIPv6(s)) return null;
            strings[slot] = s;
          }
        } else return null; // a string where a number belongs (or an ISO ts): the general path decides
        c = b[++p]!;
      } else if (c === DASH || isDigit(c)) {
        if (kind === UID || kind === ADDRESS || kind === CATEGORY) return null;
        const v = this.number(b, text, p);
        if (this.end < 0) return null;
        if (kind === COUNT || kind === PORT) {
          if (v < 0 || !Number.isInteger(v) || v > (kind === PORT ? 65535 : Number.MAX_SAFE_INTEGER)) return null;
        } else if (kind !== SKIP && !Number.isFinite(v)) return null;
        if (kind !== SKIP) numbers[slot] = v;
        p = this.end;
        c = b[p]!;
      } else if (c === 110 /* n */) {
        if (b[p + 1] !== 117 || b[p + 2] !== 108 || b[p + 3] !== 108) return null;
        // null: unset, which the members that must be set cannot be.
        if (kind === TIME || kind === UID || kind === ADDRESS) return null;
        p += 4;
        c = b[p]!;
      } else if (c === 116 /* t */ || c === 102 /* f */) {
        if (kind !== SKIP) return null;
        if (c === 116 ? b[p + 1] !== 114 || b[p + 2] !== 117 || b[p + 3] !== 101 : b[p + 1] !== 97 || b[p + 2] !== 108 || b[p + 3] !== 115 || b[p + 4] !== 101) return null;
        p += c === 116 ? 4 : 5;
        c = b[p]!;
      } else if (c === OPEN_BRACKET) {
        if (kind !== SKIP) return null;
        p = this.skipScalarArray(b, text, p);
        if (p < 0) return null;
        c = b[p]!;
      } else return null; // a nested object (flattened by the general path) or not JSON
      while (isSpace(c)) c = b[++p]!;
      if (c === COMMA) {
        c = b[++p]!;
        while (isSpace(c)) c = b[++p]!;
        continue;
      }
      if (c !== CLOSE_BRACE) return null;
      c = b[++p]!;
      while (isSpace(c)) c = b[++p]!;
      if (c !== NEWLINE) return null;
      break;
    }
    if ((seen & REQUIRED) !== REQUIRED) return null;
    if (strings[S.detailedLabel] === null) strings[S.detailedLabel] = strings[DETAILED_DASH]!;
    this.newline = p;
    return connRecordOf(numbers, strings);
  }

  /**
   * The JSON number at b[p] (Infinity when it overflows, as JSON.parse gives); its end in `this.end`, -1 when the
   * grammar does not hold. Mantissas below 2^53 without exponent are one exact division (what JSON.parse rounds to);
   * the rest goes through Number(), which rounds JSON's decimal literals the same way.
   */
  private number(b: Buffer, text: string, p: number): number {
    const start = p;
    this.end = -1;
    let c = b[p]!;
    const negative = c === DASH;
    if (negative) c = b[++p]!;
    if (!isDigit(c)) return NaN;
    let mantissa = 0;
    let digits = 0;
    if (c === 48) {
      c = b[++p]!;
      digits = 1;
      if (isDigit(c)) return NaN; // leading zero
    } else {
      while (isDigit(c)) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        c = b[++p]!;
      }
    }
    let fraction = 0;
    if (c === DOT) {
      c = b[++p]!;
      if (!isDigit(c)) return NaN;
      while (isDigit(c)) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
        fraction++;
        c = b[++p]!;
      }
    }
    let exponent = false;
    if (c === 101 || c === 69) {
      exponent = true;
      c = b[++p]!;
      if (c === PLUS || c === DASH) c = b[++p]!;
      if (!isDigit(c)) return NaN;
      while (isDigit(c)) c = b[++p]!;
    }
    this.end = p;
    if (!exponent && digits <= 16 && mantissa <= Number.MAX_SAFE_INTEGER && fraction <= 22) {
      const v = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction]! : mantissa;
      return negative ? -v : v;
    }
    return Number(text.slice(start, p));
  }

  /** Past a `[…]` of strings without escapes, numbers and literals; -1 for anything else. */
  private skipScalarArray(b: Buffer, text: string, p: number): number {
    let c = b[++p]!;
    while (isSpace(c)) c = b[++p]!;
    if (c === CLOSE_BRACKET) return p + 1;
    for (;;) {
      if (c === QUOTE) {
        c = b[++p]!;
        while (c !== QUOTE) {
          if (c === BACKSLASH || c < 32) return -1;
          c = b[++p]!;
        }
        c = b[++p]!;
      } else if (c === DASH || isDigit(c)) {
        this.number(b, text, p);
        if (this.end < 0) return -1;
        p = this.end;
        c = b[p]!;
      } else return -1;
      while (isSpace(c)) c = b[++p]!;
      if (c === CLOSE_BRACKET) return p + 1;
      if (c !== COMMA) return -1;
      c = b[++p]!;
      while (isSpace(c)) c = b[++p]!;
    }
  }
}
