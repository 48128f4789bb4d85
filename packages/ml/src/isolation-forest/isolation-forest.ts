import { percentile } from '../metrics/percentile.ts';
import { SeededRandom, sampleWithoutReplacement } from '../random.ts';
import { compileForest, sumPathLengths, type CompiledForest } from './compiled-forest.ts';
import { WasmForestKernel, wasmAvailable } from './wasm-kernel.ts';
import { explainRow, type FeatureContribution } from './explain.ts';
import { assertValidMatrix, type DenseMatrix } from './matrix.ts';
import { averagePathLength } from './path-length.ts';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  treeToJson,
  validateModelJson,
  type IsolationForestJson,
  type IsolationForestParams,
  type TrainingMetadata,
} from './serialization.ts';
import { buildIsolationTree, type IsolationTree } from './tree.ts';

export interface IsolationForestOptions extends Partial<IsolationForestParams> {
  /** Names of the columns, in order (default f0, f1, …); explanations and errors use them. */
  featureNames?: string[];
  /** Stored verbatim in the serialized model (training window, source, …). */
  metadata?: TrainingMetadata;
}

export const DEFAULT_PARAMS: IsolationForestParams = {
  nEstimators: 100,
  maxSamples: 'auto',
  maxFeatures: 1.0,
  bootstrap: false,
  contamination: 'auto',
  seed: 0,
};

/**
 * Isolation Forest (Liu, Ting & Zhou 2008) with scikit-learn's definitions, so scores and thresholds mean the same
 * as sklearn.ensemble.IsolationForest's:
 *  - scoreSamples(x) = −s(x), s(x) = 2^(−E[h(x)] / c(ψ)), h = depth of the leaf + c(rows in the leaf);
 *  - offset = −0.5 for contamination 'auto', else the contamination percentile of the training rows' scores;
 *  - decisionFunction = scoreSamples − offset; predict = −1 (outlier) where it is < 0, else 1.
 * anomalyScore(x) = s(x) in [0, 1], higher = more anomalous, is what the product reports.
 * Pure: no I/O; the same data, options and seed give the same model.
 */
export class IsolationForest {
  readonly params: IsolationForestParams;
  readonly featureNames: readonly string[];
  readonly trainingRows: number;
  /** ψ: training rows drawn per tree. */
  readonly samplesPerTree: number;
  readonly maxDepth: number;
  readonly offset: number;
  readonly metadata: TrainingMetadata;
  readonly trees: readonly IsolationTree[];
  private readonly compiled: CompiledForest;
  /** Built on first use (≈ 40 bytes per node of WebAssembly memory); null where it cannot be. */
  private wasmKernel: WasmForestKernel | null | undefined;

  private constructor(init: FittedState) {
    this.params = init.params;
    this.featureNames = init.featureNames;
    this.trainingRows = init.trainingRows;
    this.samplesPerTree = init.samplesPerTree;
    this.maxDepth = init.maxDepth;
    this.offset = init.offset;
    this.metadata = init.metadata;
    this.trees = init.trees;
    this.compiled = init.compiled ?? compileForest(init.trees);
  }

  get nFeatures(): number {
    return this.featureNames.length;
  }

  static fit(x: DenseMatrix, options: IsolationForestOptions = {}): IsolationForest {
    const params: IsolationForestParams = {
      nEstimators: options.nEstimators ?? DEFAULT_PARAMS.nEstimators,
      maxSamples: options.maxSamples ?? DEFAULT_PARAMS.maxSamples,
      maxFeatures: options.maxFeatures ?? DEFAULT_PARAMS.maxFeatures,
      bootstrap: options.bootstrap ?? DEFAULT_PARAMS.bootstrap,
      contamination: options.contamination ?? DEFAULT_PARAMS.contamination,
      seed: options.seed ?? DEFAULT_PARAMS.seed,
    };
    validateParams(params);
    const featureNames = options.featureNames ?? Array.from({ length: x.cols }, (_, j) => `f${j}`);
    if (featureNames.length !== x.cols) {
      throw new Error(`IsolationForest.fit: ${featureNames.length} feature names for ${x.cols} columns`);
    }
    assertValidMatrix(x, 'IsolationForest.fit', x.cols, featureNames);
    if (x.rows < 2) throw new Error(`IsolationForest.fit: need at least 2 training rows, got ${x.rows}`);

    const psi = resolveMaxSamples(params.maxSamples, x.rows);
    const featuresPerTree = resolveMaxFeatures(params.maxFeatures, x.cols);
    const maxDepth = Math.ceil(Math.log2(Math.max(psi, 2)));
    const random = new SeededRandom(params.seed);
    const allFeatures = Int32Array.from({ length: x.cols }, (_, j) => j);
    const trees: IsolationTree[] = [];
    for (let t = 0; t < params.nEstimators; t++) {
      const treeRandom = random.fork();
      const rows = params.bootstrap
        ? Int32Array.from({ length: psi }, () => treeRandom.nextInt(x.rows))
        : sampleWithoutReplacement(x.rows, psi, treeRandom);
      const features =
        featuresPerTree === x.cols ? allFeatures : sampleWithoutReplacement(x.cols, featuresPerTree, treeRandom).sort();
      trees.push(buildIsolationTree(x, rows, features, maxDepth, treeRandom));
    }
    const common = {
      params,
      featureNames,
      trainingRows: x.rows,
      samplesPerTree: psi,
      maxDepth,
      metadata: { ...(options.metadata ?? {}) },
      trees,
    };
    if (params.contamination === 'auto') return new IsolationForest({ ...common, offset: -0.5 });
    // The offset needs the fitted trees' scores of the training rows: score with a provisional offset first.
    const provisional = new IsolationForest({ ...common, offset: 0 });
    const offset = percentile(provisional.scoreSamples(x), 100 * params.contamination);
    const fitted = new IsolationForest({ ...common, offset, compiled: provisional.compiled });
    fitted.wasmKernel = provisional.wasmKernel; // built for the same compiled forest
    return fitted;
  }

  static fromJSON(doc: unknown): IsolationForest {
    const json = validateModelJson(doc);
    const trees = json.trees.map((t) => ({
      feature: Int32Array.from(t.feature),
      threshold: Float64Array.from(t.threshold),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      size: Int32Array.from(t.size),
    }));
    return new IsolationForest({
      params: { ...json.params },
      featureNames: [...json.featureNames],
      trainingRows: json.trainingRows,
      samplesPerTree: json.samplesPerTree,
      maxDepth: json.maxDepth,
      offset: json.offset,
      metadata: { ...json.metadata },
      trees,
    });
  }

  toJSON(): IsolationForestJson {
    return {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      featureNames: [...this.featureNames],
      params: { ...this.params },
      trainingRows: this.trainingRows,
      samplesPerTree: this.samplesPerTree,
      maxDepth: this.maxDepth,
      offset: this.offset,
      metadata: { ...this.metadata },
      trees: this.trees.map(treeToJson),
    };
  }

  /** s(x) = 2^(−E[h(x)]/c(ψ)) in [0, 1]; above 0.5 leans anomalous, near 1 is clearly anomalous. */
  anomalyScore(x: DenseMatrix): Float64Array {
    assertValidMatrix(x, 'IsolationForest.anomalyScore', this.nFeatures, this.featureNames);
    const out = new Float64Array(x.rows);
    const kernel = this.kernel();
    if (kernel) kernel.sumPathLengths(x, out);
    else sumPathLengths(this.compiled, x, out); // the same walk in plain JS, ~2.5× slower
    const denominator = this.trees.length * averagePathLength(this.samplesPerTree);
    // 2^(−h/d) as e^(−h·ln2/d): Math.pow took ~40 ns a row here, Math.exp ~8 (the two differ in the last bit at most).
    // ψ = 1 gives 0/0; scikit-learn defines the ratio as 1 then (score 0.5).
    const scale = denominator === 0 ? 0 : -Math.LN2 / denominator;
    for (let i = 0; i < out.length; i++) out[i] = denominator === 0 ? 0.5 : Math.exp(out[i]! * scale);
    return out;
  }

  private kernel(): WasmForestKernel | null {
    if (this.wasmKernel === undefined) {
      try {
        this.wasmKernel = wasmAvailable ? new WasmForestKernel(this.compiled, this.nFeatures) : null;
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        this.wasmKernel = null; // no WebAssembly, or trees too tall for the kernel's layout: the JS walk has no limit
      }
    }
    return this.wasmKernel;
  }

  /** scikit-learn's score_samples: −s(x); lower = more anomalous. */
  scoreSamples(x: DenseMatrix): Float64Array {
    const s = this.anomalyScore(x);
    for (let i = 0; i < s.length; i++) s[i] = -s[i]!;
    return s;
  }

  /** scoreSamples − offset: negative for outliers. */
  decisionFunction(x: DenseMatrix): Float64Array {
    const s = this.scoreSamples(x);
    for (let i = 0; i < s.length; i++) s[i] = s[i]! - this.offset;
    return s;
  }

  /** −1 for an outlier, 1 for an inlier (scikit-learn's convention). */
  predict(x: DenseMatrix): Int8Array {
    const d = this.decisionFunction(x);
    const out = new Int8Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = d[i]! < 0 ? -1 : 1;
    return out;
  }

  /** The features that isolated row `row` of x, top k by weight (see explain.ts for the weighting). */
  explain(x: DenseMatrix, row: number, topK = 3): FeatureContribution[] {
    if (x.cols !== this.nFeatures) throw new Error(`IsolationForest.explain: expected ${this.nFeatures} features, got ${x.cols}`);
    return explainRow(this.trees, x, row, this.featureNames, topK);
  }
}

interface FittedState {
  params: IsolationForestParams;
  featureNames: readonly string[];
  trainingRows: number;
  samplesPerTree: number;
  maxDepth: number;
  offset: number;
  metadata: TrainingMetadata;
  trees: readonly IsolationTree[];
  /** The trees already compiled (fit's provisional forest passes its own on): compiled here when absent. */
  compiled?: CompiledForest;
}

function validateParams(p: IsolationForestParams): void {
  const bad = (field: string, why: string): never => {
    throw new Error(`IsolationForest: option ${field}: ${why}`);
  };
  if (!Number.isInteger(p.nEstimators) || p.nEstimators < 1) bad('nEstimators', `expected a positive integer, got ${p.nEstimators}`);
  if (p.maxSamples !== 'auto' && !(p.maxSamples > 0)) bad('maxSamples', `expected 'auto', an integer ≥ 1 or a fraction in (0, 1], got ${p.maxSamples}`);
  if (p.maxSamples !== 'auto' && !Number.isInteger(p.maxSamples) && p.maxSamples > 1) bad('maxSamples', `a fraction must be ≤ 1, got ${p.maxSamples}`);
  if (!(p.maxFeatures > 0) || (!Number.isInteger(p.maxFeatures) && p.maxFeatures > 1)) {
    bad('maxFeatures', `expected an integer ≥ 1 or a fraction in (0, 1], got ${p.maxFeatures}`);
  }
  if (p.contamination !== 'auto' && !(p.contamination > 0 && p.contamination <= 0.5)) {
    bad('contamination', `expected 'auto' or a share in (0, 0.5], got ${p.contamination}`);
  }
  if (!Number.isInteger(p.seed)) bad('seed', `expected an integer, got ${p.seed}`);
}

/** scikit-learn's rule: 'auto' = min(256, n); an integer, capped at n; a fraction (incl. 1.0) = floor(f · n). */
function resolveMaxSamples(maxSamples: 'auto' | number, n: number): number {
  if (maxSamples === 'auto') return Math.min(256, n);
  if (Number.isInteger(maxSamples) && maxSamples !== 1) return Math.min(maxSamples, n);
  return Math.max(1, Math.floor(maxSamples * n));
}

/** scikit-learn's BaseBagging rule: a fraction f = max(1, floor(f · d)); an integer k = k (≤ d). */
function resolveMaxFeatures(maxFeatures: number, d: number): number {
  if (Number.isInteger(maxFeatures) && maxFeatures !== 1) {
    if (maxFeatures > d) throw new Error(`IsolationForest: option maxFeatures: ${maxFeatures} exceeds the ${d} columns`);
    return maxFeatures;
  }
  return Math.max(1, Math.floor(maxFeatures * d));
}
