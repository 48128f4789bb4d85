/**
 * The small JSON state files of the reading jobs (checkpoints, hour ledgers): each names its key inside and is read
 * with a schema that says which file is damaged; they are written with fs/atomic-write.ts writeFileSyncingDir.
 */
import { readFile } from 'node:fs/promises';
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
