/**
 * The forecast contract between the pure forecasting core (packages/ml/src/forecast) and the forecaster service
 * (which reads Prometheus, publishes gauges and writes `forecasts-*`). Times are epoch seconds.
 */
import type { CapacityThresholdLabel } from '@aiops/contracts';
export interface Series {
  /** Ascending epoch seconds; gaps are missing timestamps or null values, never invented points. */
  timestamps: number[];
  values: (number | null)[];
}

export interface ForecastPoint {
  time: number;
  yhat: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface ForecastResult {
  /** Which model won the backtest for this series (e.g. "prophet", "mstl-ets"), recorded with the forecast. */
  model: string;
  /** Step of the forecast curve in seconds (e.g. 3600 for hourly). */
  stepSeconds: number;
  points: ForecastPoint[];
  /** Days from the last observation until the upper 95 % bound first crosses the threshold; Infinity if never. */
  daysToExhaustion: Record<CapacityThresholdLabel, number>;
  /** Backtest error that chose the model, when a backtest ran. */
  backtestMape?: number;
}

/** Why a series got no forecast (all-NaN, constant, too short, ...): reported per series, the others go on. */
export interface SkippedSeries {
  reason: string;
}
