/**
 * The training data, parsed from text (the files are read by @aiops/datasets): hand labels of Loghub templates
 * (`<System>_templates_labels.csv`: EventId,label,EventTemplate) joined to Loghub's lines
 * (`<System>_2k.log_structured.csv`: EventId, Content), every line of a labeled template taking its label; plus
 * optional extra labeled lines (`message,label` CSV, e.g. from the review loop), each its own pseudo-template. A line
 * keeps the severity its source recorded (Loghub's `Level` column where it holds one: Apache, BGL, HDFS, Hadoop,
 * OpenStack, Spark, Zookeeper; Linux's `Level` is the host name and is ignored by normalizeSeverity), as the
 * platform's logs-* documents carry `severity`. `file` only names the source in error messages.
 */
import { normalizeSeverity, type SeverityLevel } from '@aiops/ml';
import { columns, CsvError, parseCsv } from './csv.ts';

export const CATEGORIES = ['critical', 'warning', 'informational', 'noise'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface LabeledLine {
  system: string;
  /** `System/EventId`: lines of one template always land on the same side of a split. */
  template: string;
  message: string;
  label: Category;
  /** The line's own severity when its source records one (Loghub's Level column, syslog severity), normalized. */
  severity?: SeverityLevel;
}

export const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);

export const TEMPLATE_LABELS_SUFFIX = '_templates_labels.csv';

/** The system a `<System>_templates_labels.csv` file name labels, or null for any other file. */
export function systemOfLabelsFile(name: string): string | null {
  return name.endsWith(TEMPLATE_LABELS_SUFFIX) ? name.slice(0, -TEMPLATE_LABELS_SUFFIX.length) : null;
}

function labelOf(raw: string, file: string, line: number): Category {
  const label = raw.trim();
  if (!isCategory(label)) throw new CsvError(`${file}:${line}: field label: "${label}" is not one of ${CATEGORIES.join(', ')}`);
  return label;
}

/** EventId → label of one `<System>_templates_labels.csv`. */
export function parseTemplateLabels(text: string, file: string): Map<string, Category> {
  const table = parseCsv(text, file);
  const col = columns(table, file, ['EventId', 'label']);
  return new Map(table.rows.map((row) => [row.values[col.EventId]!, labelOf(row.values[col.label]!, file, row.line)]));
}

/** EventId → EventTemplate of one labels file. */
export function parseTemplateTexts(text: string, file: string): Map<string, string> {
  const table = parseCsv(text, file);
  const col = columns(table, file, ['EventId', 'EventTemplate']);
  return new Map(table.rows.map((row) => [row.values[col.EventId]!, row.values[col.EventTemplate]!]));
}

/** The lines of a Loghub structured CSV whose template is labeled, each with its template's label. */
export function joinLabeledLines(system: string, labels: ReadonlyMap<string, Category>, structuredCsv: string, file: string): LabeledLine[] {
  const table = parseCsv(structuredCsv, file);
  const col = columns(table, file, ['EventId', 'Content']);
  const levelColumn = table.header.indexOf('Level');
  const lines: LabeledLine[] = [];
  for (const row of table.rows) {
    const eventId = row.values[col.EventId]!;
    const label = labels.get(eventId);
    if (!label) continue;
    const severity = levelColumn < 0 ? undefined : normalizeSeverity(row.values[levelColumn]);
    lines.push({ system, template: `${system}/${eventId}`, message: row.values[col.Content]!, label, ...(severity ? { severity } : {}) });
  }
  return lines;
}

/** Extra labeled lines: a CSV with columns `message` and `label`, optionally `severity` (other columns ignored). */
export function parseExtraLabels(text: string, file: string): LabeledLine[] {
  const table = parseCsv(text, file);
  const col = columns(table, file, ['message', 'label']);
  const severityColumn = table.header.indexOf('severity');
  return table.rows.map((row) => {
    const label = labelOf(row.values[col.label]!, file, row.line);
    const message = row.values[col.message]!;
    const severity = severityColumn < 0 ? undefined : normalizeSeverity(row.values[severityColumn]);
    return { system: 'extra', template: `extra/${message}`, message, label, ...(severity ? { severity } : {}) };
  });
}
