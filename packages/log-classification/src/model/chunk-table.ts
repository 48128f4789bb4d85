/**
 * The memo of FastRows (./fast-rows.ts): whitespace-separated chunk text → what the chunk contributes to a row (its
 * token ids, their unigram columns, the bigram columns inside the chunk, keyword groups, unseen tokens), stored
 * flat in typed arrays. A lookup is by (units, start, end), units being the line's UTF-16 units in a typed array
 * (FastRows.unitsOf), and a hash computed while scanning, so a hit allocates nothing; keys are UTF-16 units in one
 * pool, compared in place, and the featurizing loop reads a chunk's tokens from contiguous pools: no object →
 * string or object → typed array pointers to follow (each a likely cache miss over a heap of scattered small
 * objects). Open addressing with linear probing, at most half full; the table
 * starts small and doubles (a table larger than the working set costs a cache miss per lookup too), and is emptied
 * at MEMO_LIMIT entries, like a cache.
 */
import { grown } from './open-slots.ts';

const MEMO_LIMIT = 100_000;
const INITIAL_SLOTS = 1 << 12;
const INITIAL_ENTRIES = 1 << 11;
const INITIAL_POOL = 1 << 12;

/**
 * A chunk's digit shape: every digit written 1, except a 0 followed by x/X (`0x…` hex). No mask tells digits apart
 * otherwise, so two chunks of one shape are masked at the same places; when no digit survives masking, they give
 * the same tokens, and `10.0.0.7:8080` can reuse the work done for `10.0.0.1:8081`.
 */
function shapeCode(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 48 || c > 57) return c;
  if (c === 48) {
    const next = text.charCodeAt(i + 1);
    if (next === 120 || next === 88) return 48;
  }
  return 49;
}

/**
 * Whether units[i] (a `0`) is followed by x or X: the `0` of `0x` (shapeCode's exception). units[i + 1] must exist:
 * a line's units end with a sentinel 0 (FastRows.unitsOf).
 */
export function isHexPrefix(units: Uint16Array, i: number): boolean {
  const next = units[i + 1]!;
  return next === 120 || next === 88;
}

/** FNV-1a of units[start, end) (the featurizing scan computes the same over the digit shape). */
function rawHash(units: Uint16Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ units[i]!, 0x01000193);
  return hash >>> 0;
}

/** FNV-1a of a chunk's text, as rawHash of its units. */
function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}


/** An analyzed chunk, before it is stored: the first `length` entries of each array (a reused scratch object). */
export interface ChunkAnalysis {
  length: number;
  ids: Int32Array;
  /** Unigram column per token (−1: none). */
  unigrams: Int32Array;
  /** Bigram column of (token i − 1, token i) per token, −1 for the first token (it pairs across chunks). */
  bigrams: Int32Array;
  /** Guide-rule word id per token (GuideRules.tokenId), when the model has rules. */
  ruleTokens: Int32Array;
  /** Some token starts a guide pattern (GuideRules.startsPattern). */
  startsRule: boolean;
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
  /** Counts clears: entry numbers of an older generation mean other chunks now. */
  generation = 0;
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
  startsRule = new Uint8Array(INITIAL_ENTRIES);
  // Per token, entries' tokens contiguous from first[e].
  ids = new Int32Array(INITIAL_POOL);
  unigrams = new Int32Array(INITIAL_POOL);
  bigrams = new Int32Array(INITIAL_POOL);
  ruleTokens = new Int32Array(INITIAL_POOL);

  /**
   * The entry of the chunk units[start, end) (a line's UTF-16 units, then a sentinel 0), −1 when absent; shapeHash
   * is FNV-1a of its digit shape (its own text when it has no digits). Two kinds of entries share the table: a
   * chunk whose digits were all masked away is stored as its shape, under the shape's hash, and stands for every
   * chunk of that shape; a chunk that keeps a digit as a token (`ssh2`) is stored as itself, under its own hash, and
   * matches only itself, never `ssh1`. At most one entry can match a chunk: chunks of one shape are masked alike, so they all keep digits or none does.
   */
  find(units: Uint16Array, start: number, end: number, shapeHash: number, digits: boolean): number {
    const byShape = this.probe(units, start, end, shapeHash, digits);
    if (byShape >= 0 || !digits) return byShape;
    return this.probe(units, start, end, rawHash(units, start, end), false);
  }

  private probe(units: Uint16Array, start: number, end: number, hash: number, byShape: boolean): number {
    const length = end - start;
    const mask = this.slotHash.length - 1;
    const slotHash = this.slotHash;
    const slotEntry = this.slotEntry;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = slotEntry[i]!;
      if (stored === 0) return -1;
      const e = stored - 1;
      // A digit-keeping entry found by shape is another chunk's (or this one's, found again by its own hash).
      if (slotHash[i] === (hash | 0) && this.keyLength[e] === length && !(byShape && this.keepsDigits[e] === 1) && this.keyMatches(e, units, start, length, byShape)) {
        return e;
      }
    }
  }

  /** Whether entry e's key equals units[start, start + length), or its digit shape. */
  private keyMatches(e: number, units: Uint16Array, start: number, length: number, byShape: boolean): boolean {
    const chars = this.keyChars;
    const first = this.keyFirst[e]!;
    if (byShape) {
      for (let j = 0; j < length; j++) {
        const key = chars[first + j]!;
        const code = units[start + j]!;
        // shapeCode(…) === key, reading each unit once: equal codes have equal shapes (a stored `0` is the `0` of
        // `0x`, and the `x` after it is compared next); a stored `1` stands for any digit but the `0` of `0x`.
        if (code !== key && !(key === 49 && code >= 48 && code <= 57 && !(code === 48 && isHexPrefix(units, start + j)))) return false;
      }
    } else {
      for (let j = 0; j < length; j++) if (chars[first + j] !== units[start + j]) return false;
    }
    return true;
  }

  /** Stores the analysis of chunk (its text; shapeHash and digits as for find) and returns its entry. */
  insert(chunk: string, shapeHash: number, digits: boolean, analysis: ChunkAnalysis): number {
    if (this.size >= MEMO_LIMIT) this.clear();
    if (2 * (this.size + 1) > this.slotHash.length) this.resizeSlots(2 * this.slotHash.length);
    const e = this.size++;
    const asShape = digits && !analysis.keepsDigits;
    // One capacity check per pool (a grow call per array per insert showed in profiles: an insert per chunk miss).
    if (this.size > this.first.length) this.growEntries();
    if (this.keyCharsSize + chunk.length > this.keyChars.length) this.keyChars = grown(this.keyChars, this.keyCharsSize + chunk.length);
    this.keyFirst[e] = this.keyCharsSize;
    this.keyLength[e] = chunk.length;
    const keyChars = this.keyChars;
    const keyFirst = this.keyCharsSize;
    if (asShape) for (let j = 0; j < chunk.length; j++) keyChars[keyFirst + j] = shapeCode(chunk, j);
    else for (let j = 0; j < chunk.length; j++) keyChars[keyFirst + j] = chunk.charCodeAt(j);
    this.keyCharsSize += chunk.length;
    const n = analysis.length;
    if (this.poolSize + n > this.ids.length) this.growPool(this.poolSize + n);
    const pool = this.poolSize;
    this.first[e] = pool;
    this.count[e] = n;
    this.groups[e] = analysis.groups;
    this.unseen[e] = analysis.unseen;
    this.keepsDigits[e] = analysis.keepsDigits ? 1 : 0;
    this.startsRule[e] = analysis.startsRule ? 1 : 0;
    const { ids, unigrams, bigrams, ruleTokens } = this;
    for (let t = 0; t < n; t++) {
      ids[pool + t] = analysis.ids[t]!;
      unigrams[pool + t] = analysis.unigrams[t]!;
      bigrams[pool + t] = analysis.bigrams[t]!;
      ruleTokens[pool + t] = analysis.ruleTokens[t]!;
    }
    this.poolSize += n;
    this.place(asShape || !digits ? shapeHash : textHash(chunk), e);
    return e;
  }

  /** Doubles the per-entry arrays (they share one length). */
  private growEntries(): void {
    const needed = 2 * this.first.length;
    this.keyFirst = grown(this.keyFirst, needed);
    this.keyLength = grown(this.keyLength, needed);
    this.first = grown(this.first, needed);
    this.count = grown(this.count, needed);
    this.groups = grown(this.groups, needed);
    this.unseen = grown(this.unseen, needed);
    this.keepsDigits = grown(this.keepsDigits, needed);
    this.startsRule = grown(this.startsRule, needed);
  }

  /** Grows the per-token pools (they share one length) to hold `needed` tokens. */
  private growPool(needed: number): void {
    this.ids = grown(this.ids, needed);
    this.unigrams = grown(this.unigrams, needed);
    this.bigrams = grown(this.bigrams, needed);
    this.ruleTokens = grown(this.ruleTokens, needed);
  }

  clear(): void {
    if (this.size === 0) return;
    this.generation++;
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
