/**
 * The forecasting core the forecaster service calls: one series in, a forecast curve with 80/95 % bands, the
 * chosen model and days to exhaustion out — or a SkippedSeries saying why not. Pure (no I/O besides loading the
 * augurs WASM from its package on first use).
 */
import { capacityThresholdLabels, type CapacityThresholdLabel } from '@aiops/contracts';
import { backtestPipeline, type BacktestOptions, type BacktestReport } from './backtest.ts';
import { toPoints } from './bands.ts';
import { daysToExhaustion } from './exhaustion.ts';
import { isModelName, MODEL_NAMES, type ModelName, type ProphetSettings } from './models.ts';
import { ModelFitError, runPipeline, type PipelineConfig, type PipelineForecast } from './pipeline.ts';
import { DAY, prepareSeries } from './series-prep.ts';
import type { ForecastResult, Series, SkippedSeries } from './types.ts';
import { initForecastWasm } from './wasm.ts';

export type { ForecastPoint, ForecastResult, Series, SkippedSeries } from './types.ts';
export type { BacktestOptions, BacktestReport, FoldReport } from './backtest.ts';
export type { ModelName, ProphetSettings } from './models.ts';
export type { PipelineConfig } from './pipeline.ts';
export { daysToExhaustion } from './exhaustion.ts';
export { initForecastWasm } from './wasm.ts';
export { MODEL_NAMES, prophetFitPredict, prophetOptions, type IntervalSource } from './models.ts';
export { simulateProphetBands, type FittedTrend, type SimulatedBands } from './prophet-intervals.ts';
// For the benchmarks beside Python prophet: the same building blocks the pipeline runs.
export { backtestPipeline } from './backtest.ts';
export { derive80From95 } from './bands.ts';
export { resample } from './series-prep.ts';

export interface ForecastOptions {
  horizonDays: number;
  /** Step of the forecast curve; default hourly. */
  stepSeconds?: number;
  /** Candidate models (default: DEFAULT_MODELS, chosen per series by holdout MASE). */
  models?: string[];
  /** A percentage in [0, 100] (CPU, memory, disk): fitted on the logit scale. */
  bounded?: boolean;
  /** A raw monotonic counter: forecast its per-second rate (resets handled; too many → skipped). */
  counter?: boolean;
}

/**
 * Prophet priors chosen in docs/evaluation/forecast.md on the July folds of the Bitbrains VMs and checked on the
 * held-out August–September folds: a stiffer trend than Prophet's default 0.05 (a 7–30 day capacity forecast
 * must not extrapolate last week's wiggle) and weaker seasonality priors.
 */
export const TUNED_PROPHET: ProphetSettings = { changepointPriorScale: 0.01, seasonalityPriorScale: 0.1 };

export const DEFAULT_STEP_SECONDS = 3600;

/** Candidates chosen between per series (docs/evaluation/forecast.md shows what each adds). */
export const DEFAULT_MODELS: ModelName[] = ['prophet', 'mstl-ets'];

export function pipelineConfig(options: Omit<ForecastOptions, 'horizonDays'>): PipelineConfig {
  const models = options.models ?? DEFAULT_MODELS;
  const unknown = models.filter((m) => !isModelName(m));
  if (unknown.length || models.length === 0) {
    throw new Error(`unknown model(s) ${unknown.join(', ') || '(none given)'}; expected one or more of ${MODEL_NAMES.join(', ')}`);
  }
  return {
    stepSeconds: options.stepSeconds ?? DEFAULT_STEP_SECONDS,
    models: models as ModelName[],
    transform: options.bounded ? 'logit' : 'none',
    prophet: TUNED_PROPHET,
    calibrate: true,
    ...(options.counter ? { counter: true } : {}),
  };
}

export async function forecastSeries(series: Series, options: ForecastOptions): Promise<ForecastResult | SkippedSeries> {
  if (!(options.horizonDays > 0)) throw new Error(`horizonDays must be positive, got ${options.horizonDays}`);
  const config = pipelineConfig(options);
  const prepared = prepareSeries(series, { stepSeconds: config.stepSeconds, ...(config.counter ? { counter: true } : {}) });
  if (!prepared.ok) return { reason: prepared.reason };
  await initForecastWasm();
  const grid = prepared.series;
  const horizonSteps = Math.round((options.horizonDays * DAY) / grid.step);
  let run: PipelineForecast;
  try {
    run = runPipeline(grid, horizonSteps, config);
  } catch (err) {
    if (err instanceof ModelFitError) return { reason: err.message };
    throw err;
  }
  const { model, bands, scores } = run;
  // The curve starts one step after the last bucket; exhaustion is counted from the last real observation.
  const lastBucket = grid.start + (grid.values.length - 1) * grid.step;
  const times = bands.yhat.map((_, i) => lastBucket + (i + 1) * grid.step);
  const points = toPoints(bands, times);
  const lastObserved = lastObservation(series);
  const result: ForecastResult = {
    model,
    stepSeconds: grid.step,
    points,
    // Per the contract's thresholds: each label is the percentage, written as text.
    daysToExhaustion: Object.fromEntries(
      capacityThresholdLabels.map((label) => [label, daysToExhaustion(points, lastObserved, Number(label))]),
    ) as Record<CapacityThresholdLabel, number>,
  };
  const chosen = scores?.find((s) => s.model === model);
  if (chosen && Number.isFinite(chosen.mape)) result.backtestMape = chosen.mape;
  return result;
}

function lastObservation(series: Series): number {
  for (let i = series.values.length - 1; i >= 0; i--) {
    const v = series.values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return series.timestamps[i]!;
  }
  return series.timestamps[series.timestamps.length - 1]!;
}

/**
 * Rolling-origin backtest of the same pipeline forecastSeries runs (defaults: 21 days initial, a cutoff every
 * 7 days, 7-day horizon).
 */
export async function backtest(
  series: Series,
  options: Partial<BacktestOptions> & Omit<ForecastOptions, 'horizonDays'> = {},
): Promise<BacktestReport | SkippedSeries> {
  await initForecastWasm();
  const { initialDays = 21, periodDays = 7, horizonDays = 7, windowDays, onFold, ...forecastOptions } = options;
  return backtestPipeline(series, pipelineConfig(forecastOptions), {
    initialDays,
    periodDays,
    horizonDays,
    ...(windowDays === undefined ? {} : { windowDays }),
    ...(onFold ? { onFold } : {}),
  });
}

export function isSkipped(result: object): result is SkippedSeries {
  return 'reason' in result;
}
