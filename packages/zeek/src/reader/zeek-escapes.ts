/**
 * Zeek's ASCII writer escapes bytes it cannot write as they are (the separator, non-printable bytes, bytes of a
 * string that is not valid UTF-8) as `\xNN`, and a backslash as `\\`. A run of escaped bytes is decoded as UTF-8
 * when it is valid UTF-8 (`\xc3\xa9` → `é`) and byte by byte (Latin-1) otherwise, so no input is lost.
 */
import { isUtf8 } from 'node:buffer';

const BACKSLASH = 92;

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** The byte of `\xNN` at `i` (pointing at the backslash), or -1 when there is no well-formed escape there. */
function escapedByteAt(s: string, i: number): number {
  if (i + 3 >= s.length || s.charCodeAt(i + 1) !== 120 /* x */) return -1;
  const hi = hexDigit(s.charCodeAt(i + 2));
  const lo = hexDigit(s.charCodeAt(i + 3));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

function decodeBytes(bytes: number[]): string {
  const buf = Buffer.from(bytes);
  return isUtf8(buf) ? buf.toString('utf8') : buf.toString('latin1');
}

/** Undoes Zeek's escaping. Strings without a backslash (nearly all) are returned as they are, without copying. */
export function unescapeZeek(s: string): string {
  const first = s.indexOf('\\');
  if (first < 0) return s;
  let out = s.slice(0, first);
  let i = first;
  while (i < s.length) {
    const code = s.charCodeAt(i);
    if (code !== BACKSLASH) {
      out += s[i];
      i++;
      continue;
    }
    if (s.charCodeAt(i + 1) === BACKSLASH) {
      out += '\\';
      i += 2;
      continue;
    }
    const bytes: number[] = [];
    let b: number;
    while (s.charCodeAt(i) === BACKSLASH && (b = escapedByteAt(s, i)) >= 0) {
      bytes.push(b);
      i += 4;
    }
    if (bytes.length > 0) out += decodeBytes(bytes);
    else {
      // A lone backslash that escapes nothing: kept literally (Zeek never writes one; other writers might).
      out += '\\';
      i++;
    }
  }
  return out;
}
