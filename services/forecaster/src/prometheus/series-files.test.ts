import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtractedSeries } from './extract.ts';
import { parseSeriesCsv, readSeriesDir, seriesFileName, writeSeriesDir } from './series-files.ts';

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

  it('names file, line and field of a bad row', () => {
    expect(() => parseSeriesCsv('timestamp,value\n0,1\n300,abc\n', 'x.csv')).toThrow('x.csv:3: value "abc" is not a number');
    expect(() => parseSeriesCsv('timestamp,value\n0,1\n0,2\n', 'x.csv')).toThrow('x.csv:3: timestamp 0 is not after');
    expect(() => parseSeriesCsv('time,value\n', 'x.csv')).toThrow('x.csv:1: expected the header');
    expect(() => parseSeriesCsv('timestamp,value\n,1\n', 'x.csv')).toThrow('x.csv:2: timestamp "" is not a number');
  });

  it('names the index field that is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-extract-'));
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: 1, series: [{ file: 'a.csv', host: 'h', metric: 'gpu' }] }));
    await expect(readSeriesDir(dir)).rejects.toThrow(/index.json: series.0.metric "gpu" is not one of cpu, memory, disk, network/);
  });
});
