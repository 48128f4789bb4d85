import { describe, expect, it } from 'vitest';
import { TfidfVectorizer } from '../tfidf/tfidf-vectorizer.ts';
import { PARITY_DOCS, PARITY_LABELS, PARITY_TEST_LINES as TEST_LINES, SKLEARN, sklearnWords } from '../tfidf/sklearn-parity.fixture.ts';
import { SoftmaxRegression } from './softmax-regression.ts';
import { minimizeLbfgs } from './lbfgs.ts';

// Expected values: scikit-learn 1.9.1, see ../tfidf/sklearn-parity.fixture.ts for how they were obtained.
function fitParityModel() {
  const v = new TfidfVectorizer({ maxFeatures: 12, sublinearTf: true });
  const X = v.fitTransform(PARITY_DOCS.map(sklearnWords));
  const model = new SoftmaxRegression({ C: 1, classWeight: 'balanced', gradientTolerance: 1e-7 }).fit(X, PARITY_LABELS);
  return { v, model };
}

describe('SoftmaxRegression', () => {
  it('reproduces scikit-learn coefficients, intercepts and probabilities', () => {
    const { v, model } = fitParityModel();
    expect(model.classes).toEqual(['critical', 'informational', 'noise', 'warning']);
    expect(model.lastFit?.converged).toBe(true);
    expect(model.classes).toEqual(SKLEARN.classes);
    SKLEARN.intercept.forEach((b, c) => expect(model.intercept(c)).toBeCloseTo(b, 4));
    SKLEARN.coef.forEach((row, c) => row.forEach((w, j) => expect(model.coefficient(c, j)).toBeCloseTo(w, 4)));
    const proba = model.predictProba(v.transform(TEST_LINES.map(sklearnWords)));
    SKLEARN.proba.flat().forEach((p, i) => expect(proba[i]).toBeCloseTo(p, 4));
  });

  it('balanced class weights change the solution (a sanity check that they are applied)', () => {
    const v = new TfidfVectorizer({ maxFeatures: 12, sublinearTf: true });
    const X = v.fitTransform(PARITY_DOCS.map(sklearnWords));
    const plain = new SoftmaxRegression({ C: 1 }).fit(X, PARITY_LABELS);
    const { model } = fitParityModel();
    expect(Math.abs(plain.intercept(0) - model.intercept(0))).toBeGreaterThan(1e-3);
  });

  it('probabilities sum to one and the model survives a JSON round trip', () => {
    const { v, model } = fitParityModel();
    const X = v.transform(TEST_LINES.map(sklearnWords));
    const proba = model.predictProba(X);
    for (let i = 0; i < 3; i++) expect(proba[i * 4]! + proba[i * 4 + 1]! + proba[i * 4 + 2]! + proba[i * 4 + 3]!).toBeCloseTo(1, 12);
    const copy = SoftmaxRegression.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(copy.predictProba(X))).toEqual(Array.from(proba));
    expect(copy.predict(X)).toEqual(['critical', 'informational', 'warning']);
  });

  it('rejects mismatched input', () => {
    const { v } = fitParityModel();
    const X = v.transform([['x']]);
    expect(() => new SoftmaxRegression().fit(X, ['a', 'b'])).toThrow(/1 rows but 2 labels/);
    expect(() => new SoftmaxRegression().fit(X, ['a'])).toThrow(/two classes/);
  });
});

describe('minimizeLbfgs', () => {
  it('finds the minimum of an ill-conditioned quadratic', () => {
    const scales = [1, 10, 100, 1000];
    const result = minimizeLbfgs((x, g) => {
      let f = 0;
      scales.forEach((s, i) => {
        const d = x[i]! - (i + 1);
        f += 0.5 * s * d * d;
        g[i] = s * d;
      });
      return f;
    }, new Float64Array(4), { gradientTolerance: 1e-8 });
    expect(result.converged).toBe(true);
    Array.from(result.x).forEach((v, i) => expect(v).toBeCloseTo(i + 1, 6));
  });

  it('minimizes the Rosenbrock function', () => {
    const result = minimizeLbfgs((x, g) => {
      const a = x[0]!;
      const b = x[1]!;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    }, Float64Array.of(-1.2, 1), { gradientTolerance: 1e-8 });
    expect(result.x[0]).toBeCloseTo(1, 5);
    expect(result.x[1]).toBeCloseTo(1, 5);
  });
});
