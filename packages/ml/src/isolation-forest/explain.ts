import type { DenseMatrix } from './matrix.ts';
import { averagePathLength } from './path-length.ts';
import type { IsolationTree } from './tree.ts';

export interface FeatureContribution {
  /** Column index in the input matrix. */
  index: number;
  /** Feature name (the model's featureNames, else "f<index>"). */
  feature: string;
  /** Share of the row's isolation credited to this feature; the weights of all features sum to 1. */
  weight: number;
}

/**
 * Which features isolated one row. In each tree the row follows its path; a split at a node of n training rows
 * that sends it to a child of m rows shortens the row's expected remaining path from c(n) to 1 + c(m), and the
 * split's feature is credited with that shortening (max(0, c(n) − 1 − c(m))): a split that cuts the row off with
 * a handful of rows earns much, a split that keeps it in the crowd earns nothing. Credits are summed per tree,
 * normalised to 1 over the forest, and the top k are returned, largest first. Cost: one path per tree, so it is
 * meant for the flagged rows only.
 */
export function explainRow(
  trees: readonly IsolationTree[],
  x: DenseMatrix,
  row: number,
  featureNames: readonly string[],
  topK: number,
): FeatureContribution[] {
  if (!Number.isInteger(row) || row < 0 || row >= x.rows) throw new Error(`explain: row ${row} is outside 0..${x.rows - 1}`);
  const credit = new Float64Array(x.cols);
  const offset = row * x.cols;
  for (const tree of trees) {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      const f = tree.feature[node]!;
      const next = x.data[offset + f]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
      const shortening = averagePathLength(tree.size[node]!) - 1 - averagePathLength(tree.size[next]!);
      if (shortening > 0) credit[f] = credit[f]! + shortening;
      node = next;
    }
  }
  let total = 0;
  for (const c of credit) total += c;
  if (total === 0) return [];
  const ranked: FeatureContribution[] = [];
  credit.forEach((c, index) => {
    if (c > 0) ranked.push({ index, feature: featureNames[index] ?? `f${index}`, weight: c / total });
  });
  ranked.sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.slice(0, topK);
}
