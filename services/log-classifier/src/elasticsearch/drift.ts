/**
 * Drift, as the seed defines its retraining trigger: the model's macro-F1 on the lines people labeled, against
 * the macro-F1 it had on its own held-out templates; a drop of more than 5 % says "retrain".
 */
import type { Client, GaugeSample } from '@aiops/common';
import { logReview, metrics, sample } from '@aiops/contracts';
import { classificationReport } from '@aiops/ml';
import type { estypes } from '@elastic/elasticsearch';
import type { LineClassifier } from './line-classifier.ts';

/** counts[truth][predicted] over reviewed lines. */
export type Confusion = Map<string, Map<string, number>>;


export async function reviewedConfusion(client: Client, index: string, modelVersion: string): Promise<Confusion> {
  const res = await client.search({
    index,
    size: 0,
    ignore_unavailable: true,
    allow_no_indices: true,
    query: { bool: { filter: [{ exists: { field: 'review_label' } }, { term: { ml_model_version: modelVersion } }] } },
    aggs: { truth: { terms: { field: 'review_label', size: 50 }, aggs: { predicted: { terms: { field: 'ml_category', size: 50 } } } } },
  });
  type Bucket = estypes.AggregationsStringTermsBucket & { predicted: estypes.AggregationsStringTermsAggregate };
  const truth = res.aggregations?.truth as estypes.AggregationsStringTermsAggregate | undefined;
  const confusion: Confusion = new Map();
  for (const t of (truth?.buckets ?? []) as Bucket[]) {
    const row = new Map<string, number>();
    for (const p of p2(t.predicted)) row.set(String(p.key), p.doc_count);
    confusion.set(String(t.key), row);
  }
  return confusion;
}

const p2 = (agg: estypes.AggregationsStringTermsAggregate) => agg.buckets as estypes.AggregationsStringTermsBucket[];

/** Macro-F1 over every class that occurs as truth or prediction (scikit-learn's default label set). */
export function macroF1(confusion: Confusion): { macroF1: number; total: number } {
  const truth: string[] = [];
  const predicted: string[] = [];
  const counts: number[] = [];
  for (const [t, row] of confusion) {
    for (const [p, n] of row) {
      truth.push(t);
      predicted.push(p);
      counts.push(n);
    }
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return { macroF1: 0, total: 0 };
  const classes = [...new Set([...truth, ...predicted])].sort();
  return { macroF1: classificationReport(truth, predicted, classes, counts).macroF1, total };
}

export function driftGauges(confusion: Confusion, model: Pick<LineClassifier, 'baselineMacroF1'>): GaugeSample[] {
  const { macroF1: f1, total } = macroF1(confusion);
  const retrain = total >= logReview.minReviewedForDrift && f1 < model.baselineMacroF1 * (1 - logReview.maxRelativeF1Drop);
  return [
    sample(metrics.logsReviewedLines, {}, total),
    sample(metrics.logsReviewMacroF1, {}, f1),
    sample(metrics.logsModelBaselineMacroF1, {}, model.baselineMacroF1),
    sample(metrics.logsRetrainRecommended, {}, retrain ? 1 : 0),
  ];
}
