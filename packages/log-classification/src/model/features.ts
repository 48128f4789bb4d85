/**
 * Line → feature row: clean-up (header strip, masking), tokens, word 1–2-grams and optional char_wb n-grams, each
 * block TF-IDF'd and L2-normalized on its own, then placed side by side (sklearn's FeatureUnion of two vectorizers).
 */
import {
  charWbNgrams,
  extractMessage,
  hstack,
  LogTokenizer,
  maskLogMessage,
  TfidfVectorizer,
  wordNgrams,
  type CsrMatrix,
  type TfidfState,
} from '@aiops/ml';
import { chunkTriggers, LinuxKnowledge, type KnowledgeFile, type KnowledgeParts, type KnowledgeRule } from '../knowledge/linux-knowledge.ts';
import { Lexicon } from './lexicon.ts';

export interface FeatureConfig {
  /** Strip syslog/ISO headers and mask ids, addresses, paths, numbers. */
  mask: boolean;
  /** Drop English stop words except the log-significant ones. */
  stopWords: boolean;
  stem: boolean;
  wordNgramRange: [number, number];
  wordMaxFeatures: number;
  /** null = no character n-grams. */
  charNgramRange: [number, number] | null;
  charMaxFeatures: number;
  /**
   * Add the line's own severity as one token (`__sev_error__`) when it is known; nothing when it is not. Absent in
   * model files written before it existed (= off).
   */
  severity?: boolean;
  /** Add one token per keyword group of the labeling guide the line touches (model/lexicon.ts). Absent = off. */
  lexicon?: boolean;
  /**
   * Field knowledge about Linux logs (knowledge/linux-knowledge.ts): the program and the line's own severity as
   * features, kernel/systemd failure families and fail2ban filters as rules, logcheck's verdict as a feature.
   * Absent in model files written before it existed (= off).
   */
  knowledge?: KnowledgeParts;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  mask: true,
  stopWords: true,
  stem: false,
  wordNgramRange: [1, 2],
  wordMaxFeatures: 10_000,
  // Off by default: +0.1 per-template macro-F1 without the critical threshold, but 5× the training time and
  // little once the threshold is on (docs/evaluation/logs.md, ablation). `train --char-ngrams` turns it on.
  charNgramRange: null,
  charMaxFeatures: 20_000,
  severity: true,
  lexicon: true,
  // Measured part by part, leaving one source of data/linux-logs out (docs/evaluation/logs.md, "Linux servers"):
  // logcheck's verdict as a feature costs half the classify throughput and lowered macro-F1 (0.875 → 0.868): off.
  // The header part gives the line's own severity; the program as a feature is off (PROGRAM_FEATURE).
  knowledge: { header: true, families: true, fail2ban: true, logcheck: false },
};

/** The feature token of a severity level. */
export const severityToken = (level: string): string => `__sev_${level}__`;

export interface AnalyzedMessage {
  /** The text the model actually sees (after clean-up and masking). */
  normalized: string;
  tokens: string[];
  words: string[];
  chars: string[];
  /** The knowledge rule (kernel/systemd family, fail2ban filter) the line matches, or null. */
  knowledgeRule: KnowledgeRule | null;
}

export class FeaturePipeline {
  private readonly tokenizer: LogTokenizer;
  readonly lexicon: Lexicon | null;
  /** The field knowledge, when config.knowledge switches some of it on. */
  readonly knowledge: LinuxKnowledge | null;
  word: TfidfVectorizer;
  char: TfidfVectorizer | null;

  /** `knowledgeFile`: the logcheck and fail2ban patterns (data/knowledge/linux-kb.json), when those parts are on. */
  constructor(
    readonly config: FeatureConfig,
    state?: { word: TfidfState; char: TfidfState | null },
    knowledgeFile: KnowledgeFile | null = null,
  ) {
    this.tokenizer = new LogTokenizer({ stopWords: config.stopWords, stem: config.stem });
    this.lexicon = config.lexicon ? new Lexicon() : null;
    this.knowledge = knowledgeFor(config.knowledge, knowledgeFile);
    this.word = state ? TfidfVectorizer.fromJSON(state.word) : new TfidfVectorizer({ maxFeatures: config.wordMaxFeatures, sublinearTf: true });
    this.char =
      config.charNgramRange === null
        ? null
        : state?.char
          ? TfidfVectorizer.fromJSON(state.char)
          : new TfidfVectorizer({ maxFeatures: config.charMaxFeatures, sublinearTf: true });
  }

  normalize(message: string): string {
    return this.config.mask ? maskLogMessage(extractMessage(message)) : message;
  }

  /** Word tokens of a normalized message. */
  tokenize(normalized: string): string[] {
    return this.tokenizer.tokenize(normalized);
  }

  /** The extra tokens beside the n-grams: keyword groups of the tokens, then the severity's token. */
  extraTokens(tokens: readonly string[], severity: string | undefined): string[] {
    const extra = this.lexicon ? this.lexicon.tokensFor(tokens) : [];
    if (this.config.severity && severity) extra.push(severityToken(severity));
    return extra;
  }

  /**
   * `severity`: the line's own, already normalized (normalizeSeverity), or undefined when unknown; with the knowledge
   * header part on, a severity the line carries itself (`<3>`, `kern.crit`, PRIORITY) stands in for a missing one.
   */
  analyze(message: string, severity?: string): AnalyzedMessage {
    const normalized = this.normalize(message);
    const tokens = this.tokenizer.tokenize(normalized);
    const [wMin, wMax] = this.config.wordNgramRange;
    const range = this.config.charNgramRange;
    const words = wordNgrams(tokens, wMin, wMax);
    let knowledgeRule: KnowledgeRule | null = null;
    let knowledgeTokens: readonly string[] = [];
    if (this.knowledge) {
      // The same triggers as the fast path's: its chunks are the message's whitespace-separated pieces.
      const result = this.knowledge.analyze(message, chunkTriggers(this.config.mask ? extractMessage(message) : message));
      severity ??= result.severity;
      knowledgeRule = result.rule;
      knowledgeTokens = this.knowledge.tokensOf(result);
    }
    words.push(...this.extraTokens(tokens, severity), ...knowledgeTokens);
    return {
      normalized,
      tokens,
      words,
      chars: range ? charWbNgrams(normalized.toLowerCase(), range[0], range[1]) : [],
      knowledgeRule,
    };
  }

  fit(messages: readonly string[]): this {
    return this.fitAnalyzed(messages.map((m) => this.analyze(m)));
  }

  /** Fits the vocabularies on messages analyzed beforehand (analysis does not depend on the vocabulary). */
  fitAnalyzed(analyzed: readonly AnalyzedMessage[]): this {
    this.word.fit(analyzed.map((a) => a.words));
    this.char?.fit(analyzed.map((a) => a.chars));
    return this;
  }

  transformAnalyzed(analyzed: readonly AnalyzedMessage[]): CsrMatrix {
    const words = this.word.transform(analyzed.map((a) => a.words));
    return this.char ? hstack([words, this.char.transform(analyzed.map((a) => a.chars))]) : words;
  }

  transform(messages: readonly string[]): CsrMatrix {
    return this.transformAnalyzed(messages.map((m) => this.analyze(m)));
  }

  get featureCount(): number {
    return this.word.featureCount + (this.char?.featureCount ?? 0);
  }

  /** Human-readable name of feature column j (char n-grams quoted, to tell them from words). */
  featureName(j: number): string {
    const w = this.word.featureCount;
    return j < w ? this.word.featureNames[j]! : `"${this.char!.featureNames[j - w]!}"`;
  }

  toJSON(): { word: TfidfState; char: TfidfState | null } {
    return { word: this.word.toJSON(), char: this.char?.toJSON() ?? null };
  }
}

/** One LinuxKnowledge per (parts, file): compiling the patterns once serves every pipeline of a training run. */
const knowledgeCache = new WeakMap<object, Map<string, LinuxKnowledge>>();
const NO_FILE = {};

function knowledgeFor(parts: KnowledgeParts | undefined, file: KnowledgeFile | null): LinuxKnowledge | null {
  if (!parts || !(parts.header || parts.families || parts.fail2ban || parts.logcheck)) return null;
  const key = JSON.stringify(parts);
  const byParts = knowledgeCache.get(file ?? NO_FILE) ?? new Map<string, LinuxKnowledge>();
  knowledgeCache.set(file ?? NO_FILE, byParts);
  let knowledge = byParts.get(key);
  if (!knowledge) byParts.set(key, (knowledge = new LinuxKnowledge(file, parts)));
  return knowledge;
}
