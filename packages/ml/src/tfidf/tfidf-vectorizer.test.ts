import { describe, expect, it } from 'vitest';
import { charWbNgrams, wordNgrams } from './ngrams.ts';
import { TfidfVectorizer } from './tfidf-vectorizer.ts';
import { hstack, selectRows } from './csr.ts';
import { PARITY_DOCS, SKLEARN, sklearnWords } from './sklearn-parity.fixture.ts';

describe('TfidfVectorizer', () => {
  it('matches scikit-learn TfidfVectorizer(ngram_range=(1,2), max_features=12, sublinear_tf=True)', () => {
    const v = new TfidfVectorizer({ maxFeatures: 12, sublinearTf: true });
    const X = v.fitTransform(PARITY_DOCS.map(sklearnWords));
    expect(v.featureNames).toEqual(SKLEARN.vocabulary);
    Array.from(v.idfWeights).forEach((w, i) => expect(w).toBeCloseTo(SKLEARN.idf[i]!, 5));
    expect(Array.from(X.indices.slice(X.indptr[13], X.indptr[14]))).toEqual(SKLEARN.row13.indices);
    Array.from(X.data.slice(X.indptr[13], X.indptr[14])).forEach((d, i) => expect(d).toBeCloseTo(SKLEARN.row13.data[i]!, 5));
  });

  it('keeps the most frequent terms and breaks ties alphabetically', () => {
    const v = new TfidfVectorizer({ maxFeatures: 2 }).fit([['b', 'c', 'a'], ['c', 'd']]);
    expect(v.featureNames).toEqual(['a', 'c']);
  });

  it('applies sublinear tf and L2-normalizes every non-empty row', () => {
    const v = new TfidfVectorizer({ sublinearTf: true }).fit([['a', 'b'], ['a']]);
    const X = v.transform([['a', 'a', 'a', 'b'], ['zzz']]);
    // idf(a) = ln(3/3)+1 = 1, idf(b) = ln(3/2)+1; tf(a) = 1 + ln 3
    const a = 1 + Math.log(3);
    const b = Math.log(1.5) + 1;
    const norm = Math.hypot(a, b);
    expect(Array.from(X.data)).toEqual([a / norm, b / norm].map((x) => expect.closeTo(x, 12)));
    expect(X.indptr[2]! - X.indptr[1]!).toBe(0); // an unseen-only row stays empty instead of dividing by zero
  });

  it('round-trips through JSON', () => {
    const docs = PARITY_DOCS.map(sklearnWords);
    const v = new TfidfVectorizer({ maxFeatures: 10, sublinearTf: true }).fit(docs);
    const copy = TfidfVectorizer.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    expect(copy.transform(docs)).toEqual(v.transform(docs));
  });

  it('rejects a corrupt state', () => {
    expect(() => TfidfVectorizer.fromJSON({ terms: ['a', 'b'], idf: [1], sublinearTf: true, maxFeatures: null })).toThrow(/same length/);
  });
});

describe('n-gram analyzers', () => {
  it('char_wb n-grams equal scikit-learn analyzer="char_wb", ngram_range=(2,3)', () => {
        const v = new TfidfVectorizer().fit(['no space', 'oom kill'].map((t) => charWbNgrams(t, 2, 3)));
    expect(v.featureNames).toEqual(SKLEARN.charWbVocabulary);
  });

  it('word n-grams list unigrams then bigrams', () => {
    expect(wordNgrams(['a', 'b', 'c'], 1, 2)).toEqual(['a', 'b', 'c', 'a b', 'b c']);
    expect(wordNgrams(['a'], 2, 2)).toEqual([]);
  });
});

describe('CSR helpers', () => {
  it('hstack offsets the second block and selectRows reorders', () => {
    const v = new TfidfVectorizer().fit([['x'], ['y']]);
    const A = v.transform([['x'], ['y']]);
    const H = hstack([A, A]);
    expect(H.cols).toBe(4);
    expect(Array.from(H.indices)).toEqual([0, 2, 1, 3]);
    expect(Array.from(selectRows(H, [1]).indices)).toEqual([1, 3]);
  });
});
