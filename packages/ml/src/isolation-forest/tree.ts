import type { SeededRandom } from '../random.ts';
import type { DenseMatrix } from './matrix.ts';

/**
 * One isolation tree as flat arrays indexed by node (no per-node objects: a forest of 100 trees × 511 nodes stays a
 * few typed arrays). Node 0 is the root; a split's two children are allocated together, so right = left + 1 and
 * every child index is greater than its parent's. Leaves have feature = left = right = -1 and threshold 0.
 */
export interface IsolationTree {
  /** Column of the input matrix the node splits on (an original column, also under maxFeatures < 1); -1 = leaf. */
  feature: Int32Array;
  /** Rows with value <= threshold go left, the others right. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Training rows (of the tree's subsample) that reached the node. */
  size: Int32Array;
}

/**
 * scikit-learn's test for a constant feature within a node (FEATURE_THRESHOLD in sklearn/tree/_splitter.pyx): a
 * range at most this wide cannot be split.
 */
const FEATURE_THRESHOLD = 1e-7;

/**
 * Grows one tree on the given training rows (indices into x, repeats allowed for bootstrap) using only `features`,
 * as scikit-learn's ExtraTreeRegressor(max_features=1, splitter="random") does inside IsolationForest: at each node,
 * draw features uniformly among those not yet found constant in the node until one with a range > 1e-7 turns up,
 * split at a uniform threshold in [min, max); a node becomes a leaf at maxDepth, with fewer than 2 rows, or when
 * every candidate feature is constant.
 */
export function buildIsolationTree(
  x: DenseMatrix,
  rowIndices: Int32Array,
  features: Int32Array,
  maxDepth: number,
  random: SeededRandom,
): IsolationTree {
  const m = rowIndices.length;
  const nf = features.length;
  // The subsample copied column-major: a node's min/max scan and partition read one contiguous column.
  const columns = new Float64Array(nf * m);
  const data = x.data;
  const cols = x.cols;
  for (let i = 0; i < m; i++) {
    const base = rowIndices[i]! * cols;
    for (let k = 0; k < nf; k++) columns[k * m + i] = data[base + features[k]!]!;
  }

  const capacity = Math.max(1, 2 * m - 1);
  const feature = new Int32Array(capacity).fill(-1);
  const threshold = new Float64Array(capacity);
  const left = new Int32Array(capacity).fill(-1);
  const right = new Int32Array(capacity).fill(-1);
  const size = new Int32Array(capacity);

  const order = new Int32Array(m); // positions into `columns`, partitioned in place node by node
  for (let i = 0; i < m; i++) order[i] = i;
  const candidates = new Int32Array(nf);
  for (let k = 0; k < nf; k++) candidates[k] = k;

  // Explicit stack of (node, start, end, depth): no recursion, no per-node allocation.
  const stack = new Int32Array(4 * (maxDepth + 2) * 2);
  let top = 0;
  let nodeCount = 1;
  stack[top++] = 0;
  stack[top++] = 0;
  stack[top++] = m;
  stack[top++] = 0;

  while (top > 0) {
    const depth = stack[--top]!;
    const end = stack[--top]!;
    const start = stack[--top]!;
    const node = stack[--top]!;
    const n = end - start;
    size[node] = n;
    if (depth >= maxDepth || n < 2) continue;

    // Draw candidate features without replacement until a non-constant one is found.
    let chosen = -1;
    let lo = 0;
    let hi = 0;
    for (let remaining = nf; remaining > 0 && chosen < 0; remaining--) {
      const j = random.nextInt(remaining);
      const k = candidates[j]!;
      candidates[j] = candidates[remaining - 1]!;
      candidates[remaining - 1] = k;
      const colBase = k * m;
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i++) {
        const v = columns[colBase + order[i]!]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max > min + FEATURE_THRESHOLD) {
        chosen = k;
        lo = min;
        hi = max;
      }
    }
    if (chosen < 0) continue; // every feature constant here: a leaf

    let t = lo + (hi - lo) * random.nextFloat();
    if (t >= hi) t = lo; // rounding can reach hi; scikit-learn falls back to min the same way
    const colBase = chosen * m;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (columns[colBase + order[i]!]! <= t) i++;
      else {
        const tmp = order[i]!;
        order[i] = order[j]!;
        order[j] = tmp;
        j--;
      }
    }
    const l = nodeCount;
    nodeCount += 2;
    feature[node] = features[chosen]!;
    threshold[node] = t;
    left[node] = l;
    right[node] = l + 1;
    stack[top++] = l + 1;
    stack[top++] = i;
    stack[top++] = end;
    stack[top++] = depth + 1;
    stack[top++] = l;
    stack[top++] = start;
    stack[top++] = i;
    stack[top++] = depth + 1;
  }

  return {
    feature: feature.slice(0, nodeCount),
    threshold: threshold.slice(0, nodeCount),
    left: left.slice(0, nodeCount),
    right: right.slice(0, nodeCount),
    size: size.slice(0, nodeCount),
  };
}

/** Depth (edges from the root) of every node; children always follow their parent, so one forward pass does. */
export function nodeDepths(tree: IsolationTree): Int32Array {
  const depth = new Int32Array(tree.feature.length);
  for (let node = 0; node < depth.length; node++) {
    const l = tree.left[node]!;
    if (l >= 0) {
      depth[l] = depth[node]! + 1;
      depth[tree.right[node]!] = depth[node]! + 1;
    }
  }
  return depth;
}
