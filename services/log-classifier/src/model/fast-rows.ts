/**
 * The classification fast path: a message → its TF-IDF row (the same columns and values as
 * FeaturePipeline.transformAnalyzed, tested) without building n-gram strings or a CSR matrix:
 * - the message (header stripped) is cut at whitespace into chunks; no mask and no token spans whitespace, so a
 *   chunk's masked tokens do not depend on its neighbours, and each distinct chunk is masked, tokenized and turned
 *   into integer token ids once, then memoized (log words, hosts and ports recur; counters do not, and cost a
 *   short mask);
 * - bigrams are looked up by the pair of ids (WordNgramIndex), counts live in one reused array.
 * Serves word 1–2-gram pipelines without character n-grams (the default); FastRows.supports says when.
 */
import { extractMessage, maskLogMessage, WordNgramIndex } from '@aiops/ml';
import { LEXICON_TOKENS } from './lexicon.ts';
import { severityToken, type FeaturePipeline } from './features.ts';

/** What one whitespace-separated chunk contributes: its token ids, keyword groups and unseen tokens. */
interface Chunk {
  ids: Int32Array;
  groups: number;
  unseen: number;
  /** Some digit of the chunk survived masking into a token (`abc7`, `ssh2`). */
  keepsDigits: boolean;
}

const hasDigit = (token: string): boolean => /\d/.test(token);

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The chunk with every digit 1–9 written 1, and 0 too unless it is followed by x/X. No mask tells digits apart
 * except `0x…` hex, so two chunks of one shape are masked at the same places; when no digit survives masking, they
 * give the same tokens, and `10.0.0.7:8080` can reuse the work done for `10.0.0.1:8081`.
 */
function digitShape(chunk: string): string {
  let shape = '';
  let changed = false;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const next = chunk.charCodeAt(i + 1);
      const keepZero = c === 48 && (next === 120 || next === 88);
      if (!keepZero && c !== 49) changed = true;
      shape += keepZero ? '0' : '1';
    } else shape += chunk[i];
  }
  return changed ? shape : chunk;
}

const CHUNK_MEMO_LIMIT = 100_000;
/** 1 + ln(count) for the small counts nearly every term has. */
const SUBLINEAR_TF = Float64Array.from({ length: 16 }, (_, count) => 1 + Math.log(count));
const TABLE_SIZE = 1 << 18; // a power of two, > 2 × CHUNK_MEMO_LIMIT: probe runs stay short

/**
 * Chunk text → Chunk, looked up by (text, start, end) and a hash computed while scanning: a hit needs no substring
 * (no allocation, no re-hashing), which is most of the cost of a Map<string, …> here. Open addressing, linear probe;
 * emptied when full, like a cache.
 */
class ChunkTable {
  // Packed arrays ('' = empty slot: a chunk is never empty); `new Array(n)` this large would be a slow dictionary.
  private keys: string[] = Array.from({ length: TABLE_SIZE }, () => '');
  private values: (Chunk | null)[] = Array.from({ length: TABLE_SIZE }, () => null);
  private size = 0;

  find(text: string, start: number, end: number, hash: number): Chunk | undefined {
    const length = end - start;
    for (let i = hash & (TABLE_SIZE - 1); ; i = (i + 1) & (TABLE_SIZE - 1)) {
      const key = this.keys[i]!;
      if (key.length === 0) return undefined;
      if (key.length === length && text.startsWith(key, start)) return this.values[i]!;
    }
  }

  insert(key: string, hash: number, value: Chunk): void {
    if (this.size >= CHUNK_MEMO_LIMIT) this.clear();
    let i = hash & (TABLE_SIZE - 1);
    while (this.keys[i]!.length !== 0) i = (i + 1) & (TABLE_SIZE - 1);
    this.keys[i] = key;
    this.values[i] = value;
    this.size++;
  }

  clear(): void {
    if (this.size === 0) return;
    this.keys.fill('');
    this.values.fill(null);
    this.size = 0;
  }
}
const NON_ASCII_SPACE = /\s/;

/** `\s` of a regular expression, by character code (ASCII by table). */
function isSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return NON_ASCII_SPACE.test(String.fromCharCode(code));
}

/** One featurized row: its first nnz entries, columns increasing. Reused between calls: copy what you keep. */
export interface SparseRow {
  nnz: number;
  cols: Int32Array;
  values: Float64Array;
  /** Word tokens of the line, and how many of them have no unigram column (drift signal). */
  tokens: number;
  unseenTokens: number;
}

export class FastRows {
  private readonly index: WordNgramIndex;
  private readonly counts: Int32Array;
  private readonly idf: Float64Array;
  private readonly sublinear: boolean;
  private touched = new Int32Array(256);
  private touchedCount = 0;
  private readonly chunks = new ChunkTable();
  private readonly groupColumns: Int32Array;
  private readonly severityColumns = new Map<string, number>();
  readonly row: SparseRow = { nnz: 0, cols: new Int32Array(256), values: new Float64Array(256), tokens: 0, unseenTokens: 0 };

  static supports(pipeline: FeaturePipeline): boolean {
    const [min, max] = pipeline.config.wordNgramRange;
    return pipeline.char === null && min === 1 && max <= 2;
  }

  constructor(private readonly pipeline: FeaturePipeline) {
    if (!FastRows.supports(pipeline)) throw new Error('FastRows: only word 1–2-gram pipelines without character n-grams');
    this.index = new WordNgramIndex(pipeline.word);
    this.counts = new Int32Array(pipeline.word.featureCount);
    this.idf = pipeline.word.idfWeights;
    this.sublinear = pipeline.word.toJSON().sublinearTf;
    this.groupColumns = Int32Array.from(LEXICON_TOKENS, (t) => pipeline.word.column(t) ?? -1);
  }

  /** Forgets the memoized chunks (benchmarks measure a cold start with it). */
  clearMemo(): void {
    this.chunks.clear();
  }

  private chunk(text: string, start: number, end: number, hash: number): Chunk {
    const known = this.chunks.find(text, start, end, hash);
    if (known !== undefined) return known;
    const key = text.slice(start, end);
    const shape = digitShape(key);
    if (shape !== key) {
      const shapeHash = fnv1a(shape);
      const byShape = this.chunks.find(shape, 0, shape.length, shapeHash);
      if (byShape !== undefined) return byShape;
      const chunk = this.analyze(key);
      // Only a chunk whose digits were all masked away may stand for its shape (see digitShape).
      if (!chunk.keepsDigits) this.chunks.insert(shape, shapeHash, chunk);
      else this.chunks.insert(key, hash, chunk);
      return chunk;
    }
    const chunk = this.analyze(key);
    this.chunks.insert(key, hash, chunk);
    return chunk;
  }

  private analyze(key: string): Chunk {
    const tokens = this.pipeline.tokenize(this.pipeline.config.mask ? maskLogMessage(key) : key);
    const ids = Int32Array.from(tokens, (t) => this.index.id(t));
    let unseen = 0;
    for (const id of ids) if (this.index.unigram(id) < 0) unseen++;
    return { ids, groups: this.pipeline.lexicon ? this.pipeline.lexicon.maskOf(tokens) : 0, unseen, keepsDigits: tokens.some(hasDigit) };
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

  /** Featurizes one sanitized message (severity already normalized, or undefined) into this.row. */
  featurize(message: string, severity: string | undefined): SparseRow {
    const text = this.pipeline.config.mask ? extractMessage(message) : message;
    this.touchedCount = 0;
    let tokens = 0;
    let unseen = 0;
    let groups = 0;
    const bigrams = this.pipeline.config.wordNgramRange[1] === 2;
    let previous = -1;
    const length = text.length;
    let start = 0;
    while (start < length) {
      while (start < length && isSpace(text.charCodeAt(start))) start++;
      if (start === length) break;
      // FNV-1a of the chunk's UTF-16 units, computed on the way.
      let hash = 0x811c9dc5;
      let end = start;
      for (; end < length; end++) {
        const code = text.charCodeAt(end);
        if (isSpace(code)) break;
        hash = Math.imul(hash ^ code, 0x01000193);
      }
      const chunk = this.chunk(text, start, end, hash >>> 0);
      start = end;
      const ids = chunk.ids;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const col = this.index.unigram(id);
        if (col >= 0) this.add(col);
        if (bigrams && tokens > 0) {
          const pair = this.index.bigram(previous, id);
          if (pair >= 0) this.add(pair);
        }
        previous = id;
        tokens++;
      }
      unseen += chunk.unseen;
      groups |= chunk.groups;
    }
    for (let g = 0; groups !== 0; g++, groups >>>= 1) if (groups & 1 && this.groupColumns[g]! >= 0) this.add(this.groupColumns[g]!);
    if (severity && this.pipeline.config.severity) {
      let col = this.severityColumns.get(severity);
      if (col === undefined) this.severityColumns.set(severity, (col = this.pipeline.word.column(severityToken(severity)) ?? -1));
      if (col >= 0) this.add(col);
    }
    const touchedCount = this.touchedCount;

    const row = this.row;
    if (row.cols.length < touchedCount) {
      row.cols = new Int32Array(2 * touchedCount);
      row.values = new Float64Array(2 * touchedCount);
    }
    const cols = this.touched.subarray(0, touchedCount).sort();
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
    return row;
  }
}
