/**
 * The line-level memo of FastRows: a line's key — the chunk-table entries of its chunks in order, then what the
 * knowledge and the severity add (their columns and the knowledge rule) — → its finished row and, once computed,
 * its class scores. Two lines with one key get the same row by construction (an entry stands for every chunk of
 * its digit shape only when no digit survives masking), so `10.0.0.1 port 8081` and `10.0.0.7 port 9090` featurize
 * and score once. Keys are compared in full, never by hash alone. Emptied with the chunk table (entry numbers
 * change) and at MEMO_LIMIT lines.
 */
import { grown } from './open-slots.ts';

/** The fields of FastRows' SparseRow the memo keeps (declared here: fast-rows.ts imports this module). */
export interface MemoRow {
  nnz: number;
  cols: Int32Array;
  values: Float64Array;
  tokens: number;
  unseenTokens: number;
  rule: { label: number; rule: string } | null;
}

const MEMO_LIMIT = 50_000;

export class LineMemo {
  private slots = new Int32Array(1 << 12);
  private slotHash = new Int32Array(1 << 12);
  private size = 0;
  private keyFirst = new Int32Array(1024);
  private keyLength = new Int32Array(1024);
  private keys = new Int32Array(1 << 14);
  private keysSize = 0;
  private rowFirst = new Int32Array(1024);
  private nnz = new Int32Array(1024);
  private tokens = new Int32Array(1024);
  private unseen = new Int32Array(1024);
  private rules: (MemoRow['rule'])[] = [];
  private cols = new Int32Array(1 << 14);
  private values = new Float64Array(1 << 14);
  private valuesSize = 0;
  private scores = new Float64Array(1024 * 4);
  private scored = new Uint8Array(1024);

  constructor(private readonly classes: number) {}

  clear(): void {
    if (this.size === 0) return;
    this.slots.fill(0);
    this.size = 0;
    this.keysSize = 0;
    this.valuesSize = 0;
    this.rules = [];
    this.scored.fill(0);
  }

  /** The entry of key[0, length) (its FNV-1a hash given), or −1. */
  find(key: Int32Array, length: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = this.slots[i]!;
      if (stored === 0) return -1;
      const e = stored - 1;
      if (this.slotHash[i] === hash && this.keyLength[e] === length && this.keyEquals(e, key, length)) return e;
    }
  }

  private keyEquals(e: number, key: Int32Array, length: number): boolean {
    const first = this.keyFirst[e]!;
    for (let j = 0; j < length; j++) if (this.keys[first + j] !== key[j]) return false;
    return true;
  }

  /** Stores a finished row under key[0, length) and returns its entry. */
  insert(key: Int32Array, length: number, hash: number, row: MemoRow): number {
    if (this.size >= MEMO_LIMIT) this.clear();
    if (2 * (this.size + 1) > this.slots.length) this.resize(2 * this.slots.length);
    const e = this.size++;
    // One capacity check per pool, and plain copy loops: a miss per new line key, so the six grow calls and three
    // subarray views per insert that were here showed in profiles.
    if (this.size > this.keyFirst.length) this.growEntries();
    const scoresNeeded = this.size * this.classes;
    if (scoresNeeded > this.scores.length) this.scores = grown(this.scores, scoresNeeded);
    if (this.keysSize + length > this.keys.length) this.keys = grown(this.keys, this.keysSize + length);
    const keys = this.keys;
    const keyFirst = this.keysSize;
    for (let j = 0; j < length; j++) keys[keyFirst + j] = key[j]!;
    this.keyFirst[e] = keyFirst;
    this.keyLength[e] = length;
    this.keysSize += length;
    const n = row.nnz;
    if (this.valuesSize + n > this.cols.length) {
      this.cols = grown(this.cols, this.valuesSize + n);
      this.values = grown(this.values, this.valuesSize + n);
    }
    const { cols, values } = this;
    const first = this.valuesSize;
    for (let p = 0; p < n; p++) {
      cols[first + p] = row.cols[p]!;
      values[first + p] = row.values[p]!;
    }
    this.rowFirst[e] = first;
    this.nnz[e] = n;
    this.valuesSize += n;
    this.tokens[e] = row.tokens;
    this.unseen[e] = row.unseenTokens;
    this.rules[e] = row.rule;
    this.scored[e] = 0;
    this.place(hash, e);
    return e;
  }

  /** Doubles the per-entry arrays (they share one length). */
  private growEntries(): void {
    const needed = 2 * this.keyFirst.length;
    this.keyFirst = grown(this.keyFirst, needed);
    this.keyLength = grown(this.keyLength, needed);
    this.rowFirst = grown(this.rowFirst, needed);
    this.nnz = grown(this.nnz, needed);
    this.tokens = grown(this.tokens, needed);
    this.unseen = grown(this.unseen, needed);
    this.scored = grown(this.scored, needed);
  }

  /**
   * Writes entry e's row into row (its arrays grown when needed); once e's scores are stored, all but its columns
   * (nnz 0): whoever keeps scores reads them (loadScores), not the columns, and a hit is most lines of a batch.
   */
  load(e: number, row: MemoRow): void {
    row.tokens = this.tokens[e]!;
    row.unseenTokens = this.unseen[e]!;
    row.rule = this.rules[e]!;
    if (this.scored[e] === 1) {
      row.nnz = 0;
      return;
    }
    const n = this.nnz[e]!;
    if (row.cols.length < n) {
      row.cols = new Int32Array(2 * n);
      row.values = new Float64Array(2 * n);
    }
    const first = this.rowFirst[e]!;
    // Plain loops: a subarray view per line costs an allocation, more than copying the row's few dozen entries.
    const { cols, values } = this;
    for (let p = 0; p < n; p++) {
      row.cols[p] = cols[first + p]!;
      row.values[p] = values[first + p]!;
    }
    row.nnz = n;
  }

  /** Copies entry e's stored scores to out[offset …]; false when none are stored yet. */
  loadScores(e: number, out: Float64Array, offset: number): boolean {
    if (this.scored[e] !== 1) return false;
    const k = this.classes;
    for (let c = 0; c < k; c++) out[offset + c] = this.scores[e * k + c]!;
    return true;
  }

  storeScores(e: number, scores: Float64Array, offset: number): void {
    const k = this.classes;
    for (let c = 0; c < k; c++) this.scores[e * k + c] = scores[offset + c]!;
    this.scored[e] = 1;
  }

  private place(hash: number, e: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = e + 1;
    this.slotHash[i] = hash;
  }

  private resize(slots: number): void {
    const old = this.slots;
    const oldHash = this.slotHash;
    this.slots = new Int32Array(slots);
    this.slotHash = new Int32Array(slots);
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.place(oldHash[i]!, old[i]! - 1);
  }
}
