/**
 * The review sheet a person edits in a spreadsheet: one row per log line, the model's verdict beside an empty
 * `review_label` column. Pure: rows ↔ CSV text, and validation of an edited sheet with file:line:field errors.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const REVIEW_COLUMNS = [
  'index',
  'id',
  'timestamp',
  'host',
  'source',
  'message',
  'ml_category',
  'ml_confidence',
  'kind',
  'review_label',
] as const;

export interface ReviewRow {
  index: string;
  id: string;
  timestamp: string;
  host: string;
  source: string;
  message: string;
  ml_category: string;
  ml_confidence: number;
  /** `review`: confidence below the threshold; `spot-check`: a random confident line (the weekly sample). */
  kind: 'review' | 'spot-check';
  /** Empty on export; the person's category on import. */
  review_label: string;
}

export function reviewSheet(rows: readonly ReviewRow[]): string {
  return stringify(
    rows.map((r) => REVIEW_COLUMNS.map((c) => (c === 'ml_confidence' ? r.ml_confidence.toFixed(3) : r[c]))),
    { header: true, columns: [...REVIEW_COLUMNS] },
  );
}

interface ReviewedLine {
  line: number;
  index: string;
  id: string;
  message: string;
  mlCategory: string;
  label: string;
}

interface SheetProblem {
  /** `file:line` (the line where the record starts, 1 = header) and the field at fault. */
  where: string;
  field: string;
  reason: string;
}

export interface ParsedSheet {
  reviewed: ReviewedLine[];
  /** Rows the person left unlabeled: not an error, they are simply still pending. */
  unlabeled: number;
  problems: SheetProblem[];
}

/**
 * Reads an edited sheet. Labels are matched case-insensitively against `classes`; a row with an unknown label or
 * a missing id is reported and skipped, the others still count. Spreadsheets may add a BOM, reorder or add
 * columns: columns are found by header name.
 */
export function parseReviewSheet(text: string, file: string, classes: readonly string[]): ParsedSheet {
  const records = parse(text, { bom: true, columns: true, skip_empty_lines: true, relax_column_count: true, info: true }) as {
    record: Record<string, string | undefined>;
    info: { lines: number };
  }[];
  const known = new Map(classes.map((c) => [c.toLowerCase(), c]));
  const out: ParsedSheet = { reviewed: [], unlabeled: 0, problems: [] };
  const header = records[0] ? Object.keys(records[0].record) : [];
  for (const required of ['index', 'id', 'review_label'] as const) {
    if (records.length > 0 && !header.includes(required)) {
      out.problems.push({ where: `${file}:1`, field: required, reason: 'column missing from the header' });
    }
  }
  if (out.problems.length > 0) return out;
  for (const { record, info } of records) {
    const where = `${file}:${info.lines}`;
    const raw = (record.review_label ?? '').trim();
    if (raw === '') {
      out.unlabeled++;
      continue;
    }
    const label = known.get(raw.toLowerCase());
    if (!label) {
      out.problems.push({ where, field: 'review_label', reason: `"${raw}" is not one of ${classes.join(', ')}` });
      continue;
    }
    const index = (record.index ?? '').trim();
    const id = (record.id ?? '').trim();
    if (!index || !id) {
      out.problems.push({ where, field: index ? 'id' : 'index', reason: 'empty: the row cannot be matched to its document' });
      continue;
    }
    out.reviewed.push({ line: info.lines, index, id, message: record.message ?? '', mlCategory: record.ml_category ?? '', label });
  }
  return out;
}
