/**
 * The candidate models, each fitting a regular grid and returning a horizon of bands on the (transformed) scale
 * it was given: Prophet (augurs, Stan MAP/MLE in WASM) and MSTL with an AutoETS trend (augurs).
 */
import { MSTL } from '@bsull/augurs/mstl';
import {
  Prophet,
  type ProphetInitialParams,
  type ProphetOptimizedParams,
  type ProphetOptimizeOptions,
  type ProphetOptions,
  type ProphetStanDataJSON,
} from '@bsull/augurs/prophet';
import { optimizer } from '@bsull/augurs-prophet-wasmstan';
import { derive80From95, type Bands } from './bands.ts';
import { simulateProphetBands, type FittedTrend } from './prophet-intervals.ts';
import { DAY, fillGaps, gridTimes, type RegularSeries } from './series-prep.ts';

export const MODEL_NAMES = ['prophet', 'mstl-ets', 'seasonal-naive'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface ProphetSettings {
  changepointPriorScale?: number;
  seasonalityPriorScale?: number;
  /** Fourier orders (Prophet's defaults: daily 4, weekly 3). */
  dailyOrder?: number;
  weeklyOrder?: number;
  changepointRange?: number;
  nChangepoints?: number;
  /** Draws for the intervals (Prophet's default 1000). */
  uncertaintySamples?: number;
  /** true: Prophet exactly as shipped (auto seasonalities), the evaluation's baseline. */
  stock?: boolean;
}

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}

export function fitPredict(model: ModelName, train: RegularSeries, horizonSteps: number, prophet: ProphetSettings = {}): Bands {
  if (model === 'prophet') return prophetBands(train, horizonSteps, withOrdersFor(train.step, prophet));
  return model === 'mstl-ets' ? mstlBands(train, horizonSteps) : seasonalNaiveBands(train, horizonSteps);
}

/**
 * A Fourier order above half the points per period has more terms than the data has phases (at 6-hour steps a
 * daily order 4 means 8 columns for 4 distinct values): the fit is degenerate and L-BFGS and Newton stall.
 */
function withOrdersFor(stepSeconds: number, settings: ProphetSettings): ProphetSettings {
  if (settings.stock) return settings;
  const cap = (order: number, period: number) => Math.min(order, Math.floor(period / stepSeconds / 2));
  return { ...settings, dailyOrder: cap(settings.dailyOrder ?? 4, DAY), weeklyOrder: cap(settings.weeklyOrder ?? 3, 7 * DAY) };
}

/** Prophet options shared with bench/forecast/prophet_ref.py: change one, change both. */
export function prophetOptions(settings: ProphetSettings, intervalWidth: number): ProphetOptions {
  const base: ProphetOptions = { optimizer, intervalWidth, uncertaintySamples: settings.uncertaintySamples ?? 1000 };
  if (settings.stock) return base;
  return {
    ...base,
    dailySeasonality: (settings.dailyOrder ?? 4) > 0 ? { type: 'fourier', order: settings.dailyOrder ?? 4 } : { type: 'manual', enabled: false },
    weeklySeasonality: (settings.weeklyOrder ?? 3) > 0 ? { type: 'fourier', order: settings.weeklyOrder ?? 3 } : { type: 'manual', enabled: false },
    yearlySeasonality: { type: 'manual', enabled: false },
    changepointPriorScale: settings.changepointPriorScale ?? 0.05,
    seasonalityPriorScale: settings.seasonalityPriorScale ?? 10,
    ...(settings.changepointRange === undefined ? {} : { changepointRange: settings.changepointRange }),
    ...(settings.nChangepoints === undefined ? {} : { nChangepoints: settings.nChangepoints }),
  };
}

/**
 * One fit at interval_width 0.95 and the 80 % band derived from it (see derive80From95): a second fit at 0.8
 * would double the cost, and a Prophet model's width is fixed when it is built.
 */
function prophetBands(train: RegularSeries, horizonSteps: number, settings: ProphetSettings): Bands {
  const ds: number[] = [];
  const y: number[] = [];
  gridTimes(train).forEach((t, i) => {
    const v = train.values[i];
    if (v !== null && v !== undefined) {
      ds.push(t);
      y.push(v);
    }
  });
  const end = train.start + (train.values.length - 1) * train.step;
  const future = Array.from({ length: horizonSteps }, (_, i) => end + (i + 1) * train.step);
  const { yhat, lower, upper } = prophetFitPredict(ds, y, future, settings, 0.95);
  return { yhat, lower95: lower, upper95: upper, ...derive80From95(yhat, lower, upper) };
}

export interface ProphetRun {
  yhat: number[];
  lower: number[];
  upper: number[];
  fitSeconds: number;
  predictSeconds: number;
  /** What the interval simulation draws from (the fitted trend), and the future on Prophet's time scale. */
  trend: FittedTrend;
  futureTimes: Float64Array;
}

/**
 * Where the intervals come from: `simulated` (default) = our typed-array simulation of prophet's draws
 * (prophet-intervals.ts) from the fitted parameters; `augurs` = augurs' own predict with its draws (what the
 * simulation is measured against).
 */
export type IntervalSource = 'simulated' | 'augurs';

/** The fitted parameters and Stan data of the last fit, taken on their way out of the optimizer. */
interface CapturedFit {
  params?: ProphetOptimizedParams;
  data?: string;
}

function capturingOptimizer(captured: CapturedFit) {
  return {
    optimize(init: ProphetInitialParams, data: ProphetStanDataJSON, opts: ProphetOptimizeOptions) {
      const out = optimizer.optimize(init, data, opts);
      captured.params = out.params;
      captured.data = data;
      return out;
    },
  };
}

/** One Prophet fit and predict at one interval width, timed (the benchmark's unit of work, too). */
export function prophetFitPredict(
  ds: number[],
  y: number[],
  future: number[],
  settings: ProphetSettings,
  intervalWidth: number,
  intervals: IntervalSource = 'simulated',
): ProphetRun {
  const t0 = performance.now();
  const draws = settings.uncertaintySamples ?? 1000;
  const captured: CapturedFit = {};
  const options = (): ProphetOptions => {
    const base = prophetOptions(settings, intervalWidth);
    return { ...base, optimizer: capturingOptimizer(captured), ...(intervals === 'augurs' ? {} : { uncertaintySamples: 0 }) };
  };
  let model = new Prophet(options());
  try {
    try {
      model.fit({ ds, y });
    } catch {
      // L-BFGS's line search sometimes stalls on flat stretches. Python's prophet retries with Newton, but Stan's
      // Newton can loop forever on a degenerate fit (seen at 6-hour steps on a bursty network series): BFGS instead.
      // A failed fit leaves the model half set up (its seasonalities added), so the retry needs a fresh one.
      model.free();
      model = new Prophet(options());
      model.fit({ ds, y }, { algorithm: 'bfgs' });
    }
    const t1 = performance.now();
    const p = model.predict({ ds: future });
    const yhat = p.yhat.point;
    let lower = p.yhat.intervals?.lower ?? yhat;
    let upper = p.yhat.intervals?.upper ?? yhat;
    const trend = fittedTrend(captured, y);
    const futureTimes = scaledTimes(ds, future);
    if (intervals === 'simulated' && draws > 0) {
      const bands = simulateProphetBands(trend, futureTimes, yhat, intervalWidth, draws);
      lower = bands.lower;
      upper = bands.upper;
    }
    const t2 = performance.now();
    return { yhat, lower, upper, fitSeconds: (t1 - t0) / 1000, predictSeconds: (t2 - t1) / 1000, trend, futureTimes };
  } finally {
    model.free();
  }
}

/** Prophet's time scale: the history's first point at 0, its last at 1. */
function scaledTimes(ds: number[], future: number[]): Float64Array {
  const start = ds[0]!;
  const span = ds[ds.length - 1]! - start;
  return Float64Array.from(future, (t) => (t - start) / span);
}

/** What the simulation needs from the fit: changepoints and deltas, noise, and the y scale (prophet's absmax). */
function fittedTrend(captured: CapturedFit, y: number[]): FittedTrend {
  if (!captured.params || !captured.data) throw new Error('prophet: the optimizer was not called');
  const data = JSON.parse(captured.data) as { t_change: number[]; y: number[] };
  let yScale = 0;
  for (const v of y) yScale = Math.max(yScale, Math.abs(v));
  return { changepoints: data.t_change, delta: captured.params.delta, sigmaObs: captured.params.sigmaObs, yScale: yScale || 1 };
}

/** Daily and (when two weeks of history allow it) weekly periods, MSTL with AutoETS on the deseasonalised rest. */
function mstlBands(train: RegularSeries, horizonSteps: number): Bands {
  const y = fillGaps(train.values);
  const daily = Math.round(DAY / train.step);
  const periods = y.length >= 2 * 7 * daily ? [daily, 7 * daily] : [daily];
  const model = MSTL.ets(periods);
  try {
    model.fit(y);
    const f95 = model.predict(horizonSteps, 0.95);
    const f80 = model.predict(horizonSteps, 0.8);
    return {
      yhat: f95.point,
      lower95: f95.intervals?.lower ?? f95.point,
      upper95: f95.intervals?.upper ?? f95.point,
      lower80: f80.intervals?.lower ?? f80.point,
      upper80: f80.intervals?.upper ?? f80.point,
    };
  } finally {
    model.free();
  }
}

/**
 * Last week's value at the same hour (last day's with under two weeks of history), with bands from the empirical
 * quantiles of its own in-sample errors, widened by √k for the k-th repetition of the season. The reference any
 * model must beat, and a candidate for series whose shape simply repeats.
 */
function seasonalNaiveBands(train: RegularSeries, horizonSteps: number): Bands {
  const y = fillGaps(train.values);
  const daily = Math.round(DAY / train.step);
  const season = y.length >= 2 * 7 * daily ? 7 * daily : daily;
  const errors: number[] = [];
  for (let i = season; i < y.length; i++) errors.push(y[i]! - y[i - season]!);
  errors.sort((a, b) => a - b);
  const q = (p: number) => (errors.length ? errors[Math.min(errors.length - 1, Math.max(0, Math.round(p * (errors.length - 1))))]! : 0);
  const [q025, q10, q90, q975] = [q(0.025), q(0.1), q(0.9), q(0.975)];
  const bands: Bands = { yhat: [], lower80: [], upper80: [], lower95: [], upper95: [] };
  for (let h = 0; h < horizonSteps; h++) {
    const base = y[y.length - season + (h % season)]!;
    const k = Math.sqrt(Math.floor(h / season) + 1);
    bands.yhat.push(base);
    bands.lower80.push(base + k * q10);
    bands.upper80.push(base + k * q90);
    bands.lower95.push(base + k * q025);
    bands.upper95.push(base + k * q975);
  }
  return bands;
}
