import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random.ts';
import { compileForest, sumPathLengths } from './compiled-forest.ts';
import { IsolationForest } from './isolation-forest.ts';
import { matrixFromRows, type DenseMatrix } from './matrix.ts';
import { averagePathLength } from './path-length.ts';
import { gaussianMatrix } from './test-data.ts';
import { nodeDepths, type IsolationTree } from './tree.ts';
import { WasmForestKernel } from './wasm-kernel.ts';

/** The path length by the book: walk the canonical tree with per-node tests, add c(size) at the leaf. */
function referencePathLengths(trees: readonly IsolationTree[], x: DenseMatrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (const tree of trees) {
    const depth = nodeDepths(tree);
    for (let r = 0; r < x.rows; r++) {
      let node = 0;
      while (tree.feature[node]! >= 0) {
        node = x.data[r * x.cols + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
      }
      out[r] = out[r]! + depth[node]! + averagePathLength(tree.size[node]!);
    }
  }
  return out;
}

describe('scoring kernels', () => {
  // Trees of uneven height (few distinct rows, so nodes run out of splittable values early; a constant column) and
  // row counts that are not a multiple of the WebAssembly kernel's lane count or block size.
  const random = new SeededRandom(4);
  const level = (k: number) => Math.floor(random.nextFloat() * k);
  const rows = Array.from({ length: 3001 }, () => [level(4) / 3, 5, level(3) * 10, level(2)]);
  const train = matrixFromRows(rows);
  const forest = IsolationForest.fit(train, { seed: 8, nEstimators: 25, maxSamples: 100 });
  const compiled = compileForest(forest.trees);
  const test64 = gaussianMatrix(2051, 4, 9);
  const test32 = { data: Float32Array.from(test64.data), rows: test64.rows, cols: test64.cols };

  it('has trees of several heights to exercise', () => {
    expect(new Set(compiled.heights).size).toBeGreaterThan(1);
  });

  it('the JS kernel equals the by-the-book walk', () => {
    for (const x of [train, test64]) {
      const out = new Float64Array(x.rows);
      sumPathLengths(compiled, x, out);
      const expected = referencePathLengths(forest.trees, x);
      for (let i = 0; i < x.rows; i++) expect(out[i]).toBeCloseTo(expected[i]!, 9);
    }
  });

  it('the WebAssembly kernel equals the JS kernel exactly, for float64 and float32 rows', () => {
    const kernel = new WasmForestKernel(compiled, 4);
    for (const x of [train, test64, test32, { data: test32.data.subarray(0, 12), rows: 3, cols: 4 }]) {
      const js = new Float64Array(x.rows);
      const wasm = new Float64Array(x.rows);
      sumPathLengths(compiled, x, js);
      kernel.sumPathLengths(x, wasm);
      expect(wasm).toEqual(js);
    }
  });

  it('leaves trees taller than the WebAssembly layout to the JS walk, with the same scores', () => {
    const x = gaussianMatrix(9000, 2, 3);
    const tall = IsolationForest.fit(x, { seed: 1, nEstimators: 2, maxSamples: 9000 });
    expect(Math.max(...compileForest(tall.trees).heights)).toBeGreaterThan(12);
    expect(() => new WasmForestKernel(compileForest(tall.trees), 2)).toThrow(RangeError);
    const js = new Float64Array(x.rows);
    sumPathLengths(compileForest(tall.trees), x, js);
    const denominator = 2 * averagePathLength(9000);
    const expected = js.map((h) => Math.pow(2, -h / denominator));
    tall.anomalyScore(x).forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 14));
  });
});
