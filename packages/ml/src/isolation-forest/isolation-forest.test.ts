import { describe, expect, it } from 'vitest';
import { averagePrecision, rocAuc } from '../metrics/ranking.ts';
import { percentile } from '../metrics/percentile.ts';
import { SeededRandom } from '../random.ts';
import { IsolationForest } from './isolation-forest.ts';
import { matrixFromRows, type DenseMatrix } from './matrix.ts';
import { averagePathLength } from './path-length.ts';
import { gaussianMatrix } from './test-data.ts';

/** Inliers from N(0, 1) in 4 dimensions plus 20 rows far out on features 1 and 2. */
function withOutliers(seed: number): { x: DenseMatrix; labels: number[] } {
  const inliers = gaussianMatrix(2000, 4, seed);
  const random = new SeededRandom(seed + 1);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < inliers.rows; i++) {
    rows.push(Array.from(inliers.data.subarray(i * 4, i * 4 + 4)));
    labels.push(0);
  }
  for (let i = 0; i < 20; i++) {
    rows.push([random.nextFloat() - 0.5, -6 - random.nextFloat(), 8 + random.nextFloat(), random.nextFloat() - 0.5]);
    labels.push(1);
  }
  return { x: matrixFromRows(rows), labels };
}

describe('averagePathLength', () => {
  it('matches scikit-learn _average_path_length', () => {
    // sklearn.ensemble._iforest._average_path_length([1, 2, 3, 10, 256]) with scikit-learn 1.9.1:
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(3)).toBeCloseTo(1.207392357589623, 14);
    expect(averagePathLength(10)).toBeCloseTo(3.748880484475505, 14);
    expect(averagePathLength(256)).toBeCloseTo(10.244770920119917, 14);
  });
});

describe('IsolationForest', () => {
  it('ranks held-out outliers above held-out inliers', () => {
    const train = gaussianMatrix(4000, 4, 11);
    const test = withOutliers(12); // different seed: none of these rows was seen in training
    const forest = IsolationForest.fit(train, { seed: 1 });
    const score = forest.anomalyScore(test.x);
    expect(rocAuc(test.labels, score)).toBeGreaterThan(0.99);
    expect(averagePrecision(test.labels, score)).toBeGreaterThan(0.8);
    for (const s of score) expect(s > 0 && s < 1).toBe(true);
  });

  it('follows scikit-learn conventions: scoreSamples = −s, offset −0.5, decision = score − offset, predict ±1', () => {
    const { x } = withOutliers(3);
    const forest = IsolationForest.fit(x, { seed: 2, nEstimators: 50 });
    const s = forest.anomalyScore(x);
    const scores = forest.scoreSamples(x);
    const decision = forest.decisionFunction(x);
    const predicted = forest.predict(x);
    expect(forest.offset).toBe(-0.5);
    expect(forest.samplesPerTree).toBe(256);
    expect(forest.maxDepth).toBe(8);
    for (let i = 0; i < x.rows; i++) {
      expect(scores[i]).toBe(-s[i]!);
      expect(decision[i]).toBeCloseTo(scores[i]! + 0.5, 15);
      expect(predicted[i]).toBe(decision[i]! < 0 ? -1 : 1);
    }
    // The far-out rows are the ones flagged.
    expect(Array.from(predicted.subarray(2000)).every((p) => p === -1)).toBe(true);
  });

  it('sets the offset at the contamination percentile of the training scores', () => {
    const { x } = withOutliers(5);
    const forest = IsolationForest.fit(x, { seed: 4, contamination: 0.05 });
    expect(forest.offset).toBe(percentile(forest.scoreSamples(x), 5));
    const flagged = forest.predict(x).filter((p) => p === -1).length;
    expect(flagged).toBeGreaterThanOrEqual(Math.floor(0.05 * x.rows) - 1);
    expect(flagged).toBeLessThanOrEqual(Math.ceil(0.05 * x.rows) + 1);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const { x } = withOutliers(6);
    const a = IsolationForest.fit(x, { seed: 9, nEstimators: 20 }).scoreSamples(x);
    const b = IsolationForest.fit(x, { seed: 9, nEstimators: 20 }).scoreSamples(x);
    const c = IsolationForest.fit(x, { seed: 10, nEstimators: 20 }).scoreSamples(x);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('scores float32 input like float64 input holding the same values', () => {
    const x64 = gaussianMatrix(1000, 3, 2);
    const x32 = { data: Float32Array.from(x64.data), rows: x64.rows, cols: x64.cols };
    const asDouble = { data: Float64Array.from(x32.data), rows: x32.rows, cols: x32.cols };
    const forest = IsolationForest.fit(x64, { seed: 1 });
    expect(forest.scoreSamples(x32)).toEqual(forest.scoreSamples(asDouble));
  });

  it('builds trees within the height limit whose leaves account for every sampled row', () => {
    const forest = IsolationForest.fit(gaussianMatrix(1000, 5, 8), { seed: 3, nEstimators: 10, maxSamples: 64 });
    expect(forest.maxDepth).toBe(6);
    for (const tree of forest.trees) {
      let leafRows = 0;
      for (let node = 0; node < tree.feature.length; node++) {
        if (tree.feature[node] === -1) leafRows += tree.size[node]!;
        else expect(tree.size[tree.left[node]!]! + tree.size[tree.right[node]!]!).toBe(tree.size[node]);
      }
      expect(leafRows).toBe(64);
    }
  });

  it('never splits on a constant feature, and makes a leaf where every feature is constant', () => {
    const random = new SeededRandom(1);
    const rows = Array.from({ length: 500 }, () => [7, random.nextFloat(), 7]);
    const forest = IsolationForest.fit(matrixFromRows(rows), { seed: 5, nEstimators: 30 });
    for (const tree of forest.trees) for (const f of tree.feature) expect(f === -1 || f === 1).toBe(true);

    const constant = IsolationForest.fit(matrixFromRows(Array.from({ length: 300 }, () => [1, 2])), { seed: 5 });
    for (const tree of constant.trees) expect(tree.feature.length).toBe(1); // the root is a leaf of 256 rows
    // Every row reaches a root leaf of ψ rows: E[h] = c(ψ), so s = 2^-1 exactly.
    const s = constant.anomalyScore(matrixFromRows([[1, 2], [100, -3]]));
    expect(s[0]).toBeCloseTo(0.5, 12);
    expect(s[1]).toBe(s[0]);
  });

  it('uses only the drawn columns per tree when maxFeatures < 1', () => {
    const forest = IsolationForest.fit(gaussianMatrix(500, 6, 4), { seed: 2, nEstimators: 40, maxFeatures: 0.5 });
    for (const tree of forest.trees) {
      const used = new Set(Array.from(tree.feature).filter((f) => f >= 0));
      expect(used.size).toBeLessThanOrEqual(3);
    }
  });

  it('rejects bad input with the row and feature named', () => {
    const x = matrixFromRows([[1, 2], [3, NaN], [5, 6]]);
    expect(() => IsolationForest.fit(x, { featureNames: ['duration', 'bytes'] })).toThrow(/row 1, feature bytes: value NaN/);
    const forest = IsolationForest.fit(matrixFromRows([[1, 2], [3, 4], [5, 6]]));
    expect(() => forest.scoreSamples(matrixFromRows([[1, 2, 3]]))).toThrow(/expected 2 features, got 3/);
    expect(() => IsolationForest.fit(matrixFromRows([[1, 2]]))).toThrow(/at least 2 training rows/);
    expect(() => IsolationForest.fit(x, { contamination: 0.7 })).toThrow(/contamination/);
    expect(() => IsolationForest.fit(x, { nEstimators: 0 })).toThrow(/nEstimators/);
  });
});

describe('IsolationForest explanations', () => {
  it('credits the feature that sets an outlier apart', () => {
    const forest = IsolationForest.fit(gaussianMatrix(3000, 4, 21), {
      seed: 3,
      featureNames: ['duration', 'orig_bytes', 'resp_bytes', 'orig_pkts'],
    });
    const x = matrixFromRows([[0.1, -0.2, 9, 0.3], [0, 0, 0, 0]]);
    const [top, ...rest] = forest.explain(x, 0, 4);
    expect(top).toMatchObject({ index: 2, feature: 'resp_bytes' });
    expect(top!.weight).toBeGreaterThan(0.5);
    const total = [top!, ...rest].reduce((sum, c) => sum + c.weight, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(forest.explain(x, 0, 1)).toHaveLength(1);
    expect(() => forest.explain(x, 2)).toThrow(/row 2 is outside/);
  });
});

describe('IsolationForest serialization', () => {
  it('round-trips through JSON text with identical scores and metadata', () => {
    const { x } = withOutliers(7);
    const forest = IsolationForest.fit(x, {
      seed: 12,
      contamination: 0.01,
      featureNames: ['a', 'b', 'c', 'd'],
      metadata: { trainedFrom: '2026-11-01T00:00:00Z', trainedTo: '2026-11-08T00:00:00Z', source: 'zeek-conn-*' },
    });
    const text = JSON.stringify(forest);
    const restored = IsolationForest.fromJSON(JSON.parse(text));
    expect(restored.scoreSamples(x)).toEqual(forest.scoreSamples(x));
    expect(restored.predict(x)).toEqual(forest.predict(x));
    expect(restored.offset).toBe(forest.offset);
    expect(restored.explain(x, 2005)).toEqual(forest.explain(x, 2005));
    const json = restored.toJSON();
    expect(json).toMatchObject({ format: 'aiops.isolation-forest', formatVersion: 1, trainingRows: 2020, samplesPerTree: 256 });
    expect(json.metadata.source).toBe('zeek-conn-*');
    expect(json.params).toEqual({ nEstimators: 100, maxSamples: 'auto', maxFeatures: 1, bootstrap: false, contamination: 0.01, seed: 12 });
    expect(JSON.stringify(restored)).toBe(text);
  });

  it('refuses a damaged model, naming the field', () => {
    const json = IsolationForest.fit(gaussianMatrix(100, 2, 1), { nEstimators: 2 }).toJSON();
    expect(() => IsolationForest.fromJSON({ ...json, formatVersion: 2 })).toThrow(/formatVersion: this code reads version 1/);
    const badTree = { ...json.trees[0]!, left: json.trees[0]!.left.map((l) => (l > 0 ? 0 : l)) };
    expect(() => IsolationForest.fromJSON({ ...json, trees: [badTree] })).toThrow(/trees\[0\]\.left\[0\]/);
    const badFeature = { ...json.trees[0]!, feature: json.trees[0]!.feature.map((f) => (f >= 0 ? 5 : f)) };
    expect(() => IsolationForest.fromJSON({ ...json, trees: [badFeature] })).toThrow(/trees\[0\]\.feature\[0\]: expected -1 or 0\.\.1/);
    expect(() => IsolationForest.fromJSON('nope')).toThrow(/not an object/);
  });
});
