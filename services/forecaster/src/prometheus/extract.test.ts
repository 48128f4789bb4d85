import { describe, expect, it } from 'vitest';
import { PrometheusClient } from '@aiops/common';
import { capacityQueries } from './capacity-queries.ts';
import { extractCapacitySeries, historyWindow, observedPoints, toExtractedSeries } from './extract.ts';

const disk = capacityQueries().find((q) => q.metric === 'disk')!;

describe('toExtractedSeries', () => {
  it('keys series by instance and the device label; drops unkeyable and repeated series', () => {
    const grid = { timestamps: [0, 300], values: [1, null] };
    const { series, dropped } = toExtractedSeries(disk, [
      { labels: { instance: 'a:9100', mountpoint: '/', job: 'node' }, ...grid },
      { labels: { instance: 'a:9100', mountpoint: '/var', job: 'node' }, ...grid },
      { labels: { instance: 'a:9100', mountpoint: '/', job: 'node-2' }, ...grid },
      { labels: { mountpoint: '/' }, ...grid },
    ]);
    expect(series.map((s) => [s.host, s.metric, s.device, s.unit])).toEqual([
      ['a:9100', 'disk', '/', 'percent'],
      ['a:9100', 'disk', '/var', 'percent'],
    ]);
    expect(series[0]!.values).toEqual([1, null]);
    expect(dropped.map((d) => d.reason)).toEqual([
      'a:9100 disk /: a second result series with the same host and device (kept the first)',
      'disk: result series without an instance label',
    ]);
  });
});

describe('toExtractedSeries of `recorded or expression`', () => {
  it('merges the recorded half (with __name__) and the computed half (without) of one series on the grid', () => {
    const labels = { instance: 'a:9100', mountpoint: '/data', job: 'node', device: '/dev/loop0' };
    const { series, dropped } = toExtractedSeries(disk, [
      { labels: { __name__: 'instance_mountpoint:node_filesystem_utilisation:percent', ...labels }, timestamps: [0, 60, 120], values: [null, null, 91] },
      { labels, timestamps: [0, 60, 120], values: [40, 41, null] },
    ]);
    expect(dropped).toEqual([]);
    expect(series).toHaveLength(1);
    expect(series[0]!.values).toEqual([40, 41, 91]);
  });
});

describe('historyWindow', () => {
  it('aligns the end down to the step so reruns in the same step ask for the same grid', () => {
    expect(historyWindow(1_795_546_123, 30, 300)).toEqual({ end: 1_795_545_900, days: 30, stepSeconds: 300 });
    expect(() => historyWindow(0, 0, 300)).toThrow(/days must be > 0/);
  });
});

describe('extractCapacitySeries', () => {
  it('runs every capacity query over the window and discovers hosts and devices from the results', async () => {
    const asked: { query: string; start: number; end: number; step: number }[] = [];
    const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
      const p = new URLSearchParams(String(init?.body));
      const [start, end, step] = ['start', 'end', 'step'].map((k) => Number(p.get(k))) as [number, number, number];
      asked.push({ query: p.get('query')!, start, end, step });
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += step) values.push([t, t === start ? 'NaN' : '42']);
      const query = p.get('query')!;
      const result = query.includes('network')
        ? [
            { metric: { instance: 'h1:9100', device: 'eth0' }, values },
            { metric: { instance: 'h2:9100', device: 'lo' }, values },
          ]
        : [{ metric: { instance: 'h1:9100', mountpoint: '/' }, values }];
      return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
    }) as typeof fetch;
    const client = new PrometheusClient('http://prom.test', { fetch: fetchImpl });
    const window = historyWindow(1_795_543_200, 1, 3600);
    const series = await extractCapacitySeries(client, { window, instances: 'h.*' });
    expect(asked.map((a) => a.query)).toEqual(capacityQueries('h.*').map((q) => q.promql));
    expect(asked[0]).toMatchObject({ start: 1_795_543_200 - 86_400, end: 1_795_543_200, step: 3600 });
    expect(series.map((s) => `${s.host} ${s.metric} ${s.device}`)).toEqual([
      'h1:9100 cpu ',
      'h1:9100 memory ',
      'h1:9100 disk /',
      'h1:9100 network eth0',
      'h2:9100 network lo',
    ]);
    // 25 grid points, the NaN at the start stays a gap.
    expect(series[0]!.timestamps).toHaveLength(25);
    expect(series[0]!.values[0]).toBeNull();
    expect(observedPoints(series[0]!)).toBe(24);
  });
});
