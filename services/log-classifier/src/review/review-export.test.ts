import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReviewedLines, reviewsRecord } from '../commands/train-reviews.ts';
import { TRAINING_CSV_COLUMNS, trainingCsv } from './review-export.ts';
import type { ReviewDocument } from './review-store.ts';

const review = (over: Partial<ReviewDocument>): ReviewDocument => ({
  '@timestamp': '2026-12-01T10:00:00.000Z',
  line_index: 'logs-classified-2026.11.30',
  line_id: 'a',
  label: 'warning',
  reviewer: 'ana',
  mode: 'queue',
  message: 'sshd: Failed password for root from 10.0.0.1 port 22 ssh2',
  host: 'telem-a',
  source: 'auth',
  severity: 'warning',
  ml_category: 'informational',
  ml_confidence: 0.41,
  ml_model_version: 'tfidf-logreg-1',
  agrees: false,
  ...over,
});

describe('review export → train --reviews', () => {
  it('writes message,label,severity first, and train reads every label back, each line its own template', () => {
    const tricky = 'kernel: oops, "BUG" at <script>\nline 2';
    const csv = trainingCsv([
      review({}),
      review({ line_id: 'b', message: tricky, label: 'critical', mode: 'spot-check', sample_week: '2026-W48', '@timestamp': '2026-12-02T09:00:00.000Z' }),
      review({ line_id: 'c', label: 'noise', severity: undefined, message: 'CRON[1]: session closed' }),
    ]);
    expect(csv.split('\n')[0]).toBe(TRAINING_CSV_COLUMNS.join(','));
    const file = join(mkdtempSync(join(tmpdir(), 'review-export-')), 'reviews.csv');
    writeFileSync(file, csv);
    const lines = loadReviewedLines(file);
    expect(lines.map((l) => [l.label, l.message])).toEqual([
      ['warning', review({}).message],
      ['critical', tricky],
      ['noise', 'CRON[1]: session closed'],
    ]);
    expect(lines[0]).toMatchObject({ system: 'review', template: `review/${review({}).message}`, severity: 'warn' }); // normalized as training reads it
    expect(lines[2]!.severity).toBeUndefined();
    expect(reviewsRecord(file, lines)).toEqual({
      file,
      lines: 3,
      perLabel: { warning: 1, critical: 1, noise: 1 },
      latestReviewedAt: '2026-12-02T09:00:00.000Z',
    });
    expect(reviewsRecord(undefined, [])).toBeNull();
  });

  it('an empty export is a header a train reads as no reviewed lines', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'review-export-')), 'empty.csv');
    writeFileSync(file, trainingCsv([]));
    expect(loadReviewedLines(file)).toEqual([]);
    expect(reviewsRecord(file, [])).toMatchObject({ lines: 0, latestReviewedAt: null });
  });
});
