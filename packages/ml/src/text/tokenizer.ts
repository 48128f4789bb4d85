/**
 * Tokenizer for masked log messages. Lower-cases, keeps placeholder tokens (`<ip>`) whole, keeps words of two or
 * more letters/digits (the same rule as scikit-learn's default token_pattern `\b\w\w+\b`), and drops English stop
 * words from natural's list — except the ones that carry a log's meaning (`cannot`, `never`, `out` of memory,
 * link `up`, `over` threshold, try `again`). Optional Porter stemming (natural) folds failed/failure/fails.
 *
 * natural is loaded by file (its stop-word list and Porter stemmer only): its index module pulls in every
 * storage backend, takes about a second to import and prints dotenv banners on stdout, which would corrupt the
 * JSON lines `classify` writes there.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const naturalStopwords = (require('natural/lib/natural/util/stopwords.js') as { words: string[] }).words;
const porterStemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(token: string): string };

/** Stop words in natural's English list that decide a log line's class; they must survive. */
export const LOG_KEEP_WORDS: ReadonlySet<string> = new Set([
  'cannot', 'never', 'out', 'over', 'up', 'under', 'again', 'more', 'before', 'after', 'until', 'off', 'no', 'not',
]);

export const LOG_STOP_WORDS: ReadonlySet<string> = new Set(naturalStopwords.filter((w) => !LOG_KEEP_WORDS.has(w)));

export interface TokenizerOptions {
  /** Drop LOG_STOP_WORDS (default true). */
  stopWords?: boolean;
  /** Porter-stem every word token (placeholders excluded; default false). */
  stem?: boolean;
}

const TOKEN = /<[a-z]+>|[\p{L}\p{N}_]{2,}/gu;

export class LogTokenizer {
  private readonly stopWords: boolean;
  private readonly stem: boolean;
  // Log vocabularies are small and repetitive: caching stems makes stemming nearly free after warm-up.
  private readonly stemCache = new Map<string, string>();

  constructor(options: TokenizerOptions = {}) {
    this.stopWords = options.stopWords ?? true;
    this.stem = options.stem ?? false;
  }

  tokenize(text: string): string[] {
    const tokens: string[] = [];
    for (const match of text.toLowerCase().matchAll(TOKEN)) {
      const token = match[0];
      if (this.stopWords && LOG_STOP_WORDS.has(token)) continue;
      tokens.push(this.stem && token.charCodeAt(0) !== 60 /* < */ ? this.stemmed(token) : token);
    }
    return tokens;
  }

  private stemmed(token: string): string {
    let stem = this.stemCache.get(token);
    if (stem === undefined) {
      stem = porterStemmer.stem(token);
      if (this.stemCache.size < 100_000) this.stemCache.set(token, stem);
    }
    return stem;
  }
}
