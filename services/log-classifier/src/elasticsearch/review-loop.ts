/**
 * The human review loop the seed describes. `export` writes the lines the model was unsure of (plus a random
 * sample of confident ones, the weekly spot check) to a sheet; `import` reads the edited sheet back, stores each
 * label on its document (Elasticsearch) and in a labels file that `train --extra` retrains with, and reports how
 * often model and person agreed, and the model's macro-F1 on everything people labeled (the drift trigger).
 */
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import {
  configuredPrefixes,
  createBulkWriter,
  dailyIndexPattern,
  type Client,
  type GaugeSample,
  type JobContext,
  type JobResult,
} from '@aiops/common';
import { metrics, onDemandJobs, sample } from '@aiops/contracts';
import { stringify } from 'csv-stringify/sync';
import { driftGauges, reviewedConfusion } from './drift.ts';
import type { LineClassifier } from './line-classifier.ts';
import { confidentSample, linesAwaitingReview, type ClassifiedHit } from './review-queries.ts';
import { parseReviewSheet, reviewSheet, type ReviewRow } from './review-csv.ts';

export interface ExportOptions {
  out: string;
  limit: number;
  spotCheck: number;
  seed: number;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function toRow(hit: ClassifiedHit, kind: ReviewRow['kind']): ReviewRow {
  const s = hit.source;
  return {
    index: hit.index,
    id: hit.id,
    timestamp: str(s['@timestamp']),
    host: str((s.host as { name?: unknown } | undefined)?.name ?? s['host.name']),
    source: str((s.log as { source?: unknown } | undefined)?.source ?? s['log.source']),
    message: str(s.message),
    ml_category: str(s.ml_category),
    ml_confidence: Number(s.ml_confidence ?? 0),
    kind,
    review_label: '',
  };
}

export async function exportReview(client: Client, ctx: JobContext, options: ExportOptions): Promise<{ review: number; spotCheck: number }> {
  const index = dailyIndexPattern(configuredPrefixes(ctx.config.elasticsearch).logsClassified);
  const review = await linesAwaitingReview(client, index, options.limit);
  const sample = await confidentSample(client, index, options.spotCheck, options.seed);
  await writeFile(options.out, reviewSheet([...review.map((h) => toRow(h, 'review')), ...sample.map((h) => toRow(h, 'spot-check'))]));
  ctx.logger.info({ out: options.out, review: review.length, spotCheck: sample.length }, 'review sheet written');
  return { review: review.length, spotCheck: sample.length };
}

export interface ImportOptions {
  file: string;
  /** CSV `message,label,source,reviewed_at` appended for `train --extra`. */
  labelsOut: string;
  classifier: Pick<LineClassifier, 'classes' | 'version' | 'baselineMacroF1'>;
}

export interface ImportReport {
  imported: number;
  agreed: number;
  problems: string[];
}

export async function importReview(client: Client, ctx: JobContext, options: ImportOptions): Promise<JobResult & { report: ImportReport }> {
  const sheet = parseReviewSheet(await readFile(options.file, 'utf8'), options.file, options.classifier.classes);
  const problems = sheet.problems.map((p) => `${p.where}: ${p.field}: ${p.reason}`);
  for (const p of problems) ctx.logger.warn(p);
  const reviewedAt = new Date().toISOString();
  const docs = sheet.reviewed.length > 0 ? await client.mget<Record<string, unknown>>({ docs: sheet.reviewed.map((r) => ({ _index: r.index, _id: r.id })) }) : { docs: [] };
  const items = [];
  const labelRows: string[][] = [];
  let agreed = 0;
  for (const [i, row] of sheet.reviewed.entries()) {
    const doc = docs.docs[i];
    if (!doc || !('found' in doc) || !doc.found || !doc._source) {
      problems.push(`${options.file}:${row.line}: id: document ${row.index}/${row.id} not found (deleted by retention?)`);
      continue;
    }
    const agrees = doc._source.ml_category === row.label;
    if (agrees) agreed++;
    items.push({ index: row.index, id: row.id, document: { ...doc._source, review_label: row.label, reviewed_at: reviewedAt, review_agrees: agrees } });
    labelRows.push([str(doc._source.message), row.label, str((doc._source.log as { source?: unknown } | undefined)?.source ?? doc._source['log.source']), reviewedAt]);
  }
  // Elasticsearch first: the labels file is what retraining reads, so it never holds a label the index lacks.
  await createBulkWriter(client, ctx.config, ctx.logger, { job: onDemandJobs.reviewWrite, signal: ctx.signal, refresh: true }).write(items);
  const fresh = await stat(options.labelsOut).then(() => false, () => true);
  await appendFile(options.labelsOut, stringify(labelRows, { header: fresh, columns: ['message', 'label', 'source', 'reviewed_at'] }));
  ctx.addRecordsProcessed(items.length);
  const index = dailyIndexPattern(configuredPrefixes(ctx.config.elasticsearch).logsClassified);
  const confusion = await reviewedConfusion(client, index, options.classifier.version);
  const gauges: GaugeSample[] = [
    sample(metrics.logsReviewAgreementRatio, {}, items.length > 0 ? agreed / items.length : 0),
    ...driftGauges(confusion, options.classifier),
  ];
  ctx.logger.info({ imported: items.length, agreed, unlabeled: sheet.unlabeled, problems: problems.length }, 'review imported');
  return { gauges, report: { imported: items.length, agreed, problems } };
}
