/**
 * TF-IDF over pre-analyzed documents (each a list of terms, e.g. from wordNgrams / charWbNgrams), with exactly the
 * arithmetic of scikit-learn's TfidfVectorizer(max_features, sublinear_tf, smooth_idf=True, norm='l2'):
 * - vocabulary: every term of the training documents; when more than maxFeatures, keep the maxFeatures with the
 *   highest total count (ties: alphabetical, since sklearn stable-sorts the alphabetically ordered terms), then
 *   index the kept terms alphabetically;
 * - tf = count, or 1 + ln(count) when sublinear; idf = ln((1 + n) / (1 + df)) + 1; each row scaled to unit L2 norm.
 * Term order compares UTF-16 code units (Python compares code points): the two differ only beyond U+FFFF.
 */
import { CsrBuilder, type CsrMatrix } from './csr.ts';

export interface TfidfOptions {
  maxFeatures?: number;
  sublinearTf?: boolean;
}

export interface TfidfState {
  /** Terms in column order. */
  terms: string[];
  idf: number[];
  sublinearTf: boolean;
  maxFeatures: number | null;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class TfidfVectorizer {
  private vocabulary = new Map<string, number>();
  private terms: string[] = [];
  private idf = new Float64Array(0);

  constructor(private readonly options: TfidfOptions = {}) {}

  get featureCount(): number {
    return this.terms.length;
  }

  get featureNames(): readonly string[] {
    return this.terms;
  }

  get idfWeights(): Float64Array {
    return this.idf;
  }

  /** Column of a term, or undefined when the term is not in the vocabulary. */
  column(term: string): number | undefined {
    return this.vocabulary.get(term);
  }

  fit(documents: readonly (readonly string[])[]): this {
    const totalCount = new Map<string, number>();
    const docFrequency = new Map<string, number>();
    for (const doc of documents) {
      const seen = new Set<string>();
      for (const term of doc) {
        totalCount.set(term, (totalCount.get(term) ?? 0) + 1);
        if (!seen.has(term)) {
          seen.add(term);
          docFrequency.set(term, (docFrequency.get(term) ?? 0) + 1);
        }
      }
    }
    let terms = [...totalCount.keys()].sort(byCodeUnit);
    const limit = this.options.maxFeatures;
    if (limit !== undefined && terms.length > limit) {
      // Array.prototype.sort is stable: equal counts keep their alphabetical order, as sklearn's stable argsort.
      const kept = terms.map((term, i) => ({ term, i, count: totalCount.get(term)! }));
      kept.sort((a, b) => b.count - a.count);
      terms = kept.slice(0, limit).sort((a, b) => a.i - b.i).map((k) => k.term);
    }
    const n = documents.length;
    this.setState(terms, terms.map((t) => Math.log((1 + n) / (1 + docFrequency.get(t)!)) + 1));
    return this;
  }

  transform(documents: readonly (readonly string[])[]): CsrMatrix {
    const builder = new CsrBuilder(this.terms.length, Math.max(16, documents.length * 32));
    const counts = new Map<number, number>();
    for (const doc of documents) {
      counts.clear();
      for (const term of doc) {
        const col = this.vocabulary.get(term);
        if (col !== undefined) counts.set(col, (counts.get(col) ?? 0) + 1);
      }
      const cols = [...counts.keys()].sort((a, b) => a - b);
      const values = cols.map((c) => {
        const count = counts.get(c)!;
        return (this.options.sublinearTf ? 1 + Math.log(count) : count) * this.idf[c]!;
      });
      const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
      for (let i = 0; i < cols.length; i++) builder.push(cols[i]!, norm > 0 ? values[i]! / norm : 0);
      builder.endRow();
    }
    return builder.build();
  }

  fitTransform(documents: readonly (readonly string[])[]): CsrMatrix {
    return this.fit(documents).transform(documents);
  }

  toJSON(): TfidfState {
    return {
      terms: this.terms,
      idf: Array.from(this.idf),
      sublinearTf: this.options.sublinearTf ?? false,
      maxFeatures: this.options.maxFeatures ?? null,
    };
  }

  static fromJSON(state: TfidfState): TfidfVectorizer {
    if (!Array.isArray(state.terms) || !Array.isArray(state.idf) || state.terms.length !== state.idf.length) {
      throw new Error('tf-idf state: terms and idf must be arrays of the same length');
    }
    const vectorizer = new TfidfVectorizer({
      sublinearTf: state.sublinearTf,
      ...(state.maxFeatures === null ? {} : { maxFeatures: state.maxFeatures }),
    });
    vectorizer.setState(state.terms, state.idf);
    return vectorizer;
  }

  private setState(terms: string[], idf: readonly number[]): void {
    this.terms = terms;
    this.vocabulary = new Map(terms.map((t, i) => [t, i]));
    if (this.vocabulary.size !== terms.length) throw new Error('tf-idf state: duplicate terms');
    this.idf = Float64Array.from(idf);
  }
}
