/**
 * Limited-memory BFGS for a smooth objective (Nocedal & Wright, Numerical Optimization, alg. 7.4 two-loop recursion
 * with a strong-Wolfe line search, alg. 3.5/3.6). Stops when the largest gradient component is below gradientTolerance
 * (scipy's `pgtol`, which scikit-learn passes its `tol` as), or when an iteration no longer lowers the objective.
 */

/** Writes the gradient at x into `gradient` and returns the objective value. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations?: number;
  gradientTolerance?: number;
  /** Number of correction pairs kept (scipy's default is 10). */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
  gradientMaxAbs: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.gradientTolerance ?? 1e-5;
  const memory = options.memory ?? 10;
  const n = x0.length;
  let x: Float64Array = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(n);
  let f = objective(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(n);
  const alpha = new Array<number>(memory).fill(0);
  let iterations = 0;

  while (iterations < maxIterations && maxAbs(g) > tolerance) {
    // Two-loop recursion: direction = -H·g.
    for (let i = 0; i < n; i++) direction[i] = -g[i]!;
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, direction);
      const yk = y[k]!;
      for (let i = 0; i < n; i++) direction[i] = direction[i]! - alpha[k]! * yk[i]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!);
      for (let i = 0; i < n; i++) direction[i] = direction[i]! * gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, direction);
      const sk = s[k]!;
      for (let i = 0; i < n; i++) direction[i] = direction[i]! + (alpha[k]! - beta) * sk[i]!;
    }
    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -g[i]!;
      slope = dot(g, direction);
    }
    const initialStep = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const step = wolfeLineSearch(objective, x, f, g, direction, slope, initialStep);
    if (!step) break;
    iterations++;
    const sNew = new Float64Array(n);
    const yNew = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sNew[i] = step.x[i]! - x[i]!;
      yNew[i] = step.g[i]! - g[i]!;
    }
    const sy = dot(sNew, yNew);
    const improvement = f - step.f;
    x = step.x;
    g = step.g;
    f = step.f;
    if (sy > 1e-12) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sNew);
      y.push(yNew);
      rho.push(1 / sy);
    }
    // Stagnation: the step no longer changes the objective beyond rounding.
    if (improvement <= 10 * Number.EPSILON * Math.max(Math.abs(f), Math.abs(f + improvement), 1)) break;
  }
  const gradientMaxAbs = maxAbs(g);
  return { x, value: f, iterations, converged: gradientMaxAbs <= tolerance, gradientMaxAbs };
}

interface Point {
  x: Float64Array;
  f: number;
  g: Float64Array;
  slope: number;
}

/** Strong-Wolfe line search (c1 = 1e-4, c2 = 0.9) with bracketing and bisection-safeguarded cubic zoom. */
function wolfeLineSearch(
  objective: Objective,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  direction: Float64Array,
  slope0: number,
  initialStep: number,
): { x: Float64Array; f: number; g: Float64Array } | null {
  const c1 = 1e-4;
  const c2 = 0.9;
  const evaluate = (t: number): Point => {
    const xt = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) xt[i] = x[i]! + t * direction[i]!;
    const gt = new Float64Array(x.length);
    const ft = objective(xt, gt);
    return { x: xt, f: ft, g: gt, slope: dot(gt, direction) };
  };
  let tPrev = 0;
  let pPrev: Point = { x, f: f0, g: g0, slope: slope0 };
  let t = initialStep;
  for (let i = 0; i < 30; i++) {
    const p = evaluate(t);
    if (!Number.isFinite(p.f) || p.f > f0 + c1 * t * slope0 || (i > 0 && p.f >= pPrev.f)) {
      return zoom(evaluate, f0, slope0, tPrev, pPrev, t, p, c1, c2);
    }
    if (Math.abs(p.slope) <= -c2 * slope0) return p;
    if (p.slope >= 0) return zoom(evaluate, f0, slope0, t, p, tPrev, pPrev, c1, c2);
    tPrev = t;
    pPrev = p;
    t *= 2;
  }
  return null;
}

function zoom(
  evaluate: (t: number) => Point,
  f0: number,
  slope0: number,
  tLo: number,
  lo: Point,
  tHi: number,
  hi: Point,
  c1: number,
  c2: number,
): Point | null {
  for (let i = 0; i < 40; i++) {
    // Cubic interpolation between the bracket ends, falling back to bisection when it lands near an end.
    let t = cubicMinimizer(tLo, lo.f, lo.slope, tHi, hi.f, hi.slope);
    const low = Math.min(tLo, tHi);
    const width = Math.abs(tHi - tLo);
    if (!Number.isFinite(t) || t < low + 0.1 * width || t > low + 0.9 * width) t = (tLo + tHi) / 2;
    const p = evaluate(t);
    if (!Number.isFinite(p.f) || p.f > f0 + c1 * t * slope0 || p.f >= lo.f) {
      tHi = t;
      hi = p;
    } else {
      if (Math.abs(p.slope) <= -c2 * slope0) return p;
      if (p.slope * (tHi - tLo) >= 0) {
        tHi = tLo;
        hi = lo;
      }
      tLo = t;
      lo = p;
    }
    if (Math.abs(tHi - tLo) < 1e-16) break;
  }
  // The bracket collapsed: accept the best sufficient-decrease point if it improves at all.
  return lo.f < f0 ? lo : null;
}

function cubicMinimizer(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - 3 * ((fa - fb) / (a - b));
  const radicand = d1 * d1 - ga * gb;
  if (radicand < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(radicand);
  return b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
}
