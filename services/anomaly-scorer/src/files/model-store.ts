/**
 * Models on disk: `<modelDir>/anomaly-<modelVersion>.json` (the document of pipeline.ts), `<modelDir>/anomaly-latest.json`
 * (a copy of the newest, what `--model <dir>` reads) and one row per training run in `<modelDir>/training_log.csv`.
 * Writes are atomic (temporary file + rename), so a reader never sees half a model.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomicSync } from '@aiops/common';
import { join } from 'node:path';
import { modelFromDocument, type AnomalyModel, type AnomalyModelDocument } from '@aiops/network-anomaly';

const LATEST_MODEL = 'anomaly-latest.json';
const TRAINING_LOG = 'training_log.csv';
const LOG_COLUMNS = [
  'trained_at',
  'model_version',
  'feature_set',
  'source',
  'from',
  'to',
  'rows',
  'contamination',
  'n_estimators',
  'seed',
  'threshold_score',
  'model_file',
] as const;

const csvField = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function saveModel(modelDir: string, model: AnomalyModel): string {
  mkdirSync(modelDir, { recursive: true });
  const doc = model.document;
  const file = join(modelDir, `anomaly-${doc.modelVersion}.json`);
  const text = `${JSON.stringify(doc)}\n`;
  writeFileAtomicSync(file, text);
  writeFileAtomicSync(join(modelDir, LATEST_MODEL), text);
  const log = join(modelDir, TRAINING_LOG);
  if (!existsSync(log)) appendFileSync(log, `${LOG_COLUMNS.join(',')}\n`);
  const row: Record<(typeof LOG_COLUMNS)[number], string | number | null> = {
    trained_at: doc.trainedAt,
    model_version: doc.modelVersion,
    feature_set: doc.features.featureSet,
    source: doc.training.source,
    from: doc.training.from,
    to: doc.training.to,
    rows: doc.training.rows,
    contamination: doc.hyperparameters.contamination,
    n_estimators: doc.hyperparameters.nEstimators,
    seed: doc.hyperparameters.seed,
    threshold_score: model.connection.json.threshold,
    model_file: file,
  };
  appendFileSync(log, `${LOG_COLUMNS.map((c) => csvField(row[c])).join(',')}\n`);
  return file;
}

/** `path` is a model file, or a model directory (then its anomaly-latest.json). Errors name the file. */
export function loadModel(path: string): AnomalyModel {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, LATEST_MODEL) : path;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as AnomalyModelDocument;
  } catch (err) {
    throw new Error(`${file}: cannot read the model: ${(err as Error).message}`);
  }
  return modelFromDocument(doc, file);
}
