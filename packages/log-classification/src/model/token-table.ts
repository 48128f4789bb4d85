/**
 * FastRows' memo of raw tokens, for chunk misses (./fast-rows.ts): a token as the chunk scan cuts it out of a masked
 * ASCII chunk (a run of 2+ word characters, or a placeholder `<…>`), lower-cased, → what the tokenizer makes of it
 * (kept, or dropped as a stop word) and what a row needs of the kept token (vocabulary id and unigram column, guide
 * rule word id, keyword groups, digits). Why: each chunk miss tokenized its chunk into fresh strings (lower-casing,
 * slicing, a stop-word lookup per token) and then looked each token up in three more string-keyed maps, ~40 % of a
 * miss; the words of a log recur across its missed chunks (`req`, `<uuid>`, `package_for_kb`), so a token is found
 * here by its units, hashed and compared in place, and only a token not seen yet is turned into a string.
 * Open addressing with linear probing, at most half full; keys in one pool, compared in full; emptied at
 * TOKEN_LIMIT entries and with the chunk table, down to its sealed entries (seal): what the model itself gives its
 * own vocabulary's words, stored when the classifier is built, like its n-gram index.
 */
import { lowerAscii } from './ascii-codes.ts';
import { grown, placeInSlots, rehashSlots } from './open-slots.ts';

const TOKEN_LIMIT = 100_000;

/** The key hash of find and insert: FNV-1a of text[start, end) lower-cased (ASCII), as an int32. */
export function tokenHash(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ lowerAscii(text.charCodeAt(i)), 0x01000193);
  return hash;
}

/** What a token contributes to a chunk's analysis (see ChunkAnalysis), given to insert on a miss. */
export interface TokenInfo {
  kept: boolean;
  id: number;
  unigram: number;
  ruleToken: number;
  startsRule: boolean;
  groups: number;
  hasDigit: boolean;
}

export class TokenTable {
  private slotHash = new Int32Array(1 << 12);
  /** Entry + 1 per slot; 0 = empty. */
  private slotEntry = new Int32Array(1 << 12);
  private size = 0;
  private keyFirst = new Int32Array(1 << 11);
  private keyLength = new Int32Array(1 << 11);
  private keyUnits = new Uint16Array(1 << 14);
  private keyUnitsSize = 0;
  // Per entry (one length, keyFirst's).
  kept = new Uint8Array(1 << 11);
  ids = new Int32Array(1 << 11);
  unigrams = new Int32Array(1 << 11);
  ruleTokens = new Int32Array(1 << 11);
  startsRule = new Uint8Array(1 << 11);
  groups = new Int32Array(1 << 11);
  hasDigit = new Uint8Array(1 << 11);
  /** What clear() keeps (seal): the first sealedSize entries, their key units and their slots. */
  private sealedSize = 0;
  private sealedUnits = 0;
  private sealedSlotHash: Int32Array | null = null;
  private sealedSlotEntry: Int32Array | null = null;

  /** The entry of text[start, end) lower-cased (hash: its tokenHash), or −1. */
  find(text: string, start: number, end: number, hash: number): number {
    const length = end - start;
    const mask = this.slotHash.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = this.slotEntry[i]!;
      if (stored === 0) return -1;
      const e = stored - 1;
      if (this.slotHash[i] === hash && this.keyLength[e] === length && this.keyMatches(e, text, start, length)) return e;
    }
  }

  private keyMatches(e: number, text: string, start: number, length: number): boolean {
    const units = this.keyUnits;
    const first = this.keyFirst[e]!;
    for (let j = 0; j < length; j++) if (units[first + j] !== lowerAscii(text.charCodeAt(start + j))) return false;
    return true;
  }

  /** Stores what text[start, end) (absent; hash as for find) gives, and returns its entry. */
  insert(text: string, start: number, end: number, hash: number, info: TokenInfo): number {
    if (this.size >= this.sealedSize + TOKEN_LIMIT) this.clear();
    if (2 * (this.size + 1) > this.slotHash.length) this.resize(2 * this.slotHash.length);
    const e = this.size++;
    if (this.size > this.keyFirst.length) this.growEntries();
    const length = end - start;
    this.keyUnits = grown(this.keyUnits, this.keyUnitsSize + length);
    for (let j = 0; j < length; j++) this.keyUnits[this.keyUnitsSize + j] = lowerAscii(text.charCodeAt(start + j));
    this.keyFirst[e] = this.keyUnitsSize;
    this.keyLength[e] = length;
    this.keyUnitsSize += length;
    this.kept[e] = info.kept ? 1 : 0;
    this.ids[e] = info.id;
    this.unigrams[e] = info.unigram;
    this.ruleTokens[e] = info.ruleToken;
    this.startsRule[e] = info.startsRule ? 1 : 0;
    this.groups[e] = info.groups;
    this.hasDigit[e] = info.hasDigit ? 1 : 0;
    this.place(hash, e);
    return e;
  }

  /**
   * Makes the entries stored so far permanent: clear() keeps them. For entries that depend on the model only (its
   * vocabulary's words), never on the lines seen.
   */
  seal(): void {
    this.sealedSize = this.size;
    this.sealedUnits = this.keyUnitsSize;
    this.sealedSlotHash = this.slotHash.slice();
    this.sealedSlotEntry = this.slotEntry.slice();
  }

  clear(): void {
    if (this.size === this.sealedSize) return;
    this.size = this.sealedSize;
    this.keyUnitsSize = this.sealedUnits;
    if (this.sealedSlotHash && this.sealedSlotEntry) {
      this.slotHash = this.sealedSlotHash.slice();
      this.slotEntry = this.sealedSlotEntry.slice();
    } else this.slotEntry.fill(0);
  }

  private growEntries(): void {
    const needed = 2 * this.keyFirst.length;
    this.keyFirst = grown(this.keyFirst, needed);
    this.keyLength = grown(this.keyLength, needed);
    this.kept = grown(this.kept, needed);
    this.ids = grown(this.ids, needed);
    this.unigrams = grown(this.unigrams, needed);
    this.ruleTokens = grown(this.ruleTokens, needed);
    this.startsRule = grown(this.startsRule, needed);
    this.groups = grown(this.groups, needed);
    this.hasDigit = grown(this.hasDigit, needed);
  }

  private place(hash: number, e: number): void {
    placeInSlots(this.slotHash, this.slotEntry, hash, e);
  }

  private resize(slots: number): void {
    ({ slotHash: this.slotHash, slotEntry: this.slotEntry } = rehashSlots(this.slotHash, this.slotEntry, slots));
  }
}
