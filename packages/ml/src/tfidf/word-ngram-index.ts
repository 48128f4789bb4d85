/**
 * A fitted word 1–2-gram vocabulary compiled for fast lookup: every unigram that appears in the vocabulary (alone or
 * inside a bigram) gets an integer id, and a bigram's column is found by the pair of ids (one number key) instead of
 * by building the string `a b` for every adjacent pair of tokens. Gives exactly the columns that
 * `vocabulary.get(wordNgrams(tokens, 1, 2)[…])` gives (tested), at a fraction of the cost.
 */
import type { TfidfVectorizer } from './tfidf-vectorizer.ts';

/** Ids stay below 2^21, so id1 · 2^21 + id2 is an exact double. */
const PAIR = 2 ** 21;

export class WordNgramIndex {
  private readonly ids = new Map<string, number>();
  /** unigramColumn[id]: the unigram's column, or −1 when only bigrams contain it. */
  private unigramColumn: Int32Array;
  private readonly bigramColumn = new Map<number, number>();
  /** Bigram key = first · stride + second; stride = the number of ids, so keys of a 10k vocabulary stay small integers. */
  private readonly stride: number;

  constructor(vectorizer: TfidfVectorizer) {
    const unigram: number[] = [];
    const idOf = (token: string): number => {
      let id = this.ids.get(token);
      if (id === undefined) {
        id = this.ids.size;
        if (id >= PAIR) throw new Error('WordNgramIndex: more than 2^21 distinct unigrams');
        this.ids.set(token, id);
        unigram.push(-1);
      }
      return id;
    };
    const bigrams: [number, number, number][] = [];
    vectorizer.featureNames.forEach((term, column) => {
      const space = term.indexOf(' ');
      if (space < 0) unigram[idOf(term)] = column;
      else if (term.indexOf(' ', space + 1) < 0) bigrams.push([idOf(term.slice(0, space)), idOf(term.slice(space + 1)), column]);
      // Longer n-grams are not indexed: this serves 1–2-gram vocabularies only (see FastRows.supports).
    });
    this.stride = Math.max(1, this.ids.size);
    for (const [first, second, column] of bigrams) this.bigramColumn.set(first * this.stride + second, column);
    this.unigramColumn = Int32Array.from(unigram);
  }

  /** Id of a token, or −1 when no term of the vocabulary contains it. */
  id(token: string): number {
    return this.ids.get(token) ?? -1;
  }

  /** Column of the unigram with this id (−1: none). */
  unigram(id: number): number {
    return id < 0 ? -1 : this.unigramColumn[id]!;
  }

  /** Column of the bigram (first, second) by ids (−1: none). */
  bigram(first: number, second: number): number {
    if (first < 0 || second < 0) return -1;
    return this.bigramColumn.get(first * this.stride + second) ?? -1;
  }
}
