/** One CSV row per training run, appended to training_log.csv next to the model: the model's history at a glance. */
import { appendFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { csvField } from '@aiops/log-classification';

const HEADER = ['trained_at', 'model_version', 'model_file', 'lines', 'documents', 'templates', 'features', 'train_seconds',
  'held_out_templates', 'macro_f1', 'critical_recall', 'per_template_macro_f1', 'ece', 'critical_threshold', 'temperature'];

export function appendTrainingLog(modelPath: string, row: Record<(typeof HEADER)[number], string | number | null>): string {
  const file = join(dirname(modelPath), 'training_log.csv');
  if (!existsSync(file)) appendFileSync(file, `${HEADER.join(',')}\n`);
  appendFileSync(file, `${HEADER.map((h) => csvField(String(row[h] ?? ''))).join(',')}\n`);
  return file;
}
