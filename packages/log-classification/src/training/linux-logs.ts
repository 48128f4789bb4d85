/**
 * The Linux-server lines of data/linux-logs (lines.csv: source, file, line, message, label, label_rule) as training
 * lines: each distinct line is its own template (`linux/<source>/<n>`), `source` the public repository it came from
 * (the unit of leave-one-source-out). Severity is not set here: a line that carries one (`<3>`, `kern.crit`,
 * PRIORITY) gives it to the features itself when the knowledge header part is on.
 */
import { columns, CsvError, parseCsv } from './csv.ts';
import { CATEGORIES, isCategory, type LabeledLine } from './dataset.ts';

const LINUX_TEMPLATE_PREFIX = 'linux/';

/** A Linux-server line's template (`linux/<source>/<n>`): one line each, scored by leave one source out. */
export const isLinuxServerTemplate = (template: string): boolean => template.startsWith(LINUX_TEMPLATE_PREFIX);

export interface SourcedLine extends LabeledLine {
  source: string;
}

export function parseLinuxLogLines(text: string, file: string): SourcedLine[] {
  const table = parseCsv(text, file);
  const col = columns(table, file, ['source', 'message', 'label']);
  return table.rows.map((row, n) => {
    const label = row.values[col.label]!.trim();
    if (!isCategory(label)) throw new CsvError(`${file}:${row.line}: field label: "${label}" is not one of ${CATEGORIES.join(', ')}`);
    const source = row.values[col.source]!;
    return { source, system: `${LINUX_TEMPLATE_PREFIX}${source}`, template: `${LINUX_TEMPLATE_PREFIX}${source}/${n}`, message: row.values[col.message]!, label };
  });
}
