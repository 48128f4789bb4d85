/**
 * Multinomial logistic regression on sparse rows, with scikit-learn's objective
 *   C · Σ_i s_i · (−log p(y_i | x_i)) + ½ ‖W‖²      (intercepts not penalized)
 * where s_i is the sample weight times the class weight (`balanced`: n / (k · count of the class)). The full
 * k-class softmax is fitted (as sklearn's multinomial lbfgs), minimized with L-BFGS on the equivalent scaled form
 * (objective / (C · Σ s_i)) for conditioning, which has the same minimizer.
 * Own code because ml-logistic-regression has no intercept, no regularization, no class weights, no sparse input
 * and no probabilities (docs/adr/0005-own-logistic-regression.md).
 */
import type { CsrMatrix } from '../tfidf/csr.ts';
import { minimizeLbfgs } from './lbfgs.ts';

export interface SoftmaxRegressionOptions {
  /** Inverse regularization strength, as sklearn's C (default 1). */
  C?: number;
  /** 'balanced' = n / (k · count); or explicit weights per class label; default none. */
  classWeight?: 'balanced' | Record<string, number> | null;
  maxIterations?: number;
  /** Largest gradient component of the scaled objective at which L-BFGS stops (default 1e-6). */
  gradientTolerance?: number;
}

export interface SoftmaxRegressionState {
  classes: string[];
  /** coefficients[c][j]: weight of feature j for class c. */
  coefficients: number[][];
  intercepts: number[];
}

export interface FitReport {
  iterations: number;
  converged: boolean;
  objective: number;
}

export class SoftmaxRegression {
  classes: string[] = [];
  featureCount = 0;
  /** Feature-major weights: weights[j * k + c], so one sparse row reads k contiguous values per feature. */
  private weights = new Float64Array(0);
  private bias = new Float64Array(0);
  lastFit: FitReport | null = null;

  constructor(private readonly options: SoftmaxRegressionOptions = {}) {}

  fit(X: CsrMatrix, labels: readonly string[], sampleWeight?: ArrayLike<number>): this {
    if (labels.length !== X.rows) throw new Error(`fit: ${X.rows} rows but ${labels.length} labels`);
    if (sampleWeight && sampleWeight.length !== X.rows) throw new Error('fit: sampleWeight length differs from rows');
    const classes = [...new Set(labels)].sort();
    if (classes.length < 2) throw new Error('fit: need at least two classes');
    const k = classes.length;
    const d = X.cols;
    const n = X.rows;
    const y = Int32Array.from(labels, (l) => classes.indexOf(l));
    const w = this.sampleWeights(y, classes, sampleWeight);
    const totalWeight = w.reduce((a, b) => a + b, 0);
    const C = this.options.C ?? 1;
    const l2 = 1 / (C * totalWeight);
    const logits = new Float64Array(k);

    const objective = (theta: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      let loss = 0;
      const bOffset = d * k;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) logits[c] = theta[bOffset + c]!;
        for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) {
          const base = X.indices[p]! * k;
          const v = X.data[p]!;
          for (let c = 0; c < k; c++) logits[c] = logits[c]! + v * theta[base + c]!;
        }
        const logSum = logSumExp(logits);
        const wi = w[i]! / totalWeight;
        loss += wi * (logSum - logits[y[i]!]!);
        for (let c = 0; c < k; c++) {
          // d loss / d logit_c = p_c − 1{c = y}
          const r = wi * (Math.exp(logits[c]! - logSum) - (c === y[i] ? 1 : 0));
          logits[c] = r;
          grad[bOffset + c] = grad[bOffset + c]! + r;
        }
        for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) {
          const base = X.indices[p]! * k;
          const v = X.data[p]!;
          for (let c = 0; c < k; c++) grad[base + c] = grad[base + c]! + v * logits[c]!;
        }
      }
      let penalty = 0;
      for (let j = 0; j < bOffset; j++) {
        penalty += theta[j]! * theta[j]!;
        grad[j] = grad[j]! + l2 * theta[j]!;
      }
      return loss + 0.5 * l2 * penalty;
    };

    const result = minimizeLbfgs(objective, new Float64Array(d * k + k), {
      maxIterations: this.options.maxIterations ?? 1000,
      gradientTolerance: this.options.gradientTolerance ?? 1e-6,
    });
    this.classes = classes;
    this.featureCount = d;
    this.weights = result.x.slice(0, d * k);
    this.bias = result.x.slice(d * k);
    this.lastFit = { iterations: result.iterations, converged: result.converged, objective: result.value };
    return this;
  }

  /** Raw scores (logits) per row: a Float64Array of rows × classes, row-major. */
  decisionFunction(X: CsrMatrix): Float64Array {
    const k = this.classes.length;
    if (X.cols !== this.featureCount) throw new Error(`expected ${this.featureCount} features, got ${X.cols}`);
    const out = new Float64Array(X.rows * k);
    for (let i = 0; i < X.rows; i++) {
      const o = i * k;
      for (let c = 0; c < k; c++) out[o + c] = this.bias[c]!;
      for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) {
        const base = X.indices[p]! * k;
        const v = X.data[p]!;
        for (let c = 0; c < k; c++) out[o + c] = out[o + c]! + v * this.weights[base + c]!;
      }
    }
    return out;
  }

  /**
   * Logits of one sparse row given as parallel arrays (the first nnz entries), written to out[offset … offset + k):
   * the batch classification path featurizes a row and scores it without building a CSR matrix.
   */
  decisionRow(cols: Int32Array, values: Float64Array, nnz: number, out: Float64Array, offset = 0): void {
    const k = this.classes.length;
    if (k === 4) {
      this.decisionRow4(cols, values, nnz, out, offset);
      return;
    }
    for (let c = 0; c < k; c++) out[offset + c] = this.bias[c]!;
    for (let p = 0; p < nnz; p++) {
      const base = cols[p]! * k;
      const v = values[p]!;
      for (let c = 0; c < k; c++) out[offset + c] = out[offset + c]! + v * this.weights[base + c]!;
    }
  }

  /**
   * decisionRow for four classes (the log classifier's): the four sums in locals, not in out, whose load and store
   * per term chained each class's additions through memory. The same additions in the same order: the same logits.
   */
  private decisionRow4(cols: Int32Array, values: Float64Array, nnz: number, out: Float64Array, offset: number): void {
    const w = this.weights;
    let s0 = this.bias[0]!;
    let s1 = this.bias[1]!;
    let s2 = this.bias[2]!;
    let s3 = this.bias[3]!;
    for (let p = 0; p < nnz; p++) {
      const base = cols[p]! * 4;
      const v = values[p]!;
      s0 = s0 + v * w[base]!;
      s1 = s1 + v * w[base + 1]!;
      s2 = s2 + v * w[base + 2]!;
      s3 = s3 + v * w[base + 3]!;
    }
    out[offset] = s0;
    out[offset + 1] = s1;
    out[offset + 2] = s2;
    out[offset + 3] = s3;
  }

  /** Class probabilities per row (rows × classes, row-major, classes in `this.classes` order). */
  predictProba(X: CsrMatrix): Float64Array {
    return softmaxRows(this.decisionFunction(X), this.classes.length);
  }

  predict(X: CsrMatrix): string[] {
    const proba = this.predictProba(X);
    const k = this.classes.length;
    return Array.from({ length: X.rows }, (_, i) => this.classes[argmax(proba, i * k, k)]!);
  }

  /** Weight of feature j for class index c. */
  coefficient(c: number, j: number): number {
    return this.weights[j * this.classes.length + c]!;
  }

  intercept(c: number): number {
    return this.bias[c]!;
  }

  toJSON(): SoftmaxRegressionState {
    const k = this.classes.length;
    return {
      classes: this.classes,
      coefficients: this.classes.map((_, c) => Array.from({ length: this.featureCount }, (_, j) => this.weights[j * k + c]!)),
      intercepts: Array.from(this.bias),
    };
  }

  static fromJSON(state: SoftmaxRegressionState): SoftmaxRegression {
    const k = state.classes.length;
    if (k < 2 || state.coefficients.length !== k || state.intercepts.length !== k) {
      throw new Error('logistic regression state: classes, coefficients and intercepts must agree in length');
    }
    const d = state.coefficients[0]!.length;
    const model = new SoftmaxRegression();
    model.classes = state.classes.slice();
    model.featureCount = d;
    model.weights = new Float64Array(d * k);
    state.coefficients.forEach((row, c) => {
      if (row.length !== d) throw new Error(`logistic regression state: class ${state.classes[c]} has ${row.length} coefficients, expected ${d}`);
      row.forEach((v, j) => (model.weights[j * k + c] = v));
    });
    model.bias = Float64Array.from(state.intercepts);
    return model;
  }

  private sampleWeights(y: Int32Array, classes: string[], sampleWeight?: ArrayLike<number>): Float64Array {
    const n = y.length;
    const k = classes.length;
    const base = Float64Array.from({ length: n }, (_, i) => (sampleWeight ? sampleWeight[i]! : 1));
    const option = this.options.classWeight;
    if (!option) return base;
    let perClass: Float64Array;
    if (option === 'balanced') {
      // sklearn's compute_class_weight counts rows, ignoring sample weights: n / (k · bincount(y)).
      const counts = new Float64Array(k);
      for (const c of y) counts[c] = counts[c]! + 1;
      perClass = counts.map((count) => n / (k * count));
    } else {
      perClass = Float64Array.from(classes, (c) => option[c] ?? 1);
    }
    return base.map((v, i) => v * perClass[y[i]!]!);
  }
}

export function logSumExp(values: Float64Array, offset = 0, length = values.length): number {
  let max = -Infinity;
  for (let c = 0; c < length; c++) max = Math.max(max, values[offset + c]!);
  let sum = 0;
  for (let c = 0; c < length; c++) sum += Math.exp(values[offset + c]! - max);
  return max + Math.log(sum);
}

/** Row-wise softmax of a rows × k row-major matrix (a new array). */
export function softmaxRows(logits: Float64Array, k: number, temperature = 1): Float64Array {
  const out = new Float64Array(logits.length);
  for (let o = 0; o < logits.length; o += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[o + c]! / temperature);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[o + c] = Math.exp(logits[o + c]! / temperature - max);
    for (let c = 0; c < k; c++) out[o + c] = out[o + c]! / sum;
  }
  return out;
}

export function argmax(values: ArrayLike<number>, offset: number, length: number): number {
  let best = 0;
  for (let c = 1; c < length; c++) if (values[offset + c]! > values[offset + best]!) best = c;
  return best;
}
