import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chosenModels, latestModelRecord, modelVersion, saveModelRecord, TRAINING_LOG_HEADER, type ModelRecord } from './model-record.ts';

const T = Date.parse('2026-11-25T00:15:00Z') / 1000;

function record(runTime: number, command: 'train' | 'forecast', series: ModelRecord['series']): ModelRecord {
  return {
    version: modelVersion(runTime, command),
    command,
    trainedAt: new Date(runTime * 1000 + 60_000).toISOString(),
    runId: 'r,1',
    source: 'http://prom:9090',
    window: { start: runTime - 30 * 86_400, end: runTime, stepSeconds: 300 },
    series,
  };
}

describe('model records', () => {
  it('versions by window end and command, so they sort by time', () => {
    expect(modelVersion(T, 'train')).toBe('20261125T001500Z-train');
    expect(modelVersion(T + 3600, 'train') > modelVersion(T, 'train')).toBe(true);
  });

  it('saves records, appends one training-log row per run, and finds the latest train record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-models-'));
    await saveModelRecord(dir, record(T, 'train', [
      { host: 'a', metric: 'cpu', device: '', model: 'prophet', backtestMape: 0.1 },
      { host: 'a', metric: 'disk', device: '/', model: 'mstl-ets', backtestMape: 0.3 },
      { host: 'b', metric: 'cpu', device: '', skipped: 'constant series' },
    ]));
    await saveModelRecord(dir, record(T + 3600, 'train', [{ host: 'a', metric: 'cpu', device: '', model: 'mstl-ets', backtestMape: 0.2 }]));
    await saveModelRecord(dir, record(T + 7200, 'forecast', [{ host: 'a', metric: 'cpu', device: '', model: 'prophet' }]));

    const latest = await latestModelRecord(dir, 'train');
    expect(latest?.version).toBe('20261125T011500Z-train');
    expect(chosenModels(latest)).toEqual(new Map([['a cpu', 'mstl-ets']]));
    expect(await latestModelRecord(join(dir, 'nothing'), 'train')).toBeUndefined();

    const log = readFileSync(join(dir, 'forecaster', 'training_log.csv'), 'utf8').trim().split('\n');
    expect(log[0]).toBe(TRAINING_LOG_HEADER);
    expect(log).toHaveLength(4);
    expect(log[1]).toBe('2026-11-25T00:16:00.000Z,20261125T001500Z-train,train,"r,1",3,2,1,0.2000,mstl-ets prophet');
    expect(log[3]).toMatch(/,forecast,"r,1",1,1,0,,prophet$/);
  });
});
