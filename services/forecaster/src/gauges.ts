/**
 * The forecaster's gauges (docs/contracts.md), built from the run's forecasts; pure. They travel through the
 * metrics outbox with the job gauges (grouping key job="forecaster" + instance=<ML node>), so `host` names the
 * monitored machine and `instance` the ML node that forecast it.
 */
import type { GaugeSample } from '@aiops/common';
import { capacity, capacityThresholdLabels, metrics, sample } from '@aiops/contracts';
import type { ForecastPoint, ForecastResult } from '@aiops/ml';
import type { SeriesKey } from './prometheus/capacity-queries.ts';
import type { ExtractedSeries } from './prometheus/extract.ts';

/** days_to_exhaustion is +Inf beyond this (the contract: "+Inf when not within 30 d"). */
export const EXHAUSTION_HORIZON_DAYS = capacity.exhaustionHorizonDays;
const BOUNDS: Record<string, keyof Omit<ForecastPoint, 'time'>> = {
  yhat: 'yhat',
  lower80: 'lower80',
  upper80: 'upper80',
  lower95: 'lower95',
  upper95: 'upper95',
};

export interface SeriesForecast {
  series: Pick<ExtractedSeries, keyof SeriesKey | 'unit'>;
  /** Epoch seconds of the last non-null observation (horizons count from here). */
  lastObserved: number;
  result: ForecastResult;
}

/** The first curve point at or after `time`, or undefined when the curve ends earlier (by more than one step). */
export function pointAtHorizon(result: ForecastResult, time: number): ForecastPoint | undefined {
  const point = result.points.find((p) => p.time >= time);
  if (point) return point;
  const last = result.points[result.points.length - 1];
  return last && time - last.time <= result.stepSeconds ? last : undefined;
}

function seriesLabels(s: SeriesForecast['series']): { host: string; metric: string; device: string } {
  return { host: s.host, metric: s.metric, device: s.device };
}

export function daysToExhaustionValue(days: number): number {
  return Number.isFinite(days) && days >= 0 && days <= EXHAUSTION_HORIZON_DAYS ? days : days < 0 ? 0 : Infinity;
}

export function capacityGauges(forecasts: SeriesForecast[], model: { version: string; trainedAt: string }): GaugeSample[] {
  const samples: GaugeSample[] = [];
  for (const f of forecasts) {
    const labels = seriesLabels(f.series);
    // Only percentages have a capacity to run out of; bytes/s have no known ceiling (link speed is not scraped).
    if (f.series.unit === 'percent') {
      for (const threshold of capacityThresholdLabels) {
        samples.push(
          sample(metrics.capacityDaysToExhaustion, { ...labels, threshold }, daysToExhaustionValue(f.result.daysToExhaustion[threshold])),
        );
      }
    }
    for (const [horizon, days] of Object.entries(capacity.horizonsDays)) {
      const point = pointAtHorizon(f.result, f.lastObserved + days * 86_400);
      if (!point) continue;
      for (const [bound, field] of Object.entries(BOUNDS)) {
        samples.push(sample(metrics.capacityForecast, { ...labels, horizon, bound }, point[field]));
      }
    }
    if (f.result.backtestMape !== undefined) {
      samples.push(sample(metrics.forecastBacktestMape, labels, f.result.backtestMape));
    }
  }
  samples.push(sample(metrics.modelInfo, { model: 'forecaster', version: model.version, trained_at: model.trainedAt }, 1));
  return samples;
}
