/**
 * The small JSON state files of the reading jobs (checkpoints, hour ledgers): each names its key inside, is read
 * with a schema that says which file is damaged, and is replaced so that a crash leaves the old or the new content.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import type { z } from 'zod';

/**
 * The file's content for `key`, or undefined when there is no file. A damaged file, or one of another key, throws
 * with the file named: `what` (`checkpoint`, `ledger`) and `fix` (what deleting it does) go into the message.
 */
export async function readKeyedFile<S extends z.ZodType<{ key: string }>>(file: string, key: string, schema: S, what: string, fix: string): Promise<z.infer<S> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${what} ${key}: cannot read ${file} (${(err as Error).message})`, { cause: err });
  }
  let parsed: z.infer<S>;
  try {
    parsed = schema.parse(JSON.parse(text));
  } catch (err) {
    throw new Error(`${what} ${key}: ${file} is damaged (${(err as Error).message}); fix or delete it ${fix}`, { cause: err });
  }
  if (parsed.key !== key) throw new Error(`${what} ${file} belongs to key "${parsed.key}", not "${key}"`);
  return parsed;
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
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
