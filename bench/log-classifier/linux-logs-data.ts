/**
 * data/linux-logs/lines.csv as training lines: each distinct line is its own template (`linux/<source>/<n>`), its
 * severity the one the line itself carries (syslog PRI, kernel level, facility.level, journal PRIORITY), and
 * `source` the repository it came from (the unit of leave-one-source-out).
 */
import { readFileSync } from 'node:fs';
import { parseCsv, CsvError } from '../../services/log-classifier/src/training/csv.ts';
import type { Category, LabeledLine } from '../../services/log-classifier/src/training/dataset.ts';
import { parseLineHeader } from '../../packages/log-classification/src/knowledge/syslog-header.ts';

export interface SourcedLine extends LabeledLine {
  source: string;
}

const CATEGORIES = ['critical', 'warning', 'informational', 'noise'];

export function loadLinuxLogs(file: string): SourcedLine[] {
  const table = parseCsv(readFileSync(file, 'utf8'), file);
  const col = (name: string): number => {
    const i = table.header.indexOf(name);
    if (i < 0) throw new CsvError(`${file}: no column ${name}`);
    return i;
  };
  const [source, message, label] = [col('source'), col('message'), col('label')];
  return table.rows.map((row, n) => {
    const l = row.values[label]!;
    if (!CATEGORIES.includes(l)) throw new CsvError(`${file}:${row.line}: field label: "${l}" is not one of ${CATEGORIES.join(', ')}`);
    const text = row.values[message]!;
    const severity = parseLineHeader(text).severity;
    return { source: row.values[source]!, system: `linux/${row.values[source]!}`, template: `linux/${row.values[source]!}/${n}`, message: text, label: l as Category, ...(severity ? { severity } : {}) };
  });
}
