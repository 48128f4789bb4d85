/**
 * The classification fast path: a message → its TF-IDF row (the same columns and values as
 * FeaturePipeline.transformAnalyzed, tested) without building n-gram strings or a CSR matrix:
 * - the message (header stripped) is cut at whitespace into chunks; no mask and no token spans whitespace, so a
 *   chunk's masked tokens do not depend on its neighbours, and each distinct chunk is masked, tokenized and turned
 *   into integer token ids once (./chunk-analyzer.ts), then memoized (log words, hosts and ports recur; counters do
 *   not, and cost a short mask);
 * - bigrams are looked up by the pair of ids (WordNgramIndex), counts live in one reused array.
 * Serves word 1–2-gram pipelines without character n-grams (the default); FastRows.supports says when.
 */
import { WordNgramIndex } from '@aiops/ml';
import { ChunkAnalyzer, TRIGGER_SHIFT } from './chunk-analyzer.ts';
import { ChunkTable, isHexPrefix } from './chunk-table.ts';
import type { KnowledgeRule, LinuxKnowledge } from '../knowledge/linux-knowledge.ts';
import { GuideRules, PLACEHOLDER } from './guide-rules.ts';
import { LEXICON_TOKENS } from './lexicon.ts';
import { LineMemo } from './line-memo.ts';
import { MessageUnits } from './message-units.ts';
import { grown } from './open-slots.ts';
import { severityToken, type FeaturePipeline } from './features.ts';

/** 1 + ln(count) for the small counts nearly every term has. */
const SUBLINEAR_TF = Float64Array.from({ length: 16 }, (_, count) => 1 + Math.log(count));

const NON_ASCII_SPACE = /\s/;

/** `\s` of a regular expression, by character code (ASCII by table). */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return NON_ASCII_SPACE.test(String.fromCharCode(code));
}

/** Sorts a[0, n) ascending: insertion sort for the few dozen columns of a row (a typed-array sort call costs more). */
function sortPrefix(a: Int32Array, n: number): void {
  if (n > 64) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * One featurized row: its first nnz entries, each column once (increasing when asked for). Reused between calls:
 * copy what you keep.
 */
export interface SparseRow {
  nnz: number;
  cols: Int32Array;
  values: Float64Array;
  /** Word tokens of the line, and how many of them have no unigram column (drift signal). */
  tokens: number;
  unseenTokens: number;
  /**
   * The rule that decides the line, or null: a knowledge rule (kernel/systemd family, fail2ban filter) first, else the
   * guide rule it matches (GuideRules.match); always null without rules and knowledge.
   */
  rule: { label: number; rule: string } | null;
  /** The line's entry in the line memo (unsorted rows), or −1. */
  memo: number;
}

const GROUP_MASK = (1 << TRIGGER_SHIFT) - 1;

export class FastRows {
  private readonly index: WordNgramIndex;
  private readonly counts: Int32Array;
  private readonly idf: Float64Array;
  private readonly sublinear: boolean;
  private touched = new Int32Array(256);
  private touchedCount = 0;
  private readonly chunks = new ChunkTable();
  private readonly analyzer: ChunkAnalyzer;
  private readonly groupColumns: Int32Array;
  private readonly severityColumns = new Map<string, number>();
  readonly row: SparseRow = { nnz: 0, cols: new Int32Array(256), values: new Float64Array(256), tokens: 0, unseenTokens: 0, rule: null, memo: -1 };
  /** The line's chunk entries, then the rest of its line-memo key. */
  private lineKey = new Int32Array(64);
  /** Columns the knowledge and the severity add to the line being featurized. */
  private extra = new Int32Array(8);
  private readonly lines: LineMemo;
  private linesGeneration = 0;
  /** Knowledge decision → its number in line-memo keys. */
  private readonly ruleIds = new Map<object, number>();
  /** The line's guide-rule word ids, placeholders left out. */
  private lineRuleTokens: Int32Array = new Int32Array(256);
  /** The line's message as units (./message-units.ts): the scan and the chunk table read them there. */
  private readonly message = new MessageUnits();
  private readonly knowledge: LinuxKnowledge | null;
  private readonly knowledgeColumns = new Map<string, number>();
  /** Knowledge rule → the row's rule (class index), built once per rule name. */
  private readonly knowledgeDecisions = new Map<string, { label: number; rule: string } | null>();

  static supports(pipeline: FeaturePipeline): boolean {
    const [min, max] = pipeline.config.wordNgramRange;
    return pipeline.char === null && min === 1 && max <= 2;
  }

  constructor(
    private readonly pipeline: FeaturePipeline,
    private readonly rules: GuideRules | null = null,
    private readonly classes: readonly string[] = [],
  ) {
    if (!FastRows.supports(pipeline)) throw new Error('FastRows: only word 1–2-gram pipelines without character n-grams');
    this.knowledge = pipeline.knowledge;
    this.index = new WordNgramIndex(pipeline.word);
    this.counts = new Int32Array(pipeline.word.featureCount);
    this.idf = pipeline.word.idfWeights;
    this.sublinear = pipeline.word.toJSON().sublinearTf;
    this.groupColumns = Int32Array.from(LEXICON_TOKENS, (t) => pipeline.word.column(t) ?? -1);
    this.lines = new LineMemo(Math.max(1, classes.length));
    this.analyzer = new ChunkAnalyzer(pipeline, this.index, rules);
  }

  /** Forgets the memoized chunks (benchmarks measure a cold start with it). */
  clearMemo(): void {
    this.chunks.clear();
    this.analyzer.clear();
    this.lines.clear();
    this.rules?.clearMemo();
    this.knowledge?.clearMemo();
    this.pipeline.lexicon?.clearMemo();
  }

  /** The entry of chunk units[start, end) (this.message's) in this.chunks; analyzed and stored on a miss. */
  private chunk(units: Uint16Array, start: number, end: number, shapeHash: number, digits: boolean): number {
    const found = this.chunks.find(units, start, end, shapeHash, digits);
    if (found >= 0) return found;
    const key = this.message.text(start, end);
    return this.chunks.insert(key, shapeHash, digits, this.analyzer.analyze(key));
  }

  /** Appends a chunk's guide-rule word ids (placeholders left out) to the line's; returns the new count. */
  private appendRuleTokens(ruleTokens: Int32Array, from: number, to: number, count: number): number {
    if (this.lineRuleTokens.length < count + to - from) this.lineRuleTokens = grown(this.lineRuleTokens, count + to - from);
    const line = this.lineRuleTokens;
    for (let p = from; p < to; p++) {
      const id = ruleTokens[p]!;
      if (id !== PLACEHOLDER) line[count++] = id;
    }
    return count;
  }

  /** Counts one occurrence of column col, remembering the columns touched so far. */
  private add(col: number): void {
    const seen = this.counts[col]!;
    this.counts[col] = seen + 1;
    if (seen !== 0) return;
    if (this.touchedCount === this.touched.length) {
      const grown = new Int32Array(2 * this.touchedCount);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.touchedCount++] = col;
  }

  /**
   * Featurizes one sanitized message (severity already normalized, or undefined) into this.row; columns in
   * increasing order when sorted (a dot product does not need it: the classifier skips the sort). Unsorted rows go
   * through the line memo (./line-memo.ts): row.memo names the line's entry there, whose scores a caller may keep;
   * a line whose entry has them comes without columns (nnz 0): read its scores (loadScores) instead.
   */
  featurize(message: string, severity: string | undefined, sorted = true): SparseRow {
    this.message.load(message, this.pipeline.config.mask);
    const { units, start: messageStart, end: length } = this.message;
    const table = this.chunks;
    // Pass 1: the entries of the line's chunks (analyzed and stored on a miss). A table emptied on the way numbers
    // its entries anew: the pass then runs again, on a table with room for the whole line.
    let chunkCount = 0;
    let tokens = 0;
    let unseen = 0;
    let groups = 0;
    for (let generation = -1; generation !== table.generation; ) {
      generation = table.generation;
      chunkCount = tokens = unseen = groups = 0;
      let start = messageStart;
      while (start < length) {
        while (start < length && isSpace(units[start]!)) start++;
        if (start === length) break;
        // FNV-1a of the chunk's digit shape, computed on the way.
        let shapeHash = 0x811c9dc5;
        let digits = false;
        let end = start;
        for (; end < length; end++) {
          const code = units[end]!;
          if (code >= 48 && code <= 57) {
            digits = true;
            shapeHash = Math.imul(shapeHash ^ (code === 48 && isHexPrefix(units, end) ? 48 : 49), 0x01000193); // shapeCode
          } else {
            if ((code <= 32 || code >= 128) && isSpace(code)) break;
            shapeHash = Math.imul(shapeHash ^ code, 0x01000193);
          }
        }
        const entry = this.chunk(units, start, end, shapeHash >>> 0, digits);
        start = end;
        if (chunkCount === this.lineKey.length) this.lineKey = grown(this.lineKey, chunkCount + 16);
        this.lineKey[chunkCount++] = entry;
        tokens += table.count[entry]!;
        unseen += table.unseen[entry]!;
        groups |= table.groups[entry]!;
      }
    }
    if (this.linesGeneration !== table.generation) {
      this.lines.clear(); // its keys name entries of the emptied table
      this.linesGeneration = table.generation;
    }
    const triggers = groups >>> TRIGGER_SHIFT;
    groups &= GROUP_MASK;
    // What the knowledge and the severity add: columns after the chunks' (the order of additions is the row's).
    let extraCount = 0;
    let knowledgeRule: KnowledgeRule | null = null;
    if (this.knowledge) {
      const result = this.knowledge.analyze(message, triggers);
      severity ??= result.severity;
      knowledgeRule = result.rule;
      for (const token of this.knowledge.tokensOf(result)) {
        let col = this.knowledgeColumns.get(token);
        if (col === undefined) this.knowledgeColumns.set(token, (col = this.pipeline.word.column(token) ?? -1));
        if (col >= 0) extraCount = this.pushExtra(extraCount, col);
      }
    }
    if (severity && this.pipeline.config.severity) {
      let col = this.severityColumns.get(severity);
      if (col === undefined) this.severityColumns.set(severity, (col = this.pipeline.word.column(severityToken(severity)) ?? -1));
      if (col >= 0) extraCount = this.pushExtra(extraCount, col);
    }
    const decision = knowledgeRule && this.knowledgeDecision(knowledgeRule);
    const row = this.row;
    // The line's key: its entries, −1, the extra columns, −1, the knowledge rule's id (−1: none).
    let keyLength = chunkCount;
    let hash = 0;
    if (!sorted) {
      if (this.lineKey.length < chunkCount + extraCount + 3) this.lineKey = grown(this.lineKey, chunkCount + extraCount + 3);
      const key = this.lineKey;
      key[keyLength++] = -1;
      for (let x = 0; x < extraCount; x++) key[keyLength++] = this.extra[x]!;
      key[keyLength++] = -1;
      key[keyLength++] = decision ? this.ruleIds.get(decision)! : -1;
      hash = 0x811c9dc5;
      for (let j = 0; j < keyLength; j++) hash = Math.imul(hash ^ key[j]!, 0x01000193);
      const found = this.lines.find(key, keyLength, hash);
      if (found >= 0) {
        this.lines.load(found, row);
        row.memo = found;
        return row;
      }
    }
    // Pass 2: the row's counts, chunk by chunk.
    const bigrams = this.pipeline.config.wordNgramRange[1] === 2;
    this.touchedCount = 0;
    let previous = -1;
    let counted = 0;
    let ruleTokenCount = 0;
    let ruleStarted = false;
    for (let c = 0; c < chunkCount; c++) {
      const entry = this.lineKey[c]!;
      const from = table.first[entry]!;
      const to = from + table.count[entry]!;
      if (from === to) continue;
      // Only the first token pairs across chunks; the chunk's own bigrams were looked up when it was analyzed.
      if (bigrams && counted > 0) {
        const pair = this.index.bigram(previous, table.ids[from]!);
        if (pair >= 0) this.add(pair);
      }
      for (let p = from; p < to; p++) {
        const col = table.unigrams[p]!;
        if (col >= 0) this.add(col);
        if (bigrams && p > from) {
          const pair = table.bigrams[p]!;
          if (pair >= 0) this.add(pair);
        }
      }
      previous = table.ids[to - 1]!;
      counted += to - from;
      // A match starts at a pattern's first word: the tokens before the first chunk holding one cannot matter.
      if (this.rules && (ruleStarted || table.startsRule[entry] === 1)) {
        ruleStarted = true;
        ruleTokenCount = this.appendRuleTokens(table.ruleTokens, from, to, ruleTokenCount);
      }
    }
    for (let g = 0; groups !== 0; g++, groups >>>= 1) if (groups & 1 && this.groupColumns[g]! >= 0) this.add(this.groupColumns[g]!);
    for (let x = 0; x < extraCount; x++) this.add(this.extra[x]!);
    const touchedCount = this.touchedCount;

    if (row.cols.length < touchedCount) {
      row.cols = new Int32Array(2 * touchedCount);
      row.values = new Float64Array(2 * touchedCount);
    }
    const cols = this.touched;
    if (sorted) sortPrefix(cols, touchedCount);
    let norm = 0;
    for (let p = 0; p < touchedCount; p++) {
      const col = cols[p]!;
      const count = this.counts[col]!;
      this.counts[col] = 0;
      const value = (this.sublinear ? (count < SUBLINEAR_TF.length ? SUBLINEAR_TF[count]! : 1 + Math.log(count)) : count) * this.idf[col]!;
      row.cols[p] = col;
      row.values[p] = value;
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let p = 0; p < touchedCount; p++) row.values[p] = row.values[p]! / norm;
    row.nnz = touchedCount;
    row.tokens = tokens;
    row.unseenTokens = unseen;
    row.rule = decision || (ruleStarted ? this.rules!.match(this.lineRuleTokens, ruleTokenCount) : null);
    row.memo = sorted ? -1 : this.lines.insert(this.lineKey, keyLength, hash, row);
    return row;
  }

  private pushExtra(count: number, col: number): number {
    if (count === this.extra.length) this.extra = grown(this.extra, count + 4);
    this.extra[count] = col;
    return count + 1;
  }

  /** Copies the stored class scores of row's line to out[offset …]; false when there are none (yet). */
  loadScores(row: SparseRow, out: Float64Array, offset: number): boolean {
    return row.memo >= 0 && this.lines.loadScores(row.memo, out, offset);
  }

  /** Keeps the class scores of row's line (computed by the caller from this row) for the next line of its key. */
  storeScores(row: SparseRow, scores: Float64Array, offset: number): void {
    if (row.memo >= 0) this.lines.storeScores(row.memo, scores, offset);
  }

  private knowledgeDecision(rule: KnowledgeRule): { label: number; rule: string } | null {
    let decision = this.knowledgeDecisions.get(rule.rule);
    if (decision === undefined) {
      const label = this.classes.indexOf(rule.label);
      this.knowledgeDecisions.set(rule.rule, (decision = label < 0 ? null : Object.freeze({ label, rule: rule.rule })));
      if (decision) this.ruleIds.set(decision, this.ruleIds.size);
    }
    return decision;
  }
}
