/**
 * The training data: hand labels of Loghub templates (`<System>_templates_labels.csv`: EventId,label,EventTemplate)
 * joined to Loghub's lines (`<loghub>/<System>/<System>_2k.log_structured.csv`: EventId, Content), every line of a
 * labeled template taking its label; plus optional extra labeled lines (`message,label` CSV, e.g. from the review
 * loop), each its own pseudo-template. A line keeps the severity its source recorded (Loghub's `Level` column where
 * it holds one: Apache, BGL, HDFS, Hadoop, OpenStack, Spark, Zookeeper; Linux's `Level` is the host name and is
 * ignored by normalizeSeverity), as the platform's logs-* documents carry `severity`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeSeverity, type SeverityLevel } from '@aiops/ml';
import { columns, CsvError, parseCsv } from './csv.ts';
import { parseLabelingGuide, type GuideExample, type ParseGuideOptions } from './labeling-guide.ts';

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

const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);

export { sharedDir } from '@aiops/common';

export function loadTemplateLabels(labelsDir: string): Map<string, Map<string, Category>> {
  const bySystem = new Map<string, Map<string, Category>>();
  const files = readdirSync(labelsDir).filter((f) => f.endsWith('_templates_labels.csv')).sort();
  if (files.length === 0) throw new CsvError(`${labelsDir}: no <System>_templates_labels.csv files`);
  for (const name of files) {
    const file = join(labelsDir, name);
    const table = parseCsv(readFileSync(file, 'utf8'), file);
    const col = columns(table, file, ['EventId', 'label']);
    const labels = new Map<string, Category>();
    for (const row of table.rows) {
      const label = row.values[col.label]!.trim();
      if (!isCategory(label)) throw new CsvError(`${file}:${row.line}: field label: "${label}" is not one of ${CATEGORIES.join(', ')}`);
      labels.set(row.values[col.EventId]!, label);
    }
    bySystem.set(name.replace(/_templates_labels\.csv$/, ''), labels);
  }
  return bySystem;
}

export function loadLabeledLoghub(labelsDir: string, loghubDir: string): LabeledLine[] {
  const lines: LabeledLine[] = [];
  for (const [system, labels] of loadTemplateLabels(labelsDir)) {
    const file = join(loghubDir, system, `${system}_2k.log_structured.csv`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CsvError(`${file}: cannot read the Loghub lines of labeled system ${system}: ${(err as Error).message}`);
    }
    const table = parseCsv(text, file);
    const col = columns(table, file, ['EventId', 'Content']);
    const levelColumn = table.header.indexOf('Level');
    for (const row of table.rows) {
      const eventId = row.values[col.EventId]!;
      const label = labels.get(eventId);
      if (!label) continue;
      const severity = levelColumn < 0 ? undefined : normalizeSeverity(row.values[levelColumn]);
      lines.push({ system, template: `${system}/${eventId}`, message: row.values[col.Content]!, label, ...(severity ? { severity } : {}) });
    }
  }
  return lines;
}

/** Extra labeled lines: a CSV with columns `message` and `label`, optionally `severity` (other columns ignored). */
export function loadExtraLabels(file: string): LabeledLine[] {
  const table = parseCsv(readFileSync(file, 'utf8'), file);
  const col = columns(table, file, ['message', 'label']);
  const severityColumn = table.header.indexOf('severity');
  return table.rows.map((row) => {
    const label = row.values[col.label]!.trim();
    if (!isCategory(label)) throw new CsvError(`${file}:${row.line}: field label: "${label}" is not one of ${CATEGORIES.join(', ')}`);
    const message = row.values[col.message]!;
    const severity = severityColumn < 0 ? undefined : normalizeSeverity(row.values[severityColumn]);
    return { system: 'extra', template: `extra/${message}`, message, label, ...(severity ? { severity } : {}) };
  });
}

/** The labeling guide of a labels folder (its README.md) as examples, or null when the folder has none. */
export function loadLabelingGuide(labelsDir: string, options: ParseGuideOptions = {}): GuideExample[] | null {
  const file = join(labelsDir, 'README.md');
  return existsSync(file) ? parseLabelingGuide(readFileSync(file, 'utf8'), options) : null;
}

/** `System/EventId` → EventTemplate of every labeled template (what a held-out template's text is). */
export function loadTemplateTexts(labelsDir: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const name of readdirSync(labelsDir).filter((f) => f.endsWith('_templates_labels.csv')).sort()) {
    const file = join(labelsDir, name);
    const table = parseCsv(readFileSync(file, 'utf8'), file);
    const col = columns(table, file, ['EventId', 'EventTemplate']);
    const system = name.replace(/_templates_labels\.csv$/, '');
    for (const row of table.rows) texts.set(`${system}/${row.values[col.EventId]!}`, row.values[col.EventTemplate]!);
  }
  return texts;
}
