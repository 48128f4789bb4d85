/**
 * `parse --file … --out F.ndjson`: no server. Every record of every file as one JSON line — the document that `run`
 * would ship plus its `_id` and `_index` — and a summary with every reject (file:line: reason) on stderr.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { readZeekLogBatches, type ZeekReject } from '@aiops/zeek';
import { toShippable } from './zeek-document.ts';

/** Rejects kept for the summary; beyond this only counted (a file of garbage must not fill the memory). */
const MAX_KEPT_REJECTS = 10_000;

export interface ParseFilesResult {
  records: number;
  /** The first MAX_KEPT_REJECTS rejects. */
  rejects: ZeekReject[];
  rejected: number;
  /** Files that could not be read at all (missing, corrupt gzip), with the error. */
  failedFiles: { file: string; error: string }[];
  perFile: { file: string; records: number; rejected: number }[];
}

async function write(out: WriteStream | NodeJS.WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function parseFiles(files: string[], outPath: string, indexPrefix: string): Promise<ParseFilesResult> {
  const out = outPath === '-' ? process.stdout : createWriteStream(outPath);
  const result: ParseFilesResult = { records: 0, rejects: [], rejected: 0, failedFiles: [], perFile: [] };
  const onReject = (r: ZeekReject) => {
    result.rejected++;
    if (result.rejects.length < MAX_KEPT_REJECTS) result.rejects.push(r);
  };
  try {
    for (const file of files) {
      const before = result.rejected;
      let records = 0;
      try {
        for await (const batch of readZeekLogBatches(file, { onReject })) {
          let text = '';
          for (const record of batch) {
            const item = toShippable(record, indexPrefix);
            if (typeof item === 'string') {
              onReject({ file, line: record.line, reason: item });
              continue;
            }
            text += `${JSON.stringify({ _id: item.id, _index: item.index, ...item.document })}\n`;
            records++;
          }
          await write(out, text);
        }
      } catch (err) {
        result.failedFiles.push({ file, error: (err as Error).message });
      }
      result.records += records;
      result.perFile.push({ file, records, rejected: result.rejected - before });
    }
  } finally {
    if (out !== process.stdout) {
      (out as WriteStream).end();
      await once(out, 'close');
    }
  }
  return result;
}

/** The human summary for stderr: per file counts, then every reject (the first `maxListed`) as file:line: reason. */
export function parseSummary(result: ParseFilesResult, maxListed = 200): string {
  const lines = result.perFile.map((f) => `${f.file}: ${f.records} records, ${f.rejected} rejected`);
  lines.push(`total: ${result.records} records, ${result.rejected} rejected, ${result.failedFiles.length} unreadable files`);
  const listed = result.rejects.slice(0, maxListed);
  for (const r of listed) lines.push(`reject ${r.file}:${r.line}: ${r.reason}`);
  if (result.rejected > listed.length) lines.push(`… ${result.rejected - listed.length} more rejects not listed`);
  for (const f of result.failedFiles) lines.push(`unreadable ${f.file}: ${f.error}`);
  return `${lines.join('\n')}\n`;
}
