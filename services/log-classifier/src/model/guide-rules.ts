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

  constructor(state: GuideRulesState, classes: readonly string[]) {
    this.precision = state.precision;
    const compiled = state.patterns.map((p, order) => {
      const label = classes.indexOf(p.label);
      if (label < 0) throw new Error(`guide rule ${p.rule}: label "${p.label}" is not one of the model's classes`);
      const segments = p.segments.filter((s) => s.length > 0).map((s) => Int32Array.from(s, (word) => this.intern(word)));
      return { label, rule: p.rule, words: segments.reduce((n, s) => n + s.length, 0), segments, order };
    });
    this.patterns = compiled.filter((p) => p.segments.length > 0).sort((a, b) => b.words - a.words || a.order - b.order);
    this.decisions = this.patterns.map((p) => Object.freeze({ label: p.label, rule: p.rule }));
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

  /** The rule deciding a line of these word ids (placeholders already left out), or null. */
  match(ids: Int32Array, n: number): { label: number; rule: string } | null {
    let best = -1;
    for (let start = 0; start < n; start++) {
      const candidates = ids[start]! >= 0 ? this.byFirstToken[ids[start]!] : undefined;
      if (!candidates) continue;
      for (const index of candidates) {
        if (best >= 0 && index >= best) break; // candidates are in pattern order: none after the best can win
        if (this.matchesAt(this.patterns[index]!, ids, n, start)) best = index;
      }
    }
    return best < 0 ? null : this.decisions[best]!;
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
