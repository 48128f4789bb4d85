/**
 * Prophet's prediction intervals (the MAP case: `mcmc_samples = 0`, linear growth, additive seasonality) simulated
 * in one typed-array pass instead of augurs' per-draw predict: the draws are those of prophet's
 * `sample_predictive_trend` + `sample_model` — future changepoints from a Poisson process at the history's rate
 * (S per unit of scaled time), Laplace deltas at the scale of the fitted ones, Gaussian observation noise — but
 * only the part of a draw that differs from yhat is computed: with fixed seasonal coefficients a draw is
 * yhat + Σ δⱼ (t − cⱼ)₊ · y_scale + σ ε · y_scale. Seeded, so a rerun gives the same bands.
 * Measured against augurs' own 1,000-draw bands in `pnpm bench forecast` (docs/benchmarks.md).
 */
import { SeededRandom } from '../random.ts';

export interface FittedTrend {
  /** Scaled times of the history's changepoints (history in [0, 1]). */
  changepoints: ArrayLike<number>;
  /** Fitted rate adjustments at those changepoints. */
  delta: ArrayLike<number>;
  /** Fitted observation noise, on the scaled y. */
  sigmaObs: number;
  /** y = y_scaled · yScale. */
  yScale: number;
}

export interface SimulatedBands {
  lower: number[];
  upper: number[];
}

const TWO_TO_MINUS_32 = 2 ** -32;

/** Uniform in (0, 1) from one 32-bit draw (a simulation of 1,000 paths needs no 53-bit uniforms). */
const uniform = (random: SeededRandom) => (random.nextUint32() + 0.5) * TWO_TO_MINUS_32;

/** Poisson(mean): Knuth's product of uniforms (means here are S·(T − 1), tens at most); normal beyond 500. */
function poisson(mean: number, random: SeededRandom): number {
  if (mean <= 0) return 0;
  if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * inverseNormal(uniform(random))));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = uniform(random);
  while (p > limit) {
    k++;
    p *= uniform(random);
  }
  return k;
}

/** Φ⁻¹(p), Acklam's rational approximation (relative error < 1.2e-9), p in (0, 1). */
export function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** The n normal quantiles Φ⁻¹((k + ½) / n): a stratified sample of the observation noise. */
const strata = new Map<number, Float64Array>();
function normalStrata(n: number): Float64Array {
  let z = strata.get(n);
  if (!z) {
    z = Float64Array.from({ length: n }, (_, k) => inverseNormal((k + 0.5) / n));
    strata.set(n, z);
  }
  return z;
}

/** Rearranges a[from, to) so that a[k] holds the value it would hold sorted (Hoare's selection, median of three). */
function selectInPlace(a: Float64Array, k: number, from: number, to: number): void {
  let lo = from;
  let hi = to - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot keeps the expected cost linear on sorted or constant columns.
    let x = a[lo]!;
    let y = a[mid]!;
    let z = a[hi]!;
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** numpy.percentile's default (linear between the order statistics around (n − 1)·q) of a[from, to), reordering it. */
function quantileInPlace(a: Float64Array, q: number, from: number, to: number): number {
  const at = (to - from - 1) * q;
  const k = from + Math.floor(at);
  selectInPlace(a, k, from, to);
  const below = a[k]!;
  if (k + 1 >= to || at === Math.floor(at)) return below;
  let next = Infinity;
  for (let i = k + 1; i < to; i++) if (a[i]! < next) next = a[i]!;
  return below + (next - below) * (at - Math.floor(at));
}

/**
 * Bands around `yhat` at the scaled future times `t` (ascending, > 0), `draws` simulated paths, central interval
 * `intervalWidth`.
 */
export function simulateProphetBands(fit: FittedTrend, t: ArrayLike<number>, yhat: number[], intervalWidth: number, draws: number, seed = 0): SimulatedBands {
  const h = t.length;
  const random = new SeededRandom(seed);
  let meanAbsDelta = 0;
  for (let j = 0; j < fit.delta.length; j++) meanAbsDelta += Math.abs(fit.delta[j]!);
  const lambda = (fit.delta.length ? meanAbsDelta / fit.delta.length : 0) + 1e-8;
  const last = h > 0 ? t[h - 1]! : 0;
  const rate = fit.changepoints.length;
  // samples[i * draws + d]: draw d's deviation from yhat at step i (a column per step, selected in place).
  const samples = new Float64Array(h * draws);
  let changeTimes = new Float64Array(64);
  let changeDeltas = new Float64Array(64);
  for (let d = 0; d < draws; d++) {
    const n = last > 1 ? poisson(rate * (last - 1), random) : 0;
    if (n > changeTimes.length) {
      changeTimes = new Float64Array(n);
      changeDeltas = new Float64Array(n);
    }
    for (let j = 0; j < n; j++) changeTimes[j] = 1 + uniform(random) * (last - 1);
    const sortedTimes = changeTimes.subarray(0, n).sort();
    for (let j = 0; j < n; j++) {
      // Laplace(0, λ) by inversion.
      const u = uniform(random) - 0.5;
      changeDeltas[j] = -lambda * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    }
    // Walk the steps and the sorted new changepoints together: the deviation is piecewise linear in t.
    let slope = 0;
    let offset = 0;
    let j = 0;
    for (let i = 0; i < h; i++) {
      const ti = t[i]!;
      while (j < n && sortedTimes[j]! < ti) {
        slope += changeDeltas[j]!;
        offset -= changeDeltas[j]! * sortedTimes[j]!;
        j++;
      }
      samples[i * draws + d] = (slope * ti + offset) * fit.yScale;
    }
  }
  // Observation noise, stratified: at each step the draws get the `draws` normal quantiles, paired with the
  // (exchangeable) trend draws at a random rotation — the same distribution as independent normals, with less
  // Monte-Carlo noise in the band, and no logarithm per sample.
  const z = normalStrata(draws);
  const noise = fit.sigmaObs * fit.yScale;
  const lower: number[] = new Array<number>(h);
  const upper: number[] = new Array<number>(h);
  const qLow = (1 - intervalWidth) / 2;
  const qHigh = (1 + intervalWidth) / 2;
  for (let i = 0; i < h; i++) {
    const from = i * draws;
    const rotation = random.nextInt(draws);
    for (let d = 0; d < draws; d++) {
      const k = d + rotation;
      samples[from + d] = samples[from + d]! + noise * z[k < draws ? k : k - draws]!;
    }
    lower[i] = yhat[i]! + quantileInPlace(samples, qLow, from, from + draws);
    upper[i] = yhat[i]! + quantileInPlace(samples, qHigh, from, from + draws);
  }
  return { lower, upper };
}
