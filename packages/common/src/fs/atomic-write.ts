/**
 * Whole-file writes that a crash cannot leave half done: write-file-atomic (npm's) writes a temporary file beside
 * the target, fsyncs it, renames it over the target and removes it on failure, so a reader sees the old file or the
 * new one. For models, run records, series files and checkpoints of the services; the Elasticsearch checkpoint
 * store, its hour ledgers and the metrics outbox also fsync the folder (the rename itself): elasticsearch/
 * keyed-state-file.ts writeFileSyncingDir, metrics-outbox.ts.
 */
import writeFileAtomicLibrary from 'write-file-atomic';

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  await writeFileAtomicLibrary(path, data);
}

export function writeFileAtomicSync(path: string, data: string | Buffer): void {
  writeFileAtomicLibrary.sync(path, data);
}
