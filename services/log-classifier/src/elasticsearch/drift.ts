/**
 * Drift, as the seed defines its retraining trigger: the model's macro-F1 on the lines people labeled, against
 * the macro-F1 it had on its own held-out templates; a drop of more than 5 % says "retrain".
 */
import type { Client, GaugeSample } from '@aiops/common';
import { classificationReport } from '@aiops/ml';
import type { estypes } from '@elastic/elasticsearch';
import type { LineClassifier } from './line-classifier.ts';

/** counts[truth][predicted] over reviewed lines. */
export type Confusion = Map<string, Map<string, number>>;

/** Fewer reviewed lines than this say too little to trigger a retraining. */
export const MIN_REVIEWED_FOR_DRIFT = 20;
export const MAX_RELATIVE_F1_DROP = 0.05;

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
  const retrain = total >= MIN_REVIEWED_FOR_DRIFT && f1 < model.baselineMacroF1 * (1 - MAX_RELATIVE_F1_DROP);
  return [
    { name: 'aiops_logs_reviewed_lines', help: 'Lines people labeled for the current model.', labels: {}, value: total },
    { name: 'aiops_logs_review_macro_f1', help: 'Macro-F1 of the current model on the lines people labeled.', labels: {}, value: f1 },
    { name: 'aiops_logs_model_baseline_macro_f1', help: 'Macro-F1 of the current model on its held-out templates.', labels: {}, value: model.baselineMacroF1 },
    {
      name: 'aiops_logs_retrain_recommended',
      help: `1 when the reviewed macro-F1 dropped more than ${MAX_RELATIVE_F1_DROP * 100} % below the baseline (with at least ${MIN_REVIEWED_FOR_DRIFT} reviewed lines).`,
      labels: {},
      value: retrain ? 1 : 0,
    },
  ];
}
