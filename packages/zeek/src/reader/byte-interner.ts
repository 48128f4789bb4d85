/**
 * One string per distinct short byte sequence (hosts, proto, service, states, labels repeat from line to line):
 * a direct-mapped table by the hash the caller computed while scanning, checked byte by byte, so a repeated value
 * costs a comparison instead of a new string. Strings are copied out of the chunk (never slices of it), so a
 * table entry does not keep a whole decoded chunk alive.
 */
export const MAX_INTERNED = 64;
/** Bijective base-129 digits of (code + 1): exact in a double for up to 7 ASCII characters. */
export const MAX_PACKED = 7;

/** A hash of b[start, end) for get(), when the bytes were not hashed while scanning. */
export function hashBytes(b: Buffer, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + b[i]!) | 0;
  return hash;
}

export class ByteInterner {
  private readonly table: (string | undefined)[];
  private readonly mask: number;
  /** Strings by an exact numeric key (no byte comparison needed): keyed[i] holds the string of keys[i]. */
  private readonly keys: Float64Array;
  private readonly keyed: (string | undefined)[];
  private readonly shift: number;

  /** `size` a power of two. */
  constructor(size: number) {
    this.table = new Array<string | undefined>(size).fill(undefined);
    this.mask = size - 1;
    this.keys = new Float64Array(size).fill(-1);
    this.keyed = new Array<string | undefined>(size).fill(undefined);
    this.shift = 32 - Math.log2(size);
  }

  /**
   * The string of b[start, end) when `key` (a non-negative integer below 2^53) identifies those bytes exactly
   * (packed characters, an IPv4 address with its digit counts): one number comparison on a hit.
   */
  byKey(b: Buffer, start: number, end: number, key: number): string {
    const slot = Math.imul((key | 0) ^ ((key / 4294967296) | 0), 0x9e3779b1) >>> this.shift;
    if (this.keys[slot] === key) return this.keyed[slot]!;
    const fresh = b.toString('latin1', start, end);
    this.keys[slot] = key;
    this.keyed[slot] = fresh;
    return fresh;
  }

  /** The string of the ASCII bytes b[start, end), whose hash is `hash` (any int32 the caller derives from them). */
  get(b: Buffer, start: number, end: number, hash: number): string {
    const len = end - start;
    if (len > MAX_INTERNED) return b.toString('latin1', start, end);
    const slot = (hash ^ (hash >>> 13)) & this.mask;
    const known = this.table[slot];
    if (known !== undefined && known.length === len) {
      let k = 0;
      while (k < len && known.charCodeAt(k) === b[start + k]) k++;
      if (k === len) return known;
    }
    const fresh = b.toString('latin1', start, end);
    this.table[slot] = fresh;
    return fresh;
  }
}
