/**
 * The labels people gave, in the training CSV format: `message,label,severity` first (what `train --extra` and
 * `train --reviews` read, training/dataset.ts loadExtraLabels), then where each came from. Pure.
 */
import { stringify } from 'csv-stringify/sync';
import type { ReviewDocument } from './review-store.ts';

export const TRAINING_CSV_COLUMNS = [
  'message',
  'label',
  'severity',
  'source',
  'host',
  'mode',
  'reviewer',
  'reviewed_at',
  'ml_category',
  'ml_confidence',
  'ml_model_version',
  'line_index',
  'line_id',
] as const;

function trainingCsvRow(r: ReviewDocument): string[] {
  return [
    r.message,
    r.label,
    r.severity ?? '',
    r.source,
    r.host,
    r.mode,
    r.reviewer,
    r['@timestamp'],
    r.ml_category,
    Number.isFinite(r.ml_confidence) ? r.ml_confidence.toFixed(4) : '',
    r.ml_model_version,
    r.line_index,
    r.line_id,
  ];
}

/** The header alone, or the header and one row per review. */
export function trainingCsv(reviews: Iterable<ReviewDocument>, header = true): string {
  return stringify([...reviews].map(trainingCsvRow), { header, columns: [...TRAINING_CSV_COLUMNS] });
}
