/**
 * Reads Zeek conn.log files (TSV with its header or JSON lines, gzip too) into ConnRecords with @aiops/zeek's
 * reader. A bad line is a reject {file, line, reason} that never stops the read: it is reported (the first few
 * in full, then a count), and a file that yields no record at all is an error naming it.
 */
import { readConnLogBatches, type ConnRecord, type ZeekReject } from '@aiops/zeek';

/** Rejects reported in full per file; the rest are counted. */
const REPORTED_REJECTS = 10;

export async function readConnFiles(files: readonly string[], warn: (message: string) => void): Promise<ConnRecord[]> {
  const all: ConnRecord[] = [];
  for (const file of files) {
    let rejected = 0;
    let first: ZeekReject | undefined;
    const onReject = (r: ZeekReject) => {
      rejected++;
      first ??= r;
      if (rejected <= REPORTED_REJECTS) warn(`${r.file}:${r.line}: ${r.reason}`);
    };
    let records = 0;
    for await (const batch of readConnLogBatches(file, { file, path: 'conn', onReject })) {
      for (const record of batch) all.push(record);
      records += batch.length;
    }
    if (rejected > REPORTED_REJECTS) warn(`${file}: ${rejected - REPORTED_REJECTS} more rejected lines`);
    if (records === 0) {
      throw new Error(`${file}: no conn record could be read${first ? ` (${rejected} lines rejected; first, line ${first.line}: ${first.reason})` : ' (empty)'}`);
    }
  }
  return all;
}
