/**
 * Where Zeek's logs are on disk. Two layouts:
 * - zeekctl's (a cluster or a standalone node it manages): `<logs>/current/` holds the open files (conn.log …);
 *   every rotation interval they are moved out and archived, gzipped, into a dated folder,
 *   `<logs>/YYYY-MM-DD/conn.HH:MM:SS-HH:MM:SS.log.gz`;
 * - a bare `zeek -i` with rotation on: the open and the rotated files side by side in one folder.
 * In zeekctl's layout the tail of a file written after the last pass is only in its archived copy, so both the
 * archive folders and `current/` must be read: given `<logs>` or `<logs>/current`, the walk covers both.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Zeek's live and rotated names: conn.log, conn.2024-01-01-00-00-00.log, conn.05:00:00-06:00:00.log.gz. */
const ZEEK_LOG_FILE = /\.log(\.gz)?$/;
/** zeekctl's archive folders. */
const ARCHIVE_DIR = /^\d{4}-\d{2}-\d{2}$/;

export interface LogFile {
  /** Relative to the walked root (`2026-12-03/conn.05:00:00-06:00:00.log.gz`, `current/conn.log`, `conn.log`). */
  name: string;
  path: string;
  mtimeMs: number;
}

export interface LogLayout {
  kind: 'zeekctl' | 'flat';
  /** The folder names are relative to. */
  root: string;
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

export async function detectLayout(dir: string): Promise<LogLayout> {
  if (basename(dir) === 'current' && (await hasArchiveDirs(dirname(dir)))) return { kind: 'zeekctl', root: dirname(dir) };
  if (await isDir(join(dir, 'current'))) return { kind: 'zeekctl', root: dir };
  return { kind: 'flat', root: dir };
}

async function hasArchiveDirs(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.some((e) => e.isDirectory() && ARCHIVE_DIR.test(e.name));
}

async function logFilesIn(dir: string, prefix: string): Promise<LogFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return []; // an archive folder zeekctl expired meanwhile
    throw err;
  });
  const files: LogFile[] = [];
  for (const e of entries) {
    if (!e.isFile() || e.name.startsWith('.') || !ZEEK_LOG_FILE.test(e.name)) continue;
    const path = join(dir, e.name);
    const st = await stat(path).catch(() => undefined);
    if (st) files.push({ name: prefix + e.name, path, mtimeMs: st.mtimeMs });
  }
  return files;
}

const byAge = (a: LogFile, b: LogFile) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name);

/**
 * Every log file of the layout, in the order they must be read: archived before live, so a rotated file's copy
 * resumes its checkpoint before a new live file (which may reuse the old inode) can replace that checkpoint.
 * Archive folders by date, their files by name (the names carry the rotation times); then the live files, oldest first.
 */
export async function listLogFiles(layout: LogLayout): Promise<LogFile[]> {
  if (layout.kind === 'flat') {
    // Rotated and live side by side: oldest first, so a rotated file is finished before its successor.
    return (await logFilesIn(layout.root, '')).sort(byAge);
  }
  const entries = await readdir(layout.root, { withFileTypes: true });
  const days = entries.filter((e) => e.isDirectory() && ARCHIVE_DIR.test(e.name)).map((e) => e.name).sort();
  const files: LogFile[] = [];
  for (const day of days) files.push(...(await logFilesIn(join(layout.root, day), `${day}/`)).sort((a, b) => a.name.localeCompare(b.name)));
  files.push(...(await logFilesIn(join(layout.root, 'current'), 'current/')).sort(byAge));
  return files;
}
