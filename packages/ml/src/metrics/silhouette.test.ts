import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../isolation-forest/matrix.ts';
import { SeededRandom } from '../random.ts';
import { silhouetteScore } from './silhouette.ts';

describe('silhouetteScore', () => {
  it('matches scikit-learn on a small set with a singleton cluster', () => {
    // silhouette_score(X, labels) with scikit-learn 1.9.1 on exactly these points: 0.6880295314849363.
    const x = matrixFromRows([[0, 0], [0, 1], [1, 0], [1, 1], [5, 5], [5, 6], [6, 5], [10, 0], [2, 2]]);
    expect(silhouetteScore(x, [0, 0, 0, 0, 1, 1, 1, 2, 0])).toBeCloseTo(0.6880295314849363, 12);
  });

  it('is computed by hand on two points per cluster', () => {
    // Clusters {0, 1} and {10, 11} on a line. Row 0: a = 1, b = (10 + 11) / 2 = 10.5 → s = 9.5 / 10.5; row 1:
    // a = 1, b = (9 + 10) / 2 = 9.5 → s = 8.5 / 9.5; rows 3 and 2 mirror rows 0 and 1.
    const x = matrixFromRows([[0], [1], [10], [11]]);
    const s0 = (10.5 - 1) / 10.5;
    const s1 = (9.5 - 1) / 9.5;
    expect(silhouetteScore(x, [0, 0, 1, 1])).toBeCloseTo((2 * s0 + 2 * s1) / 4, 12);
  });

  it('samples a seeded subset for large inputs, close to the exact score', () => {
    const random = new SeededRandom(7);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const c = i % 3;
      rows.push([c * 4 + random.nextFloat(), c * 2 + random.nextFloat()]);
      labels.push(c);
    }
    const x = matrixFromRows(rows);
    const exact = silhouetteScore(x, labels);
    const sampled = silhouetteScore(x, labels, { sampleSize: 500, seed: 1 });
    expect(sampled).toBe(silhouetteScore(x, labels, { sampleSize: 500, seed: 1 }));
    expect(sampled).not.toBe(silhouetteScore(x, labels, { sampleSize: 500, seed: 2 }));
    expect(Math.abs(sampled - exact)).toBeLessThan(0.02);
    expect(exact).toBeGreaterThan(0.5);
  });

  it('refuses a single cluster or one cluster per row', () => {
    const x = matrixFromRows([[0], [1], [2]]);
    expect(() => silhouetteScore(x, [0, 0, 0])).toThrow(/1 clusters among 3 rows/);
    expect(() => silhouetteScore(x, [0, 1, 2])).toThrow(/3 clusters among 3 rows/);
    expect(() => silhouetteScore(x, [0, 1])).toThrow(/2 labels for 3 rows/);
  });
});
