/** The days-to-exhaustion evaluation's data: a filling series and one scored cutoff of it. */
import type { Series } from '@aiops/ml';

export interface FillSeries {
  name: string;
  how: string;
  series: Series;
}

/** Days to exhaustion at one cutoff: the truth, ours (upper 95 % bound), the yhat crossing and predict_linear. */
export interface ExhaustionCase {
  series: string;
  cutoffDay: number;
  truth: number;
  upper95: number;
  yhat: number;
  linear: number;
  model: string;
}
