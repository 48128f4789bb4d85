import type { DenseMatrix } from './matrix.ts';
import { averagePathLength } from './path-length.ts';
import { nodeDepths, type IsolationTree } from './tree.ts';

/**
 * The forest laid out for scoring: every tree's nodes concatenated into four flat arrays, with two tricks that make
 * the hot loop branch-free:
 *  - children are adjacent (right = left + 1), so a step is `node = child[node] + (x > threshold[node])`;
 *  - a leaf points to itself with threshold +Infinity (x > +Inf is false, for NaN too), so every row can take
 *    exactly `height` steps in a tree without testing for leaves, and independent rows overlap in the CPU.
 * A leaf's value is precomputed: its depth + c(training rows in the leaf), scikit-learn's path length.
 */
export interface CompiledForest {
  feature: Int32Array;
  threshold: Float64Array;
  child: Int32Array;
  leafPathLength: Float64Array;
  /** Index of each tree's root in the flat arrays. */
  roots: Int32Array;
  /** Steps a row takes in each tree: the tree's actual height. */
  heights: Int32Array;
}

export function compileForest(trees: readonly IsolationTree[]): CompiledForest {
  const total = trees.reduce((sum, t) => sum + t.feature.length, 0);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const child = new Int32Array(total);
  const leafPathLength = new Float64Array(total);
  const roots = new Int32Array(trees.length);
  const heights = new Int32Array(trees.length);
  let base = 0;
  trees.forEach((tree, t) => {
    const depth = nodeDepths(tree);
    let height = 0;
    for (let node = 0; node < tree.feature.length; node++) {
      const g = base + node;
      if (tree.feature[node]! < 0) {
        feature[g] = 0;
        threshold[g] = Infinity;
        child[g] = g;
        leafPathLength[g] = depth[node]! + averagePathLength(tree.size[node]!);
        if (depth[node]! > height) height = depth[node]!;
      } else {
        feature[g] = tree.feature[node]!;
        threshold[g] = tree.threshold[node]!;
        child[g] = base + tree.left[node]!;
      }
    }
    roots[t] = base;
    heights[t] = height;
    base += tree.feature.length;
  });
  return { feature, threshold, child, leafPathLength, roots, heights };
}

/**
 * Rows scored together: the block's rows (32 KB of float32 at 16 features) stay in L1/L2 while every tree passes
 * over them (tree-major), and each tree's nodes stay in L1 for the whole block.
 */
const BLOCK_ROWS = 512;

/** Sum over trees of each row's path length, written to out[0..x.rows). */
export function sumPathLengths(forest: CompiledForest, x: DenseMatrix, out: Float64Array): void {
  out.fill(0, 0, x.rows);
  for (let start = 0; start < x.rows; start += BLOCK_ROWS) {
    const end = Math.min(x.rows, start + BLOCK_ROWS);
    if (x.data instanceof Float32Array) accumulateFloat32(forest, x.data, x.cols, start, end, out);
    else accumulateFloat64(forest, x.data, x.cols, start, end, out);
  }
}

// This JS walk is the reference and the fallback of the WebAssembly kernel (wasm-kernel.ts, ~2.5× faster).
// Measured on it (200k × 16 float32, 100 trees): `(x > t ? 1 : 0)` compiles to a branch that mispredicts about
// every other step, `+(x > t)` to a flag-to-integer move, 2–3× faster; four rows walked in lockstep give the CPU
// independent load chains to overlap (~2× more); eight gained nothing further in JS; tree-major beat row-major
// (whole forest per row) by ~1.5×. The two kernels are the same code: one per element type keeps each typed-array
// access monomorphic.
function accumulateFloat32(f: CompiledForest, data: Float32Array, cols: number, start: number, end: number, out: Float64Array): void {
  const { feature, threshold, child, leafPathLength, roots, heights } = f;
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t]!;
    const height = heights[t]!;
    let r = start;
    for (; r + 3 < end; r += 4) {
      const o0 = r * cols;
      const o1 = o0 + cols;
      const o2 = o1 + cols;
      const o3 = o2 + cols;
      let n0 = root;
      let n1 = root;
      let n2 = root;
      let n3 = root;
      for (let k = 0; k < height; k++) {
        n0 = child[n0]! + +(data[o0 + feature[n0]!]! > threshold[n0]!);
        n1 = child[n1]! + +(data[o1 + feature[n1]!]! > threshold[n1]!);
        n2 = child[n2]! + +(data[o2 + feature[n2]!]! > threshold[n2]!);
        n3 = child[n3]! + +(data[o3 + feature[n3]!]! > threshold[n3]!);
      }
      out[r] = out[r]! + leafPathLength[n0]!;
      out[r + 1] = out[r + 1]! + leafPathLength[n1]!;
      out[r + 2] = out[r + 2]! + leafPathLength[n2]!;
      out[r + 3] = out[r + 3]! + leafPathLength[n3]!;
    }
    for (; r < end; r++) {
      const offset = r * cols;
      let node = root;
      for (let k = 0; k < height; k++) node = child[node]! + +(data[offset + feature[node]!]! > threshold[node]!);
      out[r] = out[r]! + leafPathLength[node]!;
    }
  }
}

function accumulateFloat64(f: CompiledForest, data: Float64Array, cols: number, start: number, end: number, out: Float64Array): void {
  const { feature, threshold, child, leafPathLength, roots, heights } = f;
  for (let t = 0; t < roots.length; t++) {
    const root = roots[t]!;
    const height = heights[t]!;
    let r = start;
    for (; r + 3 < end; r += 4) {
      const o0 = r * cols;
      const o1 = o0 + cols;
      const o2 = o1 + cols;
      const o3 = o2 + cols;
      let n0 = root;
      let n1 = root;
      let n2 = root;
      let n3 = root;
      for (let k = 0; k < height; k++) {
        n0 = child[n0]! + +(data[o0 + feature[n0]!]! > threshold[n0]!);
        n1 = child[n1]! + +(data[o1 + feature[n1]!]! > threshold[n1]!);
        n2 = child[n2]! + +(data[o2 + feature[n2]!]! > threshold[n2]!);
        n3 = child[n3]! + +(data[o3 + feature[n3]!]! > threshold[n3]!);
      }
      out[r] = out[r]! + leafPathLength[n0]!;
      out[r + 1] = out[r + 1]! + leafPathLength[n1]!;
      out[r + 2] = out[r + 2]! + leafPathLength[n2]!;
      out[r + 3] = out[r + 3]! + leafPathLength[n3]!;
    }
    for (; r < end; r++) {
      const offset = r * cols;
      let node = root;
      for (let k = 0; k < height; k++) node = child[node]! + +(data[offset + feature[node]!]! > threshold[node]!);
      out[r] = out[r]! + leafPathLength[node]!;
    }
  }
}
