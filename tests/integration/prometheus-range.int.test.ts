// PrometheusClient.queryRange against the real Prometheus scraping the real node_exporter: chunked answers must
// be exactly what one request returns, and a range Prometheus refuses outright (> 11,000 points) must still work.
import { describe, expect, it } from 'vitest';
import { PrometheusClient } from '@aiops/common';
import { eventually, stackAvailable, URLS } from '../support/stack.ts';

const available = await stackAvailable('prometheus', 'nodeExporter');
// job="node": the dev stack's own node_exporter (the forecaster test backfills node-shaped series under job="node-backfill").
const CPU_IDLE = 'node_cpu_seconds_total{job="node",mode="idle",cpu="0"}';

describe.skipIf(!available)('PrometheusClient.queryRange on real node_exporter data', () => {
  const client = new PrometheusClient(URLS.prometheus);

  /**
   * Waits until the series has a sample at least `ageSeconds` old: a freshly started dev stack has an empty TSDB,
   * and a window that is all nulls would prove nothing about merging values across chunk boundaries.
   */
  async function scrapedSince(ageSeconds: number): Promise<void> {
    await eventually(async () => {
      const r = await client.query(CPU_IDLE, Date.now() / 1000 - ageSeconds);
      return r.resultType === 'vector' && r.samples.length > 0 ? true : undefined;
    }, (ageSeconds + 30) * 1000, 1_000);
  }

  async function rawQueryRange(query: string, start: number, end: number, step: number) {
    const body = new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) });
    const res = await fetch(`${URLS.prometheus}/api/v1/query_range`, { method: 'POST', body });
    return { status: res.status, json: (await res.json()) as { status: string; error?: string; data?: { result: { values: [number, string][] }[] } } };
  }

  it('gives the same grid, values and nulls in 5 chunks of 37 points as in one request (3 min at 1 s)', async () => {
    await scrapedSince(120); // ≥ 105 of the 181 points have data: values cross at least two chunk boundaries
    // End 15 s in the past: every scrape up to `end` is already stored, so both reads see the same data.
    const end = Math.floor(Date.now() / 1000) - 15;
    const start = end - 180;
    const chunked = await client.queryRange(CPU_IDLE, { start, end, stepSeconds: 1, maxPointsPerRequest: 37 });
    const whole = await client.queryRange(CPU_IDLE, { start, end, stepSeconds: 1 });
    expect(chunked).toEqual(whole);
    expect(chunked).toHaveLength(1);
    const [series] = chunked;
    expect(series!.labels).toMatchObject({ __name__: 'node_cpu_seconds_total', cpu: '0', mode: 'idle', job: 'node' });
    expect(series!.timestamps).toEqual(Array.from({ length: 181 }, (_, i) => start + i));
    expect(series!.values.at(-1)).toEqual(expect.any(Number));

    // And against Prometheus' own answer, untouched by our merge: every point it returned, at its index.
    const raw = await rawQueryRange(CPU_IDLE, start, end, 1);
    const expected = new Array<number | null>(181).fill(null);
    for (const [ts, v] of raw.json.data!.result[0]!.values) expected[ts - start] = Number(v);
    expect(series!.values).toEqual(expected);
    const nulls = series!.values.filter((v) => v === null).length;
    expect(nulls).toBeLessThanOrEqual(181 - 105);
    console.log(`3 min at 1 s: 181 points in 5 chunks, ${nulls} null (before the first scrape of this stack)`);
  });

  it('reads 30 days at 60 s (43,201 points), which Prometheus refuses in one request, with a full grid', async () => {
    await scrapedSince(20);
    const end = Math.floor(Date.now() / 1000) - 15;
    const start = end - 30 * 86_400;

    const refused = await rawQueryRange(CPU_IDLE, start, end, 60);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toContain('exceeded maximum resolution of 11,000 points per timeseries');

    const t0 = performance.now();
    const [series, ...others] = await client.queryRange(CPU_IDLE, { start, end, stepSeconds: 60 });
    const ms = performance.now() - t0;
    expect(others).toEqual([]);
    expect(series!.timestamps).toHaveLength(43_201);
    expect(series!.timestamps.every((t, i) => t === start + i * 60)).toBe(true);
    expect(series!.values).toHaveLength(43_201);
    // The dev stack's TSDB does not reach back 30 days: the old part is null (no data), never zero.
    expect(series!.values[0]).toBeNull();
    expect(series!.values.at(-1)).toEqual(expect.any(Number));
    expect(series!.values.includes(0)).toBe(false);

    // The tail (crossing no boundary of ours) read in one request is identical to the chunked read's tail.
    const tailStart = start + (43_201 - 120) * 60;
    const [tail] = await client.queryRange(CPU_IDLE, { start: tailStart, end, stepSeconds: 60 });
    expect(series!.values.slice(-120)).toEqual(tail!.values);
    const filled = series!.values.filter((v) => v !== null).length;
    console.log(`30 d at 60 s: 43,201 points in 4 requests, ${ms.toFixed(0)} ms, ${filled} with data, ${43_201 - filled} null`);
  });
});
