/**
 * The memo of FastRows (./fast-rows.ts): whitespace-separated chunk text → what the chunk contributes to a row (its
 * token ids, their unigram columns, the bigram columns inside the chunk, keyword groups, unseen tokens), stored
 * flat in typed arrays. A lookup is by (text, start, end) and a hash computed while scanning, so a hit allocates
 * nothing; keys are UTF-16 units in one pool, compared in place, and the featurizing loop reads a chunk's tokens
 * from contiguous pools: no object → string or object → typed array pointers to follow (each a likely cache miss
 * over a heap of scattered small objects). Open addressing with linear probing, at most half full; the table
 * starts small and doubles (a table larger than the working set costs a cache miss per lookup too), and is emptied
 * at MEMO_LIMIT entries, like a cache.
 */

const MEMO_LIMIT = 100_000;
const INITIAL_SLOTS = 1 << 12;
const INITIAL_ENTRIES = 1 << 11;
const INITIAL_POOL = 1 << 12;

/**
 * A chunk's digit shape: every digit written 1, except a 0 followed by x/X (`0x…` hex). No mask tells digits apart
 * otherwise, so two chunks of one shape are masked at the same places; when no digit survives masking, they give
 * the same tokens, and `10.0.0.7:8080` can reuse the work done for `10.0.0.1:8081`.
 */
export function shapeCode(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 48 || c > 57) return c;
  if (c === 48) {
    const next = text.charCodeAt(i + 1);
    if (next === 120 || next === 88) return 48;
  }
  return 49;
}

export function digitShape(chunk: string): string {
  let shape = '';
  for (let i = 0; i < chunk.length; i++) shape += String.fromCharCode(shapeCode(chunk, i));
  return shape;
}

function grown<T extends Int32Array | Uint16Array | Uint8Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let length = array.length;
  while (length < needed) length *= 2;
  const copy = new (array.constructor as new (n: number) => T)(length);
  copy.set(array);
  return copy;
}

/** An analyzed chunk, before it is stored. */
export interface ChunkAnalysis {
  ids: Int32Array;
  /** Unigram column per token (−1: none). */
  unigrams: Int32Array;
  /** Bigram column of (token i − 1, token i) per token, −1 for the first token (it pairs across chunks). */
  bigrams: Int32Array;
  groups: number;
  unseen: number;
  /** Some digit of the chunk survived masking into a token (`abc7`, `ssh2`). */
  keepsDigits: boolean;
}

export class ChunkTable {
  private slotHash = new Int32Array(INITIAL_SLOTS);
  /** Entry + 1 per slot; 0 = empty. */
  private slotEntry = new Int32Array(INITIAL_SLOTS);
  private size = 0;
  private poolSize = 0;
  private keyFirst = new Int32Array(INITIAL_ENTRIES);
  private keyLength = new Int32Array(INITIAL_ENTRIES);
  private keyChars = new Uint16Array(INITIAL_POOL * 4);
  private keyCharsSize = 0;

  // Per entry.
  first = new Int32Array(INITIAL_ENTRIES);
  count = new Int32Array(INITIAL_ENTRIES);
  groups = new Int32Array(INITIAL_ENTRIES);
  unseen = new Int32Array(INITIAL_ENTRIES);
  keepsDigits = new Uint8Array(INITIAL_ENTRIES);
  // Per token, entries' tokens contiguous from first[e].
  ids = new Int32Array(INITIAL_POOL);
  unigrams = new Int32Array(INITIAL_POOL);
  bigrams = new Int32Array(INITIAL_POOL);

  /**
   * The entry of text[start, end), or, with byShape, of its digit shape (compared without building the shape
   * string); −1 when absent.
   */
  find(text: string, start: number, end: number, hash: number, byShape = false): number {
    const length = end - start;
    const mask = this.slotHash.length - 1;
    const slotHash = this.slotHash;
    const slotEntry = this.slotEntry;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = slotEntry[i]!;
      if (stored === 0) return -1;
      if (slotHash[i] === (hash | 0) && this.keyLength[stored - 1] === length && this.keyMatches(stored - 1, text, start, length, byShape)) {
        return stored - 1;
      }
    }
  }

  /** Whether entry e's key equals text[start, start + length), or its digit shape. */
  private keyMatches(e: number, text: string, start: number, length: number, byShape: boolean): boolean {
    const chars = this.keyChars;
    const first = this.keyFirst[e]!;
    for (let j = 0; j < length; j++) {
      if (chars[first + j] !== (byShape ? shapeCode(text, start + j) : text.charCodeAt(start + j))) return false;
    }
    return true;
  }

  /** Stores an analyzed chunk under key (its text or its digit shape) and returns its entry. */
  insert(key: string, hash: number, chunk: ChunkAnalysis): number {
    if (this.size >= MEMO_LIMIT) this.clear();
    if (2 * (this.size + 1) > this.slotHash.length) this.resizeSlots(2 * this.slotHash.length);
    const e = this.size++;
    this.keyFirst = grown(this.keyFirst, this.size);
    this.keyLength = grown(this.keyLength, this.size);
    this.keyChars = grown(this.keyChars, this.keyCharsSize + key.length);
    this.keyFirst[e] = this.keyCharsSize;
    this.keyLength[e] = key.length;
    for (let j = 0; j < key.length; j++) this.keyChars[this.keyCharsSize + j] = key.charCodeAt(j);
    this.keyCharsSize += key.length;
    this.first = grown(this.first, this.size);
    this.count = grown(this.count, this.size);
    this.groups = grown(this.groups, this.size);
    this.unseen = grown(this.unseen, this.size);
    this.keepsDigits = grown(this.keepsDigits, this.size);
    const n = chunk.ids.length;
    this.ids = grown(this.ids, this.poolSize + n);
    this.unigrams = grown(this.unigrams, this.poolSize + n);
    this.bigrams = grown(this.bigrams, this.poolSize + n);
    this.first[e] = this.poolSize;
    this.count[e] = n;
    this.groups[e] = chunk.groups;
    this.unseen[e] = chunk.unseen;
    this.keepsDigits[e] = chunk.keepsDigits ? 1 : 0;
    this.ids.set(chunk.ids, this.poolSize);
    this.unigrams.set(chunk.unigrams, this.poolSize);
    this.bigrams.set(chunk.bigrams, this.poolSize);
    this.poolSize += n;
    this.place(hash, e);
    return e;
  }

  clear(): void {
    if (this.size === 0) return;
    this.slotHash = new Int32Array(INITIAL_SLOTS);
    this.slotEntry = new Int32Array(INITIAL_SLOTS);
    this.size = 0;
    this.keyCharsSize = 0;
    this.poolSize = 0;
  }

  private place(hash: number, entry: number): void {
    const mask = this.slotHash.length - 1;
    let i = hash & mask;
    while (this.slotEntry[i] !== 0) i = (i + 1) & mask;
    this.slotHash[i] = hash | 0;
    this.slotEntry[i] = entry + 1;
  }

  private resizeSlots(slots: number): void {
    const { slotHash, slotEntry } = this;
    this.slotHash = new Int32Array(slots);
    this.slotEntry = new Int32Array(slots);
    for (let i = 0; i < slotEntry.length; i++) if (slotEntry[i] !== 0) this.place(slotHash[i]! >>> 0, slotEntry[i]! - 1);
  }
}
