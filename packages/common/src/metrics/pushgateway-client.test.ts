import { describe, expect, it } from 'vitest';
import { closedPort } from '../testing/closed-port.ts';
import { encodeGroupingPair, groupingPath, pushSnapshot, PushgatewayError } from './pushgateway-client.ts';
import type { MetricsSnapshot } from './snapshot.ts';


const fromBase64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

describe('grouping path', () => {
  it('keeps plain values readable', () => {
    expect(groupingPath('forecaster', 'ml-node-1.example')).toBe('/metrics/job/forecaster/instance/ml-node-1.example');
  });

  it('uses URL-safe base64 without padding for values with slashes', () => {
    const pair = encodeGroupingPair('instance', '/dev/sda1');
    expect(pair).toBe('instance@base64/L2Rldi9zZGEx');
    expect(fromBase64(pair.split('/')[1]!)).toBe('/dev/sda1');
    // "??>" encodes to "Pz8-" in base64url ("Pz8+" in plain base64): no '+', '/' or '=' may appear in the path.
    expect(encodeGroupingPair('job', '??>/')).toBe('job@base64/Pz8-Lw');
  });

  it('writes the empty value as "=" (instance is never left out, or Pushgateway would add instance="")', () => {
    expect(groupingPath('forecaster', '')).toBe('/metrics/job/forecaster/instance@base64/=');
  });

  it('base64-encodes unicode, spaces, percent signs and dot-segments that URL parsers would rewrite', () => {
    for (const value of ['nœud-ü ✓', 'a b', '50%', '.', '..', 'a?b#c']) {
      const pair = encodeGroupingPair('instance', value);
      expect(pair).toMatch(/^instance@base64\/[A-Za-z0-9_-]+$/);
      expect(fromBase64(pair.slice('instance@base64/'.length))).toBe(value);
    }
    // What fetch would otherwise do to a literal dot-segment:
    expect(new URL('http://pg/metrics/job/../instance/x').pathname).toBe('/metrics/instance/x');
  });

  it('refuses an empty job', () => {
    expect(() => groupingPath('', 'x')).toThrow(/job must not be empty/);
  });
});

describe('pushSnapshot', () => {
  const snapshot: MetricsSnapshot = {
    job: 'forecaster',
    instance: 'ml/1',
    createdAt: '2026-11-24T12:00:00Z',
    samples: [{ name: 'aiops_x', help: 'x', labels: {}, value: 1 }],
  };

  function answering(status: number, body = '', headers: Record<string, string> = {}) {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(url), init: init! });
      return new Response(status === 204 || status === 304 ? null : body, { status, headers });
    }) as typeof fetch;
    return { seen, fetchImpl };
  }

  it('POSTs the exposition text to the grouping path, never following redirects', async () => {
    const { seen, fetchImpl } = answering(200);
    const result = await pushSnapshot('http://pg:9091/', snapshot, { fetch: fetchImpl });
    expect(result.status).toBe(200);
    expect(seen[0]!.url).toBe('http://pg:9091/metrics/job/forecaster/instance@base64/bWwvMQ');
    expect(seen[0]!.init.method).toBe('POST');
    expect(seen[0]!.init.redirect).toBe('manual');
    expect(seen[0]!.init.body).toContain('aiops_x 1');
  });

  it('accepts 202', async () => {
    await expect(pushSnapshot('http://pg', snapshot, { fetch: answering(202).fetchImpl }).then((r) => r.status)).resolves.toBe(202);
  });

  it.each([204, 301, 302, 307, 308, 400, 404, 500, 503])('treats HTTP %i as failure with status and body excerpt', async (status) => {
    const { fetchImpl } = answering(status, 'x'.repeat(2_000), status >= 300 && status < 400 ? { location: 'http://elsewhere/' } : {});
    const err = await pushSnapshot('http://pg', snapshot, { fetch: fetchImpl }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PushgatewayError);
    expect((err as PushgatewayError).status).toBe(status);
    expect((err as Error).message).toContain(`HTTP ${status}`);
    expect((err as PushgatewayError).bodyExcerpt!.length).toBeLessThanOrEqual(500);
    if (status === 307) expect((err as Error).message).toContain('redirect to http://elsewhere/ not followed');
  });

  it('names the URL when nothing answers, and times out', async () => {
    const port = await closedPort();
    await expect(pushSnapshot(`http://127.0.0.1:${port}`, snapshot)).rejects.toThrow(
      new RegExp(`push to http://127\\.0\\.0\\.1:${port}/metrics/job/forecaster.*ECONNREFUSED`),
    );
    const hang = ((_u: unknown, init?: RequestInit) =>
      new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
    await expect(pushSnapshot('http://pg', snapshot, { fetch: hang, timeoutMs: 30 })).rejects.toThrow(/timed out after 30 ms/);
  });
});
