/**
 * What each run fitted, kept on disk under `<modelDir>/forecaster/`: a versioned JSON record per run (which model
 * the backtest chose per series, its error, why a series was skipped) and one row per run in training_log.csv.
 * `forecast` reuses the per-series model choice of the latest `train` record, so the expensive backtest can run
 * less often than the forecast.
 */
import { appendFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@aiops/common';
import { seriesKeyText, type SeriesKey } from './capacity-queries.ts';

export type RunCommand = 'train' | 'forecast';

export interface SeriesModelEntry extends SeriesKey {
  model?: string;
  backtestMape?: number;
  skipped?: string;
}

export interface ModelRecord {
  version: string;
  command: RunCommand;
  trainedAt: string;
  runId: string;
  source: string;
  window: { start: number; end: number; stepSeconds: number };
  series: SeriesModelEntry[];
}

const TRAINING_LOG_FILE = 'training_log.csv';
export const TRAINING_LOG_HEADER = 'trained_at,version,command,run_id,series,forecast,skipped,median_backtest_mape,models';

function modelRecordDir(modelDir: string): string {
  return join(modelDir, 'forecaster');
}

/** `20261125T001500Z-forecast`: sorts by time, and a rerun of the same run rewrites its own record. */
export function modelVersion(runTime: number, command: RunCommand): string {
  const compact = new Date(runTime * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${compact}-${command}`;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

/** A CSV field: quoted when it holds a comma, quote or newline (RFC 4180). */
function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function trainingLogRow(record: ModelRecord): string {
  const forecast = record.series.filter((s) => s.model !== undefined);
  const mapes = forecast.map((s) => s.backtestMape).filter((m): m is number => m !== undefined && Number.isFinite(m));
  const models = [...new Set(forecast.map((s) => s.model!))].sort().join(' ');
  const med = median(mapes);
  return [
    record.trainedAt,
    record.version,
    record.command,
    record.runId,
    String(record.series.length),
    String(forecast.length),
    String(record.series.length - forecast.length),
    med === undefined ? '' : med.toFixed(4),
    models,
  ]
    .map(csvField)
    .join(',');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Writes `<version>.json` atomically and appends the run's row to training_log.csv (header on first write). */
export async function saveModelRecord(modelDir: string, record: ModelRecord): Promise<string> {
  const dir = modelRecordDir(modelDir);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${record.version}.json`);
  await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
  const log = join(dir, TRAINING_LOG_FILE);
  const header = (await exists(log)) ? '' : `${TRAINING_LOG_HEADER}\n`;
  await appendFile(log, `${header}${trainingLogRow(record)}\n`);
  return path;
}

/** The newest record written by `command`, or undefined when there is none. */
export async function latestModelRecord(modelDir: string, command: RunCommand): Promise<ModelRecord | undefined> {
  const dir = modelRecordDir(modelDir);
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const latest = names.filter((n) => n.endsWith(`-${command}.json`)).sort().pop();
  if (!latest) return undefined;
  const path = join(dir, latest);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ModelRecord;
  } catch (err) {
    throw new Error(`${path}: not a readable model record (${(err as Error).message})`);
  }
}

/** seriesKeyText → model chosen by a record's backtest. */
export function chosenModels(record: ModelRecord | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of record?.series ?? []) if (s.model) out.set(seriesKeyText(s), s.model);
  return out;
}
