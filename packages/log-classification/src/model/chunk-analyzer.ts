/**
 * A chunk miss of FastRows (./fast-rows.ts): a whitespace-free chunk of a message → its masked tokens as ids,
 * unigram and in-chunk bigram columns, guide-rule word ids, keyword groups and knowledge triggers (ChunkAnalysis),
 * the same tokens as FeaturePipeline's tokenizer gives (tested). An ASCII chunk's tokens are cut here and found in
 * the token table (./token-table.ts) by their units; a chunk with other units goes through the tokenizer's strings.
 */
import { maskLogChunkForTokens, type WordNgramIndex } from '@aiops/ml';
import { chunkTriggers, type LinuxKnowledge } from '../knowledge/linux-knowledge.ts';
import type { ChunkAnalysis } from './chunk-table.ts';
import type { FeaturePipeline } from './features.ts';
import { PLACEHOLDER, type GuideRules } from './guide-rules.ts';
import { isWordCode, lowerAscii } from './ascii-codes.ts';
import { grown } from './open-slots.ts';
import { TokenTable, tokenHash, type TokenInfo } from './token-table.ts';

/** A token as scanTokens cuts it out of a lower-cased ASCII chunk: a word run, or a placeholder. */
const CUT_TOKEN = /^(?:[a-z0-9_]{2,}|<[a-z]+>)$/;

/** Chunk triggers of the knowledge live above the keyword-group bits of a chunk's `groups`. */
export const TRIGGER_SHIFT = 20;

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return false;
  return true;
}

function isLowerLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

export class ChunkAnalyzer {
  private readonly tokens = new TokenTable();
  private readonly knowledge: LinuxKnowledge | null;
  private readonly analysis: ChunkAnalysis = {
    length: 0,
    ids: new Int32Array(64),
    unigrams: new Int32Array(64),
    bigrams: new Int32Array(64),
    ruleTokens: new Int32Array(64),
    startsRule: false,
    groups: 0,
    unseen: 0,
    keepsDigits: false,
  };

  constructor(
    private readonly pipeline: FeaturePipeline,
    private readonly index: WordNgramIndex,
    private readonly rules: GuideRules | null,
  ) {
    this.knowledge = pipeline.knowledge;
    this.storeVocabulary();
  }

  /**
   * Stores what each word of the vocabulary gives (tokenInfo), sealed in the token table: a word the model knows is
   * then found on its first chunk miss, where ~40 % of a cold batch pass's token misses were such words, each
   * tokenized and looked up in three maps (~1 µs). Only words the ASCII scan can cut (a run of 2+ word characters,
   * or a placeholder) are stored; an entry is exactly what a miss of that word would have stored.
   */
  private storeVocabulary(): void {
    const table = this.tokens;
    for (const token of this.index.tokens()) {
      if (!CUT_TOKEN.test(token)) continue;
      const hash = tokenHash(token, 0, token.length);
      if (table.find(token, 0, token.length, hash) < 0) table.insert(token, 0, token.length, hash, this.tokenInfo(token));
    }
    table.seal();
  }

  /** Forgets the memoized tokens (with FastRows' other memos: benchmarks measure a cold start). */
  clear(): void {
    this.tokens.clear();
  }

  /** The analysis of one chunk (a reused scratch object: the caller copies what it keeps). */
  analyze(key: string): ChunkAnalysis {
    // Tokens only: the replacements' spaces need no collapse (maskLogChunkForTokens).
    const masked = this.pipeline.config.mask ? maskLogChunkForTokens(key) : key;
    const a = this.analysis;
    // Plain loops into reused arrays: typed-array from/map/filter with callbacks, and a few small arrays per miss,
    // cost more than the rest of a miss.
    a.length = 0;
    a.unseen = 0;
    a.keepsDigits = false;
    a.startsRule = false;
    const groups = isAscii(masked) ? this.scanTokens(masked) : this.analyzeTokens(this.pipeline.tokenize(masked));
    a.groups = groups | (this.knowledge ? chunkTriggers(key) << TRIGGER_SHIFT : 0);
    return a;
  }

  /**
   * The tokens of an ASCII chunk through the token table (./token-table.ts), cut as LogTokenizer.tokenize cuts
   * them (tested): a placeholder `<[a-z]+>` (after lower-casing), or a run of 2+ word characters [A-Za-z0-9_];
   * anything else separates. Returns the chunk's keyword groups.
   */
  private scanTokens(masked: string): number {
    const table = this.tokens;
    const n = masked.length;
    let groups = 0;
    for (let i = 0; i < n; ) {
      const c = masked.charCodeAt(i);
      let end: number;
      if (c === 60 /* < */) {
        let j = i + 1;
        while (j < n && isLowerLetter(lowerAscii(masked.charCodeAt(j)))) j++;
        if (!(j > i + 1 && j < n && masked.charCodeAt(j) === 62) /* > */) {
          i++;
          continue;
        }
        end = j + 1;
      } else if (isWordCode(c)) {
        let j = i + 1;
        while (j < n && isWordCode(masked.charCodeAt(j))) j++;
        if (j - i < 2) {
          i = j;
          continue;
        }
        end = j;
      } else {
        i++;
        continue;
      }
      const hash = tokenHash(masked, i, end);
      let e = table.find(masked, i, end, hash);
      if (e < 0) e = table.insert(masked, i, end, hash, this.tokenInfo(masked.slice(i, end).toLowerCase()));
      if (table.kept[e] === 1) {
        this.pushToken(table.ids[e]!, table.unigrams[e]!, table.ruleTokens[e]!, table.startsRule[e] === 1, table.hasDigit[e] === 1);
        groups |= table.groups[e]!;
      }
      i = end;
    }
    return groups;
  }

  /** What one raw token (lower-cased; a word run or a placeholder) gives: the tokenizer keeps it (stemmed) or drops it. */
  private tokenInfo(raw: string): TokenInfo {
    const tokens = this.pipeline.tokenize(raw);
    if (tokens.length !== 1) return { kept: false, id: -1, unigram: -1, ruleToken: PLACEHOLDER, startsRule: false, groups: 0, hasDigit: false };
    const token = tokens[0]!;
    const id = this.index.id(token);
    const ruleToken = this.rules ? this.rules.tokenId(token) : PLACEHOLDER;
    return {
      kept: true,
      id,
      unigram: this.index.unigram(id),
      ruleToken,
      startsRule: this.rules?.startsPattern(ruleToken) ?? false,
      groups: this.pipeline.lexicon ? this.pipeline.lexicon.groupsOf(token) : 0, // the token table is the memo
      hasDigit: hasDigit(token),
    };
  }

  /** The tokens of a chunk tokenized as strings (a chunk with non-ASCII units). Returns its keyword groups. */
  private analyzeTokens(tokens: readonly string[]): number {
    for (const token of tokens) {
      const id = this.index.id(token);
      const ruleToken = this.rules ? this.rules.tokenId(token) : PLACEHOLDER;
      this.pushToken(id, this.index.unigram(id), ruleToken, this.rules?.startsPattern(ruleToken) ?? false, hasDigit(token));
    }
    return this.pipeline.lexicon ? this.pipeline.lexicon.maskOf(tokens) : 0;
  }

  /** Appends one token to this.analysis (its bigram with the token before, within the chunk). */
  private pushToken(id: number, unigram: number, ruleToken: number, startsRule: boolean, digits: boolean): void {
    const a = this.analysis;
    if (a.length === a.ids.length) {
      a.ids = grown(a.ids, a.length + 1);
      a.unigrams = grown(a.unigrams, a.length + 1);
      a.bigrams = grown(a.bigrams, a.length + 1);
      a.ruleTokens = grown(a.ruleTokens, a.length + 1);
    }
    const i = a.length++;
    a.ids[i] = id;
    a.unigrams[i] = unigram;
    a.bigrams[i] = i === 0 ? -1 : this.index.bigram(a.ids[i - 1]!, id);
    a.ruleTokens[i] = ruleToken;
    if (startsRule) a.startsRule = true;
    if (unigram < 0) a.unseen++;
    if (digits) a.keepsDigits = true;
  }
}
