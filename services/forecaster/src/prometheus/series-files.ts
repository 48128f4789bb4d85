/**
 * `extract --out DIR`: one CSV per series (`timestamp,value`, epoch seconds, one row per observed grid point; a
 * gap is a missing row, never an invented value) and `index.json` naming every file with its host, metric,
 * device and unit, so the files-mode forecast (and anyone with a spreadsheet) can reuse an extraction without a
 * Prometheus. `readSeriesDir` reads such a folder back with the files-mode reader (../files/series-csv.ts), the
 * header required, and names file, line and field on bad input.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeFileStem, writeFileAtomic } from '@aiops/common';
import { parseSeriesCsv, SERIES_CSV_HEADER } from '../files/series-csv.ts';
import { CAPACITY_METRICS, type CapacityMetric } from './capacity-queries.ts';
import { observedPoints, type ExtractedSeries, type ExtractWindow } from './extract.ts';

const SERIES_INDEX_FILE = 'index.json';

interface SeriesIndexEntry {
  file: string;
  host: string;
  metric: CapacityMetric;
  device: string;
  unit: ExtractedSeries['unit'];
  /** Grid points in the window, and how many of them carry a value. */
  gridPoints: number;
  observedPoints: number;
}

export interface SeriesIndex {
  version: 1;
  source: string;
  extractedAt: string;
  /** Epoch seconds of the first and last grid point, and the grid step. */
  start: number;
  end: number;
  stepSeconds: number;
  series: SeriesIndexEntry[];
}

/** Readable and unique: the key as a file stem plus a short hash, since sanitising can map two keys to one stem. */
export function seriesFileName(s: Pick<ExtractedSeries, 'host' | 'metric' | 'device'>): string {
  const hash = createHash('sha256').update(JSON.stringify([s.host, s.metric, s.device])).digest('hex').slice(0, 8);
  const parts = [s.host, s.metric, ...(s.device ? [s.device] : [])].map(safeFileStem);
  return `${parts.join('__')}__${hash}.csv`;
}

function seriesCsv(s: Pick<ExtractedSeries, 'timestamps' | 'values'>): string {
  const rows = [SERIES_CSV_HEADER];
  s.values.forEach((v, i) => {
    // ±Inf (Prometheus answers it, e.g. for a division by a zero-sized filesystem) is no level to forecast: the
    // core drops it and the reader refuses it, so it is a gap here too (observedPoints does not count it).
    if (v !== null && Number.isFinite(v)) rows.push(`${s.timestamps[i]},${v}`);
  });
  return `${rows.join('\n')}\n`;
}

/** Writes the CSVs, then the index last: a folder with an index.json is complete. */
export async function writeSeriesDir(
  dir: string,
  series: ExtractedSeries[],
  meta: { source: string; window: ExtractWindow; extractedAt: Date },
): Promise<SeriesIndex> {
  await mkdir(dir, { recursive: true });
  const entries: SeriesIndexEntry[] = [];
  for (const s of series) {
    const file = seriesFileName(s);
    await writeFileAtomic(join(dir, file), seriesCsv(s));
    entries.push({
      file,
      host: s.host,
      metric: s.metric,
      device: s.device,
      unit: s.unit,
      gridPoints: s.timestamps.length,
      observedPoints: observedPoints(s),
    });
  }
  const { window } = meta;
  const index: SeriesIndex = {
    version: 1,
    source: meta.source,
    extractedAt: meta.extractedAt.toISOString(),
    start: window.end - window.days * 86_400,
    end: window.end,
    stepSeconds: window.stepSeconds,
    series: entries,
  };
  await writeFileAtomic(join(dir, SERIES_INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
  return index;
}

/** Reads an extraction folder back as series (gaps are the missing rows). */
export async function readSeriesDir(dir: string): Promise<{ index: SeriesIndex; series: ExtractedSeries[] }> {
  const indexPath = join(dir, SERIES_INDEX_FILE);
  let index: SeriesIndex;
  try {
    index = JSON.parse(await readFile(indexPath, 'utf8')) as SeriesIndex;
  } catch (err) {
    throw new Error(`${indexPath}: cannot read the extraction index (${(err as Error).message})`);
  }
  if (index.version !== 1 || !Array.isArray(index.series)) throw new Error(`${indexPath}: version must be 1 and series a list`);
  const series: ExtractedSeries[] = [];
  for (const [i, entry] of index.series.entries()) {
    if (!CAPACITY_METRICS.includes(entry.metric)) {
      throw new Error(`${indexPath}: series.${i}.metric "${entry.metric}" is not one of ${CAPACITY_METRICS.join(', ')}`);
    }
    if (typeof entry.host !== 'string' || entry.host === '') throw new Error(`${indexPath}: series.${i}.host is missing`);
    const path = join(dir, entry.file);
    // A file of the header alone is a series that was all gaps in the window.
    const { timestamps, values } = parseSeriesCsv(await readFile(path, 'utf8'), path, { requireHeader: true, allowEmpty: true });
    series.push({ host: entry.host, metric: entry.metric, device: entry.device ?? '', unit: entry.unit, timestamps, values });
  }
  return { index, series };
}
