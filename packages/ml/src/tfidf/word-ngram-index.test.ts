import { describe, expect, it } from 'vitest';
import { wordNgrams } from './ngrams.ts';
import { TfidfVectorizer } from './tfidf-vectorizer.ts';
import { WordNgramIndex } from './word-ngram-index.ts';

describe('WordNgramIndex', () => {
  const docs = [['disk', 'full', 'on', 'sda'], ['disk', 'error'], ['link', 'up'], ['full', 'disk']].map((t) => wordNgrams(t, 1, 2));
  // max_features cuts some unigrams while keeping bigrams that contain them: the index must still find those.
  const vectorizer = new TfidfVectorizer({ maxFeatures: 9 }).fit(docs);
  const index = new WordNgramIndex(vectorizer);

  it('finds exactly the columns the string lookup finds', () => {
    for (const tokens of [['disk', 'full'], ['full', 'disk', 'error'], ['link', 'up', 'sda'], ['zzz', 'disk'], ['on', 'sda']]) {
      const expected = wordNgrams(tokens, 1, 2).map((t) => vectorizer.column(t) ?? -1);
      const ids = tokens.map((t) => index.id(t));
      const found = [...ids.map((id) => index.unigram(id)), ...ids.slice(1).map((id, i) => index.bigram(ids[i]!, id))];
      expect(found).toEqual(expected);
    }
  });

  it('knows no id for a token no term contains', () => {
    expect(index.id('nowhere')).toBe(-1);
    expect(index.unigram(-1)).toBe(-1);
    expect(index.bigram(-1, index.id('disk'))).toBe(-1);
  });
});
