/**
 * The series CSV (`timestamp,value`) and the forecast CSV (`timestamp,yhat,lower80,upper80,lower95,upper95`).
 * One reader for both producers of series CSVs: an operator's file for `forecast --file` (ISO 8601 or epoch
 * seconds; an optional header; an empty or NaN value is a gap) and an `extract --out` folder's files, a strict
 * subset (the header, epoch seconds, gaps as missing rows) read back by prometheus/series-files.ts, so whatever
 * extract writes is files-mode input by construction. Bad input names file, line and field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ForecastPoint, Series } from '@aiops/ml';

export class SeriesFileError extends Error {}

export const SERIES_CSV_HEADER = 'timestamp,value';

export interface SeriesCsvRules {
  /** The first line must be the header `timestamp,value` (an extraction's files always have it). */
  requireHeader?: boolean;
  /** No data row is an all-gap series (an extraction writes one as a header alone) rather than an error. */
  allowEmpty?: boolean;
}

/** Epoch seconds, or an ISO 8601 time (a date-time without offset is taken as UTC). */
export function parseTimestamp(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s) && s.length > 10;
  const ms = Date.parse(hasZone ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}${s.length > 10 ? 'Z' : 'T00:00:00Z'}`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

function isHeader(firstField: string): boolean {
  return parseTimestamp(firstField) === undefined && /^[A-Za-z_"]/.test(firstField.trim());
}

export function parseSeriesCsv(text: string, file: string, rules: SeriesCsvRules = {}): Series {
  const timestamps: number[] = [];
  const values: (number | null)[] = [];
  const lines = text.split(/\r?\n/);
  if (rules.requireHeader && lines[0]?.trim() !== SERIES_CSV_HEADER) {
    throw new SeriesFileError(`${file}:1: expected the header "${SERIES_CSV_HEADER}", got ${JSON.stringify(lines[0] ?? '')}`);
  }
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(',');
    if (index === 0 && (rules.requireHeader || isHeader(fields[0]!))) return;
    const where = `${file}:${lineNo}`;
    if (fields.length !== 2) throw new SeriesFileError(`${where}: expected 2 fields "timestamp,value", found ${fields.length}`);
    const t = parseTimestamp(fields[0]!);
    if (t === undefined) throw new SeriesFileError(`${where}: field "timestamp": ${JSON.stringify(fields[0])} is neither ISO 8601 nor epoch seconds`);
    const v = fields[1]!.trim();
    const value = v === '' || /^nan$/i.test(v) ? null : Number(v);
    if (value !== null && !Number.isFinite(value)) throw new SeriesFileError(`${where}: field "value": ${JSON.stringify(fields[1])} is not a number`);
    const previous = timestamps[timestamps.length - 1];
    if (previous !== undefined && t <= previous) {
      throw new SeriesFileError(`${where}: field "timestamp": ${fields[0]!.trim()} is not after the previous row's (rows must ascend, no duplicates)`);
    }
    timestamps.push(t);
    values.push(value);
  });
  if (timestamps.length === 0 && !rules.allowEmpty) throw new SeriesFileError(`${file}: no data rows (expected "timestamp,value" lines)`);
  return { timestamps, values };
}

export function readSeriesCsv(file: string): Series {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SeriesFileError(`${file}: cannot read: ${(err as Error).message}`);
  }
  return parseSeriesCsv(text, file);
}

const round = (v: number) => Number(v.toPrecision(8));

export function formatForecastCsv(points: ForecastPoint[]): string {
  const rows = points.map((p) =>
    [new Date(p.time * 1000).toISOString(), p.yhat, p.lower80, p.upper80, p.lower95, p.upper95].map((v) => (typeof v === 'number' ? round(v) : v)).join(','),
  );
  return `timestamp,yhat,lower80,upper80,lower95,upper95\n${rows.join('\n')}\n`;
}

export function writeForecastCsv(file: string, points: ForecastPoint[]): void {
  writeFileSync(file, formatForecastCsv(points));
}
