import { describe, expect, it } from 'vitest';
import { closedPort } from '../testing/closed-port.ts';
import { PrometheusClient, PrometheusQueryError } from './prometheus-client.ts';


type Handler = (params: URLSearchParams, url: string) => { status?: number; body: unknown };

/** A fetch that answers like Prometheus and records every request's form parameters. */
function fakePrometheus(handler: Handler, timeoutMs?: number) {
  const requests: { url: string; params: URLSearchParams }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const params = new URLSearchParams(String(init?.body ?? ''));
    requests.push({ url, params });
    const { status = 200, body } = handler(params, url);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
  return { client: new PrometheusClient('http://prom.test:9090/', { fetch: fetchImpl, ...(timeoutMs ? { timeoutMs } : {}) }), requests };
}

const ok = (resultType: string, result: unknown) => ({ body: { status: 'success', data: { resultType, result } } });

describe('PrometheusClient.query', () => {
  it('parses an instant vector (Inf, NaN) and a scalar', async () => {
    const { client, requests } = fakePrometheus((p) =>
      p.get('query') === 'scalar(x)'
        ? ok('scalar', [1795546000, '2.5'])
        : ok('vector', [
            { metric: { job: 'a' }, value: [1795546000.5, '+Inf'] },
            { metric: { job: 'b' }, value: [1795546000.5, 'NaN'] },
          ]),
    );
    await expect(client.query('up', 1795546000.5)).resolves.toEqual({
      resultType: 'vector',
      samples: [
        { labels: { job: 'a' }, timestamp: 1795546000.5, value: Infinity },
        { labels: { job: 'b' }, timestamp: 1795546000.5, value: null },
      ],
    });
    expect(requests[0]!.url).toBe('http://prom.test:9090/api/v1/query');
    expect(requests[0]!.params.get('time')).toBe('1795546000.500');
    await expect(client.query('scalar(x)')).resolves.toEqual({ resultType: 'scalar', timestamp: 1795546000, value: 2.5 });
    expect(requests[1]!.params.has('time')).toBe(false);
  });

  it('passes its timeout to Prometheus as float seconds (Prometheus rejects "2.5s")', async () => {
    const { client, requests } = fakePrometheus(() => ok('scalar', [1, '1']), 2_500);
    await client.query('1');
    expect(requests[0]!.params.get('timeout')).toBe('2.5');
  });

  it("names the query and Prometheus' errorType/error on failure", async () => {
    const { client } = fakePrometheus(() => ({
      status: 400,
      body: { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:4: parse error' },
    }));
    const err = await client.query('up{').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusQueryError);
    expect((err as Error).message).toContain('up{');
    expect((err as Error).message).toContain('bad_data: invalid parameter');
    expect((err as PrometheusQueryError).details).toMatchObject({ query: 'up{', status: 400, errorType: 'bad_data' });
  });

  it('reports a non-JSON answer (e.g. a proxy page) with status and excerpt', async () => {
    const { client } = fakePrometheus(() => ({ status: 502, body: '<html>Bad gateway</html>' }));
    await expect(client.query('up')).rejects.toThrow(/HTTP 502.*Bad gateway/);
  });

  it('reports an unreachable server and a timeout by the query', async () => {
    const port = await closedPort();
    const refused = new PrometheusClient(`http://127.0.0.1:${port}`, { timeoutMs: 2_000 });
    await expect(refused.query('up')).rejects.toThrow(`query up at http://127.0.0.1:${port}/api/v1/query: connect ECONNREFUSED`);
    const slow = new PrometheusClient('http://x', {
      timeoutMs: 50,
      fetch: ((_u: unknown, init?: RequestInit) =>
        new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch,
    });
    await expect(slow.query('up')).rejects.toThrow(/timed out after 50 ms/);
  });
});

describe('PrometheusClient.queryRange', () => {
  it('sends one request per chunk on the grid and merges the answers', async () => {
    // Answers every grid point in the requested window, except t=1005 (a gap) and t=1002 (NaN).
    const { client, requests } = fakePrometheus((p) => {
      const values: [number, string][] = [];
      for (let t = Number(p.get('start')); t <= Number(p.get('end')); t += Number(p.get('step'))) {
        if (t !== 1005) values.push([t, t === 1002 ? 'NaN' : String(t - 1000)]);
      }
      return ok('matrix', [{ metric: { __name__: 'm' }, values }]);
    });
    const series = await client.queryRange('m', { start: 1000, end: 1009.5, stepSeconds: 1, maxPointsPerRequest: 3 });
    expect(requests.map((r) => [r.params.get('start'), r.params.get('end'), r.params.get('step')])).toEqual([
      ['1000.000', '1002.000', '1.000'],
      ['1003.000', '1005.000', '1.000'],
      ['1006.000', '1008.000', '1.000'],
      ['1009.000', '1009.000', '1.000'],
    ]);
    expect(requests[0]!.url).toBe('http://prom.test:9090/api/v1/query_range');
    expect(series).toEqual([
      {
        labels: { __name__: 'm' },
        timestamps: [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009],
        values: [0, 1, null, 3, 4, null, 6, 7, 8, 9],
      },
    ]);
  });

  it('stops at the first failing chunk and says which query failed', async () => {
    let calls = 0;
    const { client } = fakePrometheus(() =>
      ++calls === 2
        ? { status: 422, body: { status: 'error', errorType: 'execution', error: 'query processing would load too many samples' } }
        : ok('matrix', []),
    );
    await expect(client.queryRange('big', { start: 0, end: 99, stepSeconds: 1, maxPointsPerRequest: 10 })).rejects.toThrow(
      /query_range big failed \(HTTP 422, execution: query processing would load too many samples\)/,
    );
    expect(calls).toBe(2);
  });
});
