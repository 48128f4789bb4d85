import type { DenseMatrix } from '../isolation-forest/matrix.ts';
import { SeededRandom } from '../random.ts';

export interface SilhouetteOptions {
  /**
   * Score a random subset of this many rows instead of all of them (scikit-learn's sample_size): the exact score is
   * O(n² · d), fine up to ~10k rows; above that a few thousand sampled rows estimate it well.
   */
  sampleSize?: number;
  /** Seed of the subset draw (default 0). */
  seed?: number;
}

/**
 * Mean silhouette coefficient with euclidean distances, as scikit-learn's silhouette_score: per row
 * s = (b − a) / max(a, b), a = mean distance to the other rows of its cluster, b = the smallest mean distance to the
 * rows of another cluster; a row alone in its cluster scores 0. Needs 2 ≤ clusters ≤ rows − 1.
 */
export function silhouetteScore(x: DenseMatrix, labels: ArrayLike<number>, options: SilhouetteOptions = {}): number {
  if (labels.length !== x.rows) throw new Error(`silhouetteScore: ${labels.length} labels for ${x.rows} rows`);
  let rows: Int32Array;
  if (options.sampleSize !== undefined && options.sampleSize < x.rows) {
    if (!Number.isInteger(options.sampleSize) || options.sampleSize < 2) {
      throw new Error(`silhouetteScore: sampleSize must be an integer ≥ 2, got ${options.sampleSize}`);
    }
    rows = samplePermutationPrefix(x.rows, options.sampleSize, new SeededRandom(options.seed ?? 0));
  } else {
    rows = Int32Array.from({ length: x.rows }, (_, i) => i);
  }
  const n = rows.length;

  // Cluster ids → dense 0..k-1 over the rows scored.
  const clusterOf = new Int32Array(n);
  const idOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const label = labels[rows[i]!]!;
    if (!Number.isInteger(label)) throw new Error(`silhouetteScore: label at row ${rows[i]} is ${label}, expected an integer`);
    let id = idOf.get(label);
    if (id === undefined) {
      id = idOf.size;
      idOf.set(label, id);
    }
    clusterOf[i] = id;
  }
  const k = idOf.size;
  if (k < 2 || k > n - 1) {
    throw new Error(`silhouetteScore: ${k} clusters among ${n} rows; need 2 ≤ clusters ≤ rows − 1`);
  }
  const clusterSize = new Int32Array(k);
  for (let i = 0; i < n; i++) clusterSize[clusterOf[i]!]!++;

  // distanceSums[i * k + c] = Σ distance from row i to the rows of cluster c; each pair computed once.
  const distanceSums = new Float64Array(n * k);
  const data = x.data;
  const d = x.cols;
  for (let i = 0; i < n; i++) {
    const oi = rows[i]! * d;
    const ci = clusterOf[i]!;
    for (let j = i + 1; j < n; j++) {
      const oj = rows[j]! * d;
      let squared = 0;
      for (let f = 0; f < d; f++) {
        const diff = data[oi + f]! - data[oj + f]!;
        squared += diff * diff;
      }
      const distance = Math.sqrt(squared);
      const ij = i * k + clusterOf[j]!;
      const ji = j * k + ci;
      distanceSums[ij] = distanceSums[ij]! + distance;
      distanceSums[ji] = distanceSums[ji]! + distance;
    }
  }

  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = clusterOf[i]!;
    if (clusterSize[own] === 1) continue; // a singleton's silhouette is 0
    const a = distanceSums[i * k + own]! / (clusterSize[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c !== own) b = Math.min(b, distanceSums[i * k + c]! / clusterSize[c]!);
    }
    const denominator = Math.max(a, b);
    if (denominator > 0) total += (b - a) / denominator;
  }
  return total / n;
}

/** The first k entries of a random permutation of 0..n-1 (partial Fisher–Yates). */
function samplePermutationPrefix(n: number, k: number, random: SeededRandom): Int32Array {
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + random.nextInt(n - i);
    const tmp = all[i]!;
    all[i] = all[j]!;
    all[j] = tmp;
  }
  return all.slice(0, k);
}
