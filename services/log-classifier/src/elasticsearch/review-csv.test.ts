import { describe, expect, it } from 'vitest';
import { parseReviewSheet, reviewSheet, type ReviewRow } from './review-csv.ts';

const CLASSES = ['critical', 'warning', 'informational', 'noise'];
const row = (over: Partial<ReviewRow>): ReviewRow => ({
  index: 'logs-2026.11.24',
  id: 'a1',
  timestamp: '2026-11-24T10:00:00.000Z',
  host: 'telem-a',
  source: 'auth',
  message: 'Failed password for root from 10.0.0.1 port 22 ssh2',
  ml_category: 'warning',
  ml_confidence: 0.41,
  kind: 'review',
  review_label: '',
  ...over,
});

describe('review sheet', () => {
  it('round-trips messages with commas, quotes and newlines, and reads back the labels a person typed', () => {
    const tricky = 'kernel: oops, "BUG" at\nline 2';
    // What a spreadsheet saves after the person typed two labels (one in another case) and left one empty.
    const edited = reviewSheet([
      row({ id: 'a1', message: tricky, review_label: 'Critical' }),
      row({ id: 'a2', review_label: 'noise' }),
      row({ id: 'a3' }),
    ]);
    const parsed = parseReviewSheet(edited, 'sheet.csv', CLASSES);
    expect(parsed.problems).toEqual([]);
    expect(parsed.unlabeled).toBe(1);
    expect(parsed.reviewed.map((r) => [r.id, r.label])).toEqual([
      ['a1', 'critical'],
      ['a2', 'noise'],
    ]);
    expect(parsed.reviewed[0]!.message).toBe(tricky);
  });

  it('names the file, line and field of a bad label and keeps the good rows', () => {
    const csv = reviewSheet([row({ id: 'a1', review_label: 'urgent' }), row({ id: 'a2', review_label: 'warning' })]);
    const parsed = parseReviewSheet(csv, 'sheet.csv', CLASSES);
    expect(parsed.problems).toEqual([{ where: 'sheet.csv:2', field: 'review_label', reason: expect.stringContaining('"urgent"') }]);
    expect(parsed.reviewed.map((r) => r.id)).toEqual(['a2']);
  });

  it('refuses a sheet whose header lost a required column', () => {
    const parsed = parseReviewSheet('index,message\nlogs-x,hello\n', 'sheet.csv', CLASSES);
    expect(parsed.problems.map((p) => p.field)).toEqual(['id', 'review_label']);
  });

  it('accepts a BOM and reordered columns, as spreadsheets write them', () => {
    const parsed = parseReviewSheet('\uFEFFreview_label,id,index\nINFORMATIONAL,x9,logs-2026.11.24\n', 'sheet.csv', CLASSES);
    expect(parsed.reviewed).toMatchObject([{ id: 'x9', label: 'informational', line: 2 }]);
  });
});
