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
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Whether the UTF-16 unit at i starts a word character (ASCII by table, the rest by Unicode property). */
function isWordChar(text: string, code: number, i: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95 || (code >= 65 && code <= 90);
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i)!));
}

export class LogTokenizer {
  private readonly stopWords: boolean;
  private readonly stem: boolean;
  // Log vocabularies are small and repetitive: caching stems makes stemming nearly free after warm-up.
  private readonly stemCache = new Map<string, string>();

  constructor(options: TokenizerOptions = {}) {
    this.stopWords = options.stopWords ?? true;
    this.stem = options.stem ?? false;
  }

  /** Tokens of a text: the TOKEN pattern, found by a character scan (no regex per token; tokenizeByRegex agrees). */
  tokenize(text: string): string[] {
    const lower = text.toLowerCase();
    const tokens: string[] = [];
    const n = lower.length;
    let i = 0;
    while (i < n) {
      const c = lower.charCodeAt(i);
      if (c === 60 /* < */) {
        // A placeholder `<[a-z]+>` is one token; otherwise `<` is a separator.
        let j = i + 1;
        while (j < n && lower.charCodeAt(j) >= 97 && lower.charCodeAt(j) <= 122) j++;
        if (j > i + 1 && j < n && lower.charCodeAt(j) === 62 /* > */) {
          tokens.push(lower.slice(i, j + 1));
          i = j + 1;
          continue;
        }
        i++;
        continue;
      }
      if (!isWordChar(lower, c, i)) {
        i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        continue;
      }
      let j = i;
      let chars = 0;
      while (j < n) {
        const d = lower.charCodeAt(j);
        if (!isWordChar(lower, d, j)) break;
        j += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
        chars++;
      }
      if (chars >= 2) this.push(tokens, lower.slice(i, j));
      i = j;
    }
    return tokens;
  }

  /** The same tokens by the TOKEN regex (the reference the scan is tested against). */
  tokenizeByRegex(text: string): string[] {
    const tokens: string[] = [];
    for (const match of text.toLowerCase().matchAll(TOKEN)) this.push(tokens, match[0]);
    return tokens;
  }

  private push(tokens: string[], token: string): void {
    if (this.stopWords && LOG_STOP_WORDS.has(token)) return;
    tokens.push(this.stem && token.charCodeAt(0) !== 60 /* < */ ? this.stemmed(token) : token);
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
