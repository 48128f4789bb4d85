import { describe, expect, it } from 'vitest';
import { rocAuc } from '@aiops/ml';
import { fitConnectionScorer, fusedTailScore, scoreConnections, tailShare, tailTable } from './connection-score.ts';

/** Deterministic uniform numbers in [0, 1). */
function uniform(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
}

describe('tail shares', () => {
  it('is the share of training scores at least as high, (k + 1) / (n + 1), exact in the tail', () => {
    const random = uniform(1);
    const training = Array.from({ length: 5000 }, () => random());
    const table = tailTable(training);
    expect(table.scores.length).toBeLessThanOrEqual(2048);
    const sorted = [...training].sort((a, b) => a - b);
    for (const k of [1, 10, 500, 1000]) {
      const s = sorted[sorted.length - k]!;
      expect(tailShare(table, s)).toBeCloseTo((k + 1) / 5001, 10);
    }
    // below the exact top, the grid interpolates: within a grid step of the true share
    for (const s of [0.1, 0.5, 0.7]) {
      const truth = (training.filter((v) => v >= s).length + 1) / 5001;
      expect(Math.abs(tailShare(table, s) - truth)).toBeLessThan(5 / 1024);
    }
  });

  it('falls strictly with the score, also between knots and beyond the training range', () => {
    const table = tailTable([0.2, 0.3, 0.3, 0.3, 0.5, 0.6]);
    expect(table.atLeast).toEqual([6, 5, 2, 1]);
    const grid = Array.from({ length: 101 }, (_, i) => i / 100);
    const shares = grid.map((s) => tailShare(table, s));
    for (let i = grid.findIndex((s) => s >= 0.2) + 1; i < grid.length; i++) expect(shares[i]!).toBeLessThan(shares[i - 1]!);
    expect(tailShare(table, 0.6)).toBeCloseTo(2 / 7, 12); // the top knot: one row ≥ it
    expect(tailShare(table, 0.3)).toBeCloseTo(6 / 7, 12); // the three tied rows and the two above
    expect(tailShare(table, 1)).toBeCloseTo(1 / 7, 12);
    expect(tailShare(table, 0)).toBeCloseTo(7 / 7, 12);
  });

  it('fuses two shares as 1 − their weighted geometric mean', () => {
    expect(fusedTailScore(0.01, 0.5, 0)).toBeCloseTo(0.99, 12);
    expect(fusedTailScore(0.01, 0.01, 0.75)).toBeCloseTo(0.99, 12);
    expect(fusedTailScore(0.01, 1, 1)).toBeCloseTo(0.9, 12);
    expect(fusedTailScore(0.5, 0.001, 0.75)).toBeGreaterThan(fusedTailScore(0.5, 0.01, 0.75));
  });
});

describe('two forests', () => {
  // Column space A sees outliers of kind 1 (its second column), space B of kind 2; each forest alone misses the other kind.
  const random = uniform(7);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  function rows(n: number, kind: (i: number) => 0 | 1 | 2): { a: Float64Array; b: Float64Array; y: number[] } {
    const a = new Float64Array(n * 2);
    const b = new Float64Array(n * 2);
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = kind(i);
      a[2 * i] = normal();
      a[2 * i + 1] = k === 1 ? 6 + normal() : normal();
      b[2 * i] = normal();
      b[2 * i + 1] = k === 2 ? 6 + normal() : normal();
      y.push(k === 0 ? 0 : 1);
    }
    return { a, b, y };
  }
  const train = rows(2000, () => 0);
  const options = { contamination: 0.01, nEstimators: 100, maxSamples: 'auto' as const, seed: 1, weight: 0.75, companionEstimators: 50, primaryNames: ['a0', 'a1'], companionNames: ['b0', 'b1'] };
  const dense = (data: Float64Array, n: number) => ({ data, rows: n, cols: 2 });
  const fused = fitConnectionScorer(dense(train.a, 2000), dense(train.b, 2000), options);
  const alone = fitConnectionScorer(dense(train.a, 2000), null, options);
  const test = rows(2000, (i) => (i % 40 === 0 ? 1 : i % 40 === 1 ? 2 : 0));

  it('ranks both kinds of outlier where one forest ranks one', () => {
    const both = scoreConnections(fused, dense(test.a, 2000), dense(test.b, 2000));
    const one = scoreConnections(alone, dense(test.a, 2000), null);
    expect(rocAuc(test.y, Array.from(both.scores))).toBeGreaterThan(0.95);
    expect(rocAuc(test.y, Array.from(one.scores))).toBeLessThan(0.8);
    // the companion explains the rows only it finds odd
    const kind2 = test.y.flatMap((_, i) => (i % 40 === 1 ? [i] : []));
    expect(kind2.filter((i) => both.companionLeads[i] === 1).length / kind2.length).toBeGreaterThan(0.9);
    expect(alone.json.weight).toBe(0);
    expect(alone.json.companion).toBeNull();
  });

  it('flags about the contamination share of training-like rows', () => {
    const fresh = rows(4000, () => 0);
    const { scores } = scoreConnections(fused, dense(fresh.a, 4000), dense(fresh.b, 4000));
    const flagged = Array.from(scores).filter((s) => s > fused.json.threshold).length / 4000;
    expect(flagged).toBeGreaterThan(0.002);
    expect(flagged).toBeLessThan(0.03);
  });

  it('refuses a companion model scored without its matrix', () => {
    expect(() => scoreConnections(fused, dense(test.a, 2000), null)).toThrow(/companion forest/);
  });
});
