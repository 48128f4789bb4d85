/**
 * `train --reviews`: the lines people labeled on the review page (`review export --labels`), as training lines,
 * and what the model file records of them (`training.reviews`: how many, per label, from which file, up to when).
 */
import { readFileSync } from 'node:fs';
import { loadExtraLabels } from '@aiops/datasets/log-labels';
import { parseCsv, type LabeledLine } from '@aiops/log-classification';

export interface ReviewsRecord {
  file: string;
  lines: number;
  perLabel: Record<string, number>;
  /** The newest label used (ISO time), so a model says which reviews it has seen. */
  latestReviewedAt: string | null;
}

/** Each reviewed line is its own pseudo-template `review/<message>`, weighted like one hand-labeled template. */
export function loadReviewedLines(file: string): LabeledLine[] {
  return loadExtraLabels(file).map((l) => ({ ...l, system: 'review', template: `review/${l.message}` }));
}

function latestReviewedAt(file: string): string | null {
  const table = parseCsv(readFileSync(file, 'utf8'), file);
  const column = table.header.indexOf('reviewed_at');
  if (column < 0) return null;
  let latest: string | null = null;
  for (const row of table.rows) {
    const at = row.values[column] ?? '';
    if (at && (latest === null || at > latest)) latest = at;
  }
  return latest;
}

export function reviewsRecord(file: string | undefined, reviewed: readonly LabeledLine[]): ReviewsRecord | null {
  if (!file) return null;
  const perLabel: Record<string, number> = {};
  for (const l of reviewed) perLabel[l.label] = (perLabel[l.label] ?? 0) + 1;
  return { file, lines: reviewed.length, perLabel, latestReviewedAt: latestReviewedAt(file) };
}
