import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtractedSeries } from './extract.ts';
import { readSeriesCsv } from '../files/series-csv.ts';
import { readSeriesDir, seriesFileName, writeSeriesDir } from './series-files.ts';

const series: ExtractedSeries[] = [
  { host: 'db:9100', metric: 'disk', device: '/var/lib', unit: 'percent', timestamps: [0, 300, 600, 900], values: [10, null, 10.5, 11] },
  { host: 'db:9100', metric: 'disk', device: '/var_lib', unit: 'percent', timestamps: [0, 300, 600, 900], values: [1, 2, 3, 4] },
  { host: 'db:9100', metric: 'cpu', device: '', unit: 'percent', timestamps: [0, 300, 600, 900], values: [null, null, null, null] },
];

describe('extraction files', () => {
  it('round-trips series through CSV + index.json, gaps as missing rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-extract-'));
    const index = await writeSeriesDir(dir, series, {
      source: 'http://prom:9090',
      window: { end: 900, days: 1, stepSeconds: 300 },
      extractedAt: new Date('2026-11-25T00:00:00Z'),
    });
    expect(index.series.map((e) => [e.gridPoints, e.observedPoints])).toEqual([[4, 3], [4, 4], [4, 0]]);
    expect(readFileSync(join(dir, index.series[0]!.file), 'utf8')).toBe('timestamp,value\n0,10\n600,10.5\n900,11\n');
    const back = await readSeriesDir(dir);
    expect(back.index.start).toBe(900 - 86_400);
    expect(back.series[0]).toEqual({ ...series[0], timestamps: [0, 600, 900], values: [10, 10.5, 11] });
    expect(back.series[2]).toMatchObject({ metric: 'cpu', device: '', timestamps: [], values: [] });
  });

  it('gives two keys that sanitise alike different file names', () => {
    expect(seriesFileName(series[0]!)).toMatch(/^db_9100__disk___var_lib__[0-9a-f]{8}\.csv$/);
    expect(seriesFileName(series[0]!)).not.toBe(seriesFileName(series[1]!));
  });

  it('writes ±Inf as a gap, so the files-mode reader takes every extraction file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-extract-'));
    const inf: ExtractedSeries = { host: 'h', metric: 'disk', device: '/', unit: 'percent', timestamps: [0, 300, 600], values: [5, Infinity, -Infinity] };
    const index = await writeSeriesDir(dir, [inf], { source: 'p', window: { end: 600, days: 1, stepSeconds: 300 }, extractedAt: new Date(0) });
    expect(index.series[0]!.observedPoints).toBe(1);
    const file = join(dir, index.series[0]!.file);
    expect(readFileSync(file, 'utf8')).toBe('timestamp,value\n0,5\n');
    expect(readSeriesCsv(file)).toEqual({ timestamps: [0], values: [5] });
  });

  it('names file, line and field of a bad row; the header is required', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-extract-'));
    const read = (csv: string) => {
      writeFileSync(join(dir, 'x.csv'), csv);
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: 1, series: [{ file: 'x.csv', host: 'h', metric: 'cpu' }] }));
      return readSeriesDir(dir);
    };
    const x = join(dir, 'x.csv');
    await expect(read('timestamp,value\n0,1\n300,abc\n')).rejects.toThrow(`${x}:3: field "value": "abc" is not a number`);
    await expect(read('timestamp,value\n0,1\n0,2\n')).rejects.toThrow(`${x}:3: field "timestamp": 0 is not after the previous row`);
    await expect(read('time,value\n0,1\n')).rejects.toThrow(`${x}:1: expected the header "timestamp,value", got "time,value"`);
    await expect(read('0,1\n300,2\n')).rejects.toThrow(`${x}:1: expected the header`);
    await expect(read('timestamp,value\n,1\n')).rejects.toThrow(`${x}:2: field "timestamp": "" is neither ISO 8601 nor epoch seconds`);
  });

  it('names the index field that is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-extract-'));
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: 1, series: [{ file: 'a.csv', host: 'h', metric: 'gpu' }] }));
    await expect(readSeriesDir(dir)).rejects.toThrow(/index.json: series.0.metric "gpu" is not one of cpu, memory, disk, network/);
  });
});
