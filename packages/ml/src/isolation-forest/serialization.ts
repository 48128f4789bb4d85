import type { IsolationTree } from './tree.ts';

export const MODEL_FORMAT = 'aiops.isolation-forest';
/** Bump when the JSON layout changes; fromJSON refuses versions it does not know. */
export const MODEL_FORMAT_VERSION = 1;

export interface IsolationForestParams {
  nEstimators: number;
  /** 'auto' = min(256, n); an integer ≥ 2 = that many rows (capped at n); a fraction in (0, 1] = that share of n
   *  (1 means 1.0, all rows: JavaScript cannot tell scikit-learn's int 1 from float 1.0). */
  maxSamples: 'auto' | number;
  /** A fraction in (0, 1] of the columns, or an integer count ≥ 2, drawn per tree (1 means 1.0: all columns). */
  maxFeatures: number;
  bootstrap: boolean;
  /** 'auto' = offset −0.5 (the paper's s = 0.5); a share in (0, 0.5] = that quantile of the training scores. */
  contamination: 'auto' | number;
  seed: number;
}

/** Caller-supplied facts about the training run (window, source, row counts…); stored verbatim in the model. */
export type TrainingMetadata = Record<string, string | number | boolean | null>;

export interface TreeJson {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  size: number[];
}

export interface IsolationForestJson {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  featureNames: string[];
  params: IsolationForestParams;
  /** Rows the model was fitted on, ψ (rows per tree) and the tree height limit ceil(log2 ψ). */
  trainingRows: number;
  samplesPerTree: number;
  maxDepth: number;
  offset: number;
  metadata: TrainingMetadata;
  trees: TreeJson[];
}

export function treeToJson(tree: IsolationTree): TreeJson {
  return {
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    size: Array.from(tree.size),
  };
}

/** Checks a parsed model document field by field; the error names the JSON path that is wrong. */
export function validateModelJson(doc: unknown): IsolationForestJson {
  const fail = (path: string, why: string): never => {
    throw new Error(`isolation forest model: ${path}: ${why}`);
  };
  if (typeof doc !== 'object' || doc === null) fail('(root)', 'not an object');
  const d = doc as Record<string, unknown>;
  if (d.format !== MODEL_FORMAT) fail('format', `expected "${MODEL_FORMAT}", got ${JSON.stringify(d.format)}`);
  if (d.formatVersion !== MODEL_FORMAT_VERSION) {
    fail('formatVersion', `this code reads version ${MODEL_FORMAT_VERSION}, got ${JSON.stringify(d.formatVersion)}`);
  }
  const names = d.featureNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    fail('featureNames', 'expected a non-empty array of strings');
  }
  const nFeatures = (names as string[]).length;
  const p = d.params as Record<string, unknown> | undefined;
  if (typeof p !== 'object' || p === null) fail('params', 'not an object');
  for (const key of ['nEstimators', 'maxFeatures', 'seed'] as const) {
    if (typeof p![key] !== 'number') fail(`params.${key}`, 'expected a number');
  }
  if (typeof p!.bootstrap !== 'boolean') fail('params.bootstrap', 'expected a boolean');
  for (const key of ['maxSamples', 'contamination'] as const) {
    if (p![key] !== 'auto' && typeof p![key] !== 'number') fail(`params.${key}`, 'expected "auto" or a number');
  }
  for (const key of ['trainingRows', 'samplesPerTree', 'maxDepth'] as const) {
    if (!Number.isInteger(d[key]) || (d[key] as number) < 0) fail(key, 'expected a non-negative integer');
  }
  if (typeof d.offset !== 'number' || !Number.isFinite(d.offset)) fail('offset', 'expected a finite number');
  if (typeof d.metadata !== 'object' || d.metadata === null || Array.isArray(d.metadata)) fail('metadata', 'expected an object');
  if (!Array.isArray(d.trees) || d.trees.length === 0) fail('trees', 'expected a non-empty array');
  (d.trees as unknown[]).forEach((t, i) => validateTree(t, `trees[${i}]`, nFeatures, fail));
  return d as unknown as IsolationForestJson;
}

function validateTree(t: unknown, path: string, nFeatures: number, fail: (path: string, why: string) => never): void {
  if (typeof t !== 'object' || t === null) fail(path, 'not an object');
  const tree = t as Record<string, unknown>;
  const keys = ['feature', 'threshold', 'left', 'right', 'size'] as const;
  for (const key of keys) {
    if (!Array.isArray(tree[key]) || !(tree[key] as unknown[]).every((v) => typeof v === 'number')) {
      fail(`${path}.${key}`, 'expected an array of numbers');
    }
  }
  const { feature, threshold, left, right, size } = tree as unknown as TreeJson;
  const n = feature.length;
  if (n === 0) fail(`${path}.feature`, 'a tree needs at least its root');
  for (const key of keys) if ((tree[key] as number[]).length !== n) fail(`${path}.${key}`, `length differs from feature's ${n}`);
  for (let node = 0; node < n; node++) {
    const f = feature[node]!;
    if (!Number.isInteger(size[node]) || size[node]! < 1) fail(`${path}.size[${node}]`, 'expected a positive integer');
    if (f === -1) {
      if (left[node] !== -1 || right[node] !== -1) fail(`${path}.left[${node}]`, 'a leaf (feature -1) must have children -1');
      continue;
    }
    if (!Number.isInteger(f) || f < 0 || f >= nFeatures) fail(`${path}.feature[${node}]`, `expected -1 or 0..${nFeatures - 1}`);
    if (!Number.isFinite(threshold[node])) fail(`${path}.threshold[${node}]`, 'expected a finite number');
    // Children after their parent and adjacent: this also rules out cycles, so scoring always terminates.
    const l = left[node]!;
    if (!Number.isInteger(l) || l <= node || l + 1 >= n) fail(`${path}.left[${node}]`, `expected a node index in ${node + 1}..${n - 2}`);
    if (right[node] !== l + 1) fail(`${path}.right[${node}]`, `expected left + 1 = ${l + 1}`);
  }
}
