/**
 * Whole-file writes that a crash cannot leave half done: write-file-atomic (npm's) writes a temporary file beside
 * the target, fsyncs it, renames it over the target and removes it on failure, so a reader sees the old file or the
 * new one. For models, run records, series files and checkpoints of the services; the Elasticsearch checkpoint
 * store, its hour ledgers and the metrics outbox also fsync the folder, so that the rename itself survives a crash:
 * writeFileSyncingDir below.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import writeFileAtomicLibrary from 'write-file-atomic';

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  await writeFileAtomicLibrary(path, data);
}

export function writeFileAtomicSync(path: string, data: string | Buffer): void {
  writeFileAtomicLibrary.sync(path, data);
}

/**
 * Write to a temporary file, fsync, rename over the old one, fsync the folder: after a crash the file holds either
 * the old or the new content, never a mix or nothing. `what` names the file in errors.
 */
export async function writeFileSyncingDir(dir: string, file: string, body: string, what: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(dir, { recursive: true });
  try {
    const handle = await open(tmp, 'w', 0o644);
    try {
      await handle.writeFile(body, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new Error(`${what}: cannot save ${file} (${(err as Error).message})`, { cause: err });
  }
  await fsyncDir(dir);
}

/** fsync a folder: a rename or unlink in it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
