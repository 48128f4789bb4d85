/**
 * The evaluation's steps, each adding one change to the previous (docs/evaluation/forecast.md), and the priors
 * grid the "tuned priors" step is chosen from on the tuning folds only.
 */
import type { PipelineConfig } from '@aiops/ml';
import type { ProphetSettings } from '@aiops/ml';
import type { RealSeries } from './real-series.ts';

export interface Step {
  id: string;
  label: string;
  config: (s: RealSeries, tuned: ProphetSettings) => PipelineConfig;
}

const transformOf = (s: RealSeries) => (s.bounded ? 'logit' : 'none') as PipelineConfig['transform'];

export const STEPS: Step[] = [
  {
    id: 'default-5min',
    label: 'Prophet as shipped, 5-min data',
    config: () => ({ stepSeconds: 300, models: ['prophet'], transform: 'none', prophet: { stock: true } }),
  },
  {
    id: 'hourly',
    label: '+ hourly means',
    config: () => ({ stepSeconds: 3600, models: ['prophet'], transform: 'none', prophet: { stock: true } }),
  },
  {
    id: 'transform',
    label: '+ logit for percentages',
    config: (s) => ({ stepSeconds: 3600, models: ['prophet'], transform: transformOf(s), prophet: { stock: true } }),
  },
  {
    id: 'tuned',
    label: '+ tuned priors',
    config: (s, tuned) => ({ stepSeconds: 3600, models: ['prophet'], transform: transformOf(s), prophet: tuned }),
  },
  {
    id: 'choice',
    label: '+ model choice (Prophet | MSTL-ETS)',
    config: (s, tuned) => ({ stepSeconds: 3600, models: ['prophet', 'mstl-ets'], transform: transformOf(s), prophet: tuned }),
  },
  {
    id: 'calibrated',
    label: '+ bands calibrated on the holdout week (= production)',
    config: (s, tuned) => ({ stepSeconds: 3600, models: ['prophet', 'mstl-ets'], transform: transformOf(s), prophet: tuned, calibrate: true }),
  },
];

/** Reference rows, not steps: each alternative model alone on the production preparation. */
export const REFERENCES: Step[] = [
  {
    id: 'mstl-only',
    label: 'reference: MSTL-ETS alone',
    config: (s, tuned) => ({ stepSeconds: 3600, models: ['mstl-ets'], transform: transformOf(s), prophet: tuned }),
  },
  {
    id: 'choice3',
    label: 'reference: production + seasonal naive as a third candidate',
    config: (s, tuned) => ({ stepSeconds: 3600, models: ['prophet', 'mstl-ets', 'seasonal-naive'], transform: transformOf(s), prophet: tuned, calibrate: true }),
  },
  {
    id: '6-hourly',
    label: 'reference: production at 6-hour means (scored on 6-hour means)',
    config: (s, tuned) => ({ stepSeconds: 21_600, models: ['prophet', 'mstl-ets'], transform: transformOf(s), prophet: tuned, calibrate: true }),
  },
  {
    id: 'seasonal-naive',
    label: 'reference: seasonal naive (same hour last week)',
    config: (s, tuned) => ({ stepSeconds: 3600, models: ['seasonal-naive'], transform: 'none', prophet: tuned }),
  },
];

/** The priors grid (Prophet's defaults: changepoint 0.05, seasonality 10). */
export const PRIOR_GRID: ProphetSettings[] = [0.003, 0.01, 0.05, 0.2].flatMap((changepointPriorScale) =>
  [0.1, 1, 10].map((seasonalityPriorScale) => ({ changepointPriorScale, seasonalityPriorScale })),
);
