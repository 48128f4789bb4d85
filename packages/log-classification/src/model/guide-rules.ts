/**
 * The labeling guide's phrases as decision rules beside the model: a line that matches a phrase of the guide
 * (`PacketResponder ... terminating` → noise, N6) takes that rule's class, whatever the model says. The guide is the
 * policy the labels were made by; the model, even with the guide's phrases among its training documents
 * (training/labeling-guide.ts), is regularized and outvoted by the templates of the same system, so a quoted
 * template still comes out wrong. The model decides every line no phrase matches.
 *
 * A pattern is a phrase's segments (the words between the guide's gaps `...`, `<*>`, `N`), compiled at training
 * with the model's own tokenizer (training/guide-leaks.ts reads phrases the same way). It matches when its
 * segments occur in the line's word tokens in order, each contiguous, placeholders (`<num>`, `<ip>`) left out on
 * both sides. Of several matching patterns the one with the most words wins (the more specific phrase: `no free
 * leases` over `dhcp`), ties to the guide's order. Words are interned to integer ids so the fast path (FastRows)
 * matches ids it memoized per chunk.
 */
import { placeInSlots, rehashSlots } from './open-slots.ts';

/** One reading of one guide phrase, as stored in the model file. */
export interface GuidePattern {
  /** `C1` … `N10`, `across`. */
  rule: string;
  label: string;
  /** Word tokens between gaps, placeholders out; at least one segment. */
  segments: string[][];
}

export interface GuideRulesState {
  patterns: GuidePattern[];
  /**
   * Share of the training documents (distinct masked messages) a rule decides whose label is the rule's: the
   * confidence of a rule decision.
   */
  precision: number;
  /** Training documents a rule decides. */
  matchedMessages: number;
}

/** A token id for a placeholder (`<num>`): left out of the sequence a pattern is matched against. */
export const PLACEHOLDER = -2;
/** A token id for a word no pattern contains: it breaks a segment. */
export const OTHER_WORD = -1;

interface CompiledPattern {
  label: number;
  rule: string;
  words: number;
  segments: Int32Array[];
}

export class GuideRules {
  readonly precision: number;
  private readonly ids = new Map<string, number>();
  /** Patterns, most words first (ties in the guide's order): the first that matches wins. */
  private readonly patterns: CompiledPattern[];
  /** byFirstToken[id]: indices into patterns whose first segment starts with word id, in pattern order. */
  private readonly byFirstToken: number[][] = [];
  /** What match returns per pattern, built once: a line costs no allocation. */
  private readonly decisions: readonly Readonly<{ label: number; rule: string }>[];
  private scratchIds = new Int32Array(64);
  /** Lines of one template give one id sequence (their variable words are placeholders): match once per sequence. */
  private readonly memo = new SequenceMemo();

  constructor(state: GuideRulesState, classes: readonly string[]) {
    this.precision = state.precision;
    const compiled = state.patterns.map((p, order) => {
      const label = classes.indexOf(p.label);
      if (label < 0) throw new Error(`guide rule ${p.rule}: label "${p.label}" is not one of the model's classes`);
      const segments = p.segments.filter((s) => s.length > 0).map((s) => Int32Array.from(s, (word) => this.intern(word)));
      return { label, rule: p.rule, words: segments.reduce((n, s) => n + s.length, 0), segments, order };
    });
    this.patterns = compiled.filter((p) => p.segments.length > 0).sort((a, b) => b.words - a.words || a.order - b.order);
    // Decisions name their source: `guide:N6` beside the knowledge's `kernel:oom` in ml_rule.
    this.decisions = this.patterns.map((p) => Object.freeze({ label: p.label, rule: `guide:${p.rule}` }));
    this.patterns.forEach((p, index) => {
      const first = p.segments[0]![0]!;
      (this.byFirstToken[first] ??= []).push(index);
    });
  }

  private intern(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) this.ids.set(word, (id = this.ids.size));
    return id;
  }

  /** The id a line's token gets: PLACEHOLDER for `<…>` tokens, OTHER_WORD for words no pattern contains. */
  tokenId(token: string): number {
    if (token.startsWith('<')) return PLACEHOLDER;
    return this.ids.get(token) ?? OTHER_WORD;
  }

  /** Whether some pattern starts with this word id: a line without one cannot match, nor can its tokens before one. */
  startsPattern(id: number): boolean {
    return id >= 0 && this.byFirstToken[id] !== undefined;
  }

  /** Forgets the memoized matches (benchmarks measure a cold start with it). */
  clearMemo(): void {
    this.memo.clear();
  }

  /** The rule deciding a line of these word ids (placeholders already left out), or null. */
  match(ids: Int32Array, n: number): { label: number; rule: string } | null {
    const hash = sequenceHash(ids, n);
    let best = this.memo.find(ids, n, hash);
    if (best === ABSENT) this.memo.insert(ids, n, hash, (best = this.bestPattern(ids, n)));
    return best < 0 ? null : this.decisions[best]!;
  }

  /** The index of the first pattern (in this.patterns) that matches ids[0, n), or −1. */
  private bestPattern(ids: Int32Array, n: number): number {
    let best = -1;
    for (let start = 0; start < n; start++) {
      const candidates = ids[start]! >= 0 ? this.byFirstToken[ids[start]!] : undefined;
      if (!candidates) continue;
      for (const index of candidates) {
        if (best >= 0 && index >= best) break; // candidates are in pattern order: none after the best can win
        if (this.matchesAt(this.patterns[index]!, ids, n, start)) best = index;
      }
    }
    return best;
  }

  /** The reference on strings (the model's word tokens, placeholders and all): the CSR path and tests. */
  matchTokens(tokens: readonly string[]): { label: number; rule: string } | null {
    if (this.scratchIds.length < tokens.length) this.scratchIds = new Int32Array(2 * tokens.length);
    let n = 0;
    for (const token of tokens) {
      const id = this.tokenId(token);
      if (id !== PLACEHOLDER) this.scratchIds[n++] = id;
    }
    return this.match(this.scratchIds, n);
  }

  /** The first segment at `start`, every later one at its leftmost place after the one before. */
  private matchesAt(pattern: CompiledPattern, ids: Int32Array, n: number, start: number): boolean {
    const first = pattern.segments[0]!;
    if (!occursAt(first, ids, n, start)) return false;
    let from = start + first.length;
    for (let s = 1; s < pattern.segments.length; s++) {
      const segment = pattern.segments[s]!;
      let at = from;
      while (at + segment.length <= n && !occursAt(segment, ids, n, at)) at++;
      if (at + segment.length > n) return false;
      from = at + segment.length;
    }
    return true;
  }
}

function occursAt(segment: Int32Array, ids: Int32Array, n: number, at: number): boolean {
  if (at + segment.length > n) return false;
  for (let j = 0; j < segment.length; j++) if (ids[at + j] !== segment[j]) return false;
  return true;
}

function sequenceHash(ids: Int32Array, n: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < n; i++) hash = Math.imul(hash ^ ids[i]!, 0x01000193);
  return hash;
}

/** What SequenceMemo.find returns for a sequence it does not hold. */
const ABSENT = -2;
const MEMO_LIMIT = 50_000;

/**
 * Id sequence → number (the best pattern, or −1), by open addressing with linear probing over flat typed arrays;
 * keys are kept whole in one pool and compared in full, so a hash collision cannot change a decision.
 */
class SequenceMemo {
  private slotHash = new Int32Array(1 << 10);
  /** Entry + 1 per slot; 0 = empty. */
  private slotEntry = new Int32Array(1 << 10);
  private keyFirst = new Int32Array(1 << 9);
  private keyLength = new Int32Array(1 << 9);
  private values = new Int32Array(1 << 9);
  private pool = new Int32Array(1 << 12);
  private size = 0;
  private poolSize = 0;

  find(ids: Int32Array, n: number, hash: number): number {
    const mask = this.slotHash.length - 1;
    for (let i = hash & mask; this.slotEntry[i] !== 0; i = (i + 1) & mask) {
      const e = this.slotEntry[i]! - 1;
      if (this.slotHash[i] === hash && this.keyLength[e] === n && this.keyEquals(e, ids, n)) return this.values[e]!;
    }
    return ABSENT;
  }

  insert(ids: Int32Array, n: number, hash: number, value: number): void {
    if (this.size >= MEMO_LIMIT) this.clear();
    if (2 * (this.size + 1) > this.slotHash.length) this.resize(2 * this.slotHash.length);
    if (this.size === this.values.length) {
      this.keyFirst = grownTo(this.keyFirst, 2 * this.size);
      this.keyLength = grownTo(this.keyLength, 2 * this.size);
      this.values = grownTo(this.values, 2 * this.size);
    }
    if (this.poolSize + n > this.pool.length) this.pool = grownTo(this.pool, 2 * (this.poolSize + n));
    const e = this.size++;
    this.keyFirst[e] = this.poolSize;
    this.keyLength[e] = n;
    this.values[e] = value;
    this.pool.set(ids.subarray(0, n), this.poolSize);
    this.poolSize += n;
    this.place(hash, e);
  }

  clear(): void {
    this.slotEntry.fill(0);
    this.size = 0;
    this.poolSize = 0;
  }

  private keyEquals(e: number, ids: Int32Array, n: number): boolean {
    const first = this.keyFirst[e]!;
    for (let j = 0; j < n; j++) if (this.pool[first + j] !== ids[j]) return false;
    return true;
  }

  private place(hash: number, e: number): void {
    placeInSlots(this.slotHash, this.slotEntry, hash, e);
  }

  private resize(slots: number): void {
    ({ slotHash: this.slotHash, slotEntry: this.slotEntry } = rehashSlots(this.slotHash, this.slotEntry, slots));
  }
}

function grownTo(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(length);
  copy.set(array);
  return copy;
}
