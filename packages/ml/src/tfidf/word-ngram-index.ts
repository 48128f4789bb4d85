/**
 * A fitted word 1–2-gram vocabulary compiled for fast lookup: every unigram that appears in the vocabulary (alone or
 * inside a bigram) gets an integer id, and a bigram's column is found by the pair of ids (one number key) instead of
 * by building the string `a b` for every adjacent pair of tokens, in a typed-array hash table. Gives exactly the columns that
 * `vocabulary.get(wordNgrams(tokens, 1, 2)[…])` gives (tested), at a fraction of the cost.
 */
import type { TfidfVectorizer } from './tfidf-vectorizer.ts';

/** A sanity bound on distinct unigrams (ids are Int32 table entries). */
const PAIR = 2 ** 21;

/** Mixes two ids into a slot hash (multiplicative; ids are dense small integers, so plain sums would cluster). */
function pairHash(first: number, second: number): number {
  const h = Math.imul(first, 0x9e3779b1) ^ Math.imul(second, 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}

export class WordNgramIndex {
  private readonly ids = new Map<string, number>();
  /** unigramColumn[id]: the unigram's column, or −1 when only bigrams contain it. */
  private unigramColumn: Int32Array;
  /**
   * Bigram table: open addressing with linear probing in typed arrays (a Map<number, number> lookup was the top
   * per-pair cost). Slot i holds (pairFirst[i], pairSecond[i]) → pairColumn[i]; pairFirst −1 = empty. At most half full.
   */
  private readonly pairFirst: Int32Array;
  private readonly pairSecond: Int32Array;
  private readonly pairColumn: Int32Array;
  private readonly pairMask: number;

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
    let size = 16;
    while (size < 2 * bigrams.length) size *= 2;
    this.pairMask = size - 1;
    this.pairFirst = new Int32Array(size).fill(-1);
    this.pairSecond = new Int32Array(size);
    this.pairColumn = new Int32Array(size);
    for (const [first, second, column] of bigrams) {
      let i = pairHash(first, second) & this.pairMask;
      while (this.pairFirst[i] !== -1 && !(this.pairFirst[i] === first && this.pairSecond[i] === second)) i = (i + 1) & this.pairMask;
      this.pairFirst[i] = first;
      this.pairSecond[i] = second;
      this.pairColumn[i] = column;
    }
    this.unigramColumn = Int32Array.from(unigram);
  }

  /** The tokens that have an id (every word of the vocabulary's terms), in id order. */
  tokens(): IterableIterator<string> {
    return this.ids.keys();
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
    const mask = this.pairMask;
    const firsts = this.pairFirst;
    for (let i = pairHash(first, second) & mask; ; i = (i + 1) & mask) {
      const f = firsts[i]!;
      if (f === -1) return -1;
      if (f === first && this.pairSecond[i] === second) return this.pairColumn[i]!;
    }
  }
}
