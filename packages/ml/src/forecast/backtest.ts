/**
 * Rolling-origin backtest as Prophet's cross_validation does it: cutoffs every `periodDays` counted back from
 * the last possible one (end − horizon), the first at least `initialDays` into the history; at each cutoff the
 * pipeline is fitted on the history before it (all of it, or the last `windowDays`) and scored on the next
 * `horizonDays` of actuals, averaged onto the forecast's step.
 */
import { coverage, durbinWatson, mape, mase, smape } from './metrics.ts';
import { ModelFitError, runPipeline, type PipelineConfig, type PipelineForecast } from './pipeline.ts';
import { DAY, prepareSeries, type RegularSeries } from './series-prep.ts';
import type { ForecastPoint, Series, SkippedSeries } from './types.ts';
import { toPoints } from './bands.ts';

export interface BacktestOptions {
  initialDays: number;
  periodDays: number;
  horizonDays: number;
  /** Fit on only the last N days before each cutoff (a sliding window); default: everything before it. */
  windowDays?: number;
  /** Called after each fold, for a progress bar. */
  onFold?: (done: number, total: number) => void;
}

export interface FoldReport {
  cutoff: number;
  model: string;
  mape: number;
  smape: number;
  mase: number;
  coverage80: number;
  coverage95: number;
  durbin_watson: number;
  /** Forecast and the actuals it was scored on (same step), for plots. */
  forecast: ForecastPoint[];
  actual: (number | null)[];
}

export interface BacktestReport {
  /** Pooled over every fold's points, like Prophet's performance_metrics. */
  mape: number;
  smape: number;
  coverage80: number;
  coverage95: number;
  /** Means over folds: each fold has its own naive scale / residual sequence. */
  mase: number;
  durbin_watson: number;
  stepSeconds: number;
  folds: FoldReport[];
}

function foldCutoffs(start: number, end: number, o: Pick<BacktestOptions, 'initialDays' | 'periodDays' | 'horizonDays'>): number[] {
  const cutoffs: number[] = [];
  for (let c = end - o.horizonDays * DAY; c >= start + o.initialDays * DAY - 1e-6; c -= o.periodDays * DAY) cutoffs.unshift(c);
  return cutoffs;
}

const mean = (xs: number[]) => {
  const ok = xs.filter((x) => Number.isFinite(x));
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
};

export function backtestPipeline(series: Series, config: PipelineConfig, options: BacktestOptions): BacktestReport | SkippedSeries {
  const prepared = prepareSeries(series, { stepSeconds: config.stepSeconds, ...(config.counter ? { counter: true } : {}) });
  if (!prepared.ok) return { reason: prepared.reason };
  const grid = prepared.series;
  const step = grid.step;
  const end = grid.start + grid.values.length * step;
  const cutoffs = foldCutoffs(grid.start, end, options);
  if (cutoffs.length === 0) {
    return {
      reason: `too short for a backtest: ${((end - grid.start) / DAY).toFixed(1)} days of history, need initial ${options.initialDays} + horizon ${options.horizonDays} days`,
    };
  }
  const horizonSteps = Math.round((options.horizonDays * DAY) / step);
  const season = Math.round(DAY / step);
  const folds: FoldReport[] = [];
  for (const cutoff of cutoffs) {
    const cutIndex = Math.round((cutoff - grid.start) / step);
    const from = options.windowDays ? Math.max(0, cutIndex - Math.round((options.windowDays * DAY) / step)) : 0;
    const train: RegularSeries = { start: grid.start + from * step, step, values: grid.values.slice(from, cutIndex) };
    const actual = grid.values.slice(cutIndex, cutIndex + horizonSteps);
    let run: PipelineForecast;
    try {
      run = runPipeline(train, horizonSteps, config);
    } catch (err) {
      if (err instanceof ModelFitError) return { reason: `fold at ${new Date(cutoff * 1000).toISOString()}: ${err.message}` };
      throw err;
    }
    const { model, bands } = run;
    const times = actual.map((_, i) => grid.start + (cutIndex + i) * step);
    folds.push({
      cutoff: grid.start + cutIndex * step,
      model,
      mape: mape(actual, bands.yhat),
      smape: smape(actual, bands.yhat),
      mase: mase(actual, bands.yhat, train.values, season),
      coverage80: coverage(actual, bands.lower80, bands.upper80),
      coverage95: coverage(actual, bands.lower95, bands.upper95),
      durbin_watson: durbinWatson(actual.map((a, i) => (a === null ? null : a - bands.yhat[i]!))),
      forecast: toPoints(bands, times),
      actual,
    });
    options.onFold?.(folds.length, cutoffs.length);
  }
  const allActual = folds.flatMap((f) => f.actual);
  const pick = (k: keyof ForecastPoint) => folds.flatMap((f) => f.forecast.map((p) => p[k]));
  return {
    mape: mape(allActual, pick('yhat')),
    smape: smape(allActual, pick('yhat')),
    coverage80: coverage(allActual, pick('lower80'), pick('upper80')),
    coverage95: coverage(allActual, pick('lower95'), pick('upper95')),
    mase: mean(folds.map((f) => f.mase)),
    durbin_watson: mean(folds.map((f) => f.durbin_watson)),
    stepSeconds: step,
    folds,
  };
}
