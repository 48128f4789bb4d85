import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { BulkItem } from './bulk-batches.ts';
import { BulkWriteError, BulkWriter, interpretBulkResponse, type BulkWriterOptions } from './bulk-writer.ts';
import type { DeadLetterEntry } from './dead-letter.ts';
import { prepareItem } from './bulk-batches.ts';

const logger = pino({ level: 'silent' });

type ItemVerdict = { status: number; error?: { type: string; reason: string } };
/** A fake of the one client call the writer makes: each call gets the ids sent and answers per a script. */
type Script = (ids: string[], call: number) => ItemVerdict[] | Error;

function fakeClient(script: Script) {
  const calls: string[][] = [];
  const client = {
    bulk: async ({ operations }: { operations: string[] }) => {
      const ids = operations.filter((_, i) => i % 2 === 0).map((line) => (JSON.parse(line) as { index: { _id: string } }).index._id);
      calls.push(ids);
      const verdicts = script(ids, calls.length);
      if (verdicts instanceof Error) throw verdicts;
      return {
        errors: verdicts.some((v) => v.status >= 300),
        items: ids.map((id, i) => ({ index: { _index: 'idx', _id: id, ...verdicts[i]! } })),
      };
    },
    indices: { refresh: async () => ({}) },
  };
  return { client: client as unknown as Client, calls };
}

function writer(client: Client, extra: Partial<BulkWriterOptions> = {}) {
  const dead: DeadLetterEntry[] = [];
  const sleeps: number[] = [];
  const w = new BulkWriter({
    client,
    logger,
    deadLetter: { append: async (e) => void dead.push(...e) },
    maxDocs: 2,
    maxBytes: 1e6,
    maxRetries: 3,
    backoffMs: 100,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...extra,
  });
  return { w, dead, sleeps };
}

const items = (n: number): BulkItem[] => Array.from({ length: n }, (_, i) => ({ index: 'idx', id: `d${i}`, document: { n: i } }));
const ok = (ids: string[]) => ids.map(() => ({ status: 201 }));

describe('BulkWriter', () => {
  it('writes in batches of maxDocs and counts what the server confirmed', async () => {
    const { client, calls } = fakeClient(ok);
    const { w } = writer(client);
    expect(await w.write(items(5))).toEqual({ written: 5, deadLettered: 0, retries: 0, batches: 3 });
    expect(calls).toEqual([['d0', 'd1'], ['d2', 'd3'], ['d4']]);
  });

  it('retries the whole request after connection loss, with growing waits, then succeeds', async () => {
    const { client, calls } = fakeClient((ids, call) => (call <= 2 ? new errors.ConnectionError('connect ECONNREFUSED') : ok(ids)));
    const { w, sleeps } = writer(client);
    expect(await w.write(items(2))).toEqual({ written: 2, deadLettered: 0, retries: 2, batches: 1 });
    expect(calls).toEqual([['d0', 'd1'], ['d0', 'd1'], ['d0', 'd1']]);
    expect(sleeps).toEqual([100, 200]);
  });

  it('resends only the items that failed transiently (429), not the confirmed ones', async () => {
    const { client, calls } = fakeClient((ids, call) =>
      call === 1 ? [{ status: 201 }, { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } }] : ok(ids),
    );
    const { w } = writer(client);
    expect(await w.write(items(2))).toEqual({ written: 2, deadLettered: 0, retries: 1, batches: 1 });
    expect(calls).toEqual([['d0', 'd1'], ['d1']]);
  });

  it('dead-letters items refused for good with status, reason and the document, and does not count them written', async () => {
    const { client, calls } = fakeClient((ids) =>
      ids.map((id) => (id === 'd1' ? { status: 400, error: { type: 'document_parsing_exception', reason: 'failed to parse field [pid]' } } : { status: 201 })),
    );
    const { w, dead } = writer(client);
    expect(await w.write(items(3))).toEqual({ written: 2, deadLettered: 1, retries: 0, batches: 2 });
    expect(calls).toHaveLength(2);
    expect(dead).toEqual([
      { time: expect.any(String), index: 'idx', id: 'd1', status: 400, reason: { type: 'document_parsing_exception', reason: 'failed to parse field [pid]' }, document: { n: 1 } },
    ]);
  });

  it('throws after the retry budget, naming the item and reason, with only confirmed items in the partial result', async () => {
    const { client, calls } = fakeClient((ids) => ids.map((id) => (id === 'd3' ? { status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } } : { status: 201 })));
    const { w, sleeps } = writer(client);
    const err = await w.write(items(4)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BulkWriteError);
    expect((err as Error).message).toMatch(/1 items \(first idx\/d3\) still failing after 3 retries: .*idx\/d3 503 unavailable_shards_exception: primary shard is not active/);
    expect((err as BulkWriteError).partial).toEqual({ written: 3, deadLettered: 0, retries: 3, batches: 1 });
    expect(calls).toEqual([['d0', 'd1'], ['d2', 'd3'], ['d3'], ['d3'], ['d3']]);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it('does not retry a request the server refuses as such (401)', async () => {
    const unauthorized = new errors.ResponseError({ body: { error: { type: 'security_exception', reason: 'missing authentication' } }, statusCode: 401, headers: {}, warnings: null, meta: {} as never });
    const { client, calls } = fakeClient(() => unauthorized);
    const { w } = writer(client);
    await expect(w.write(items(1))).rejects.toThrow(/bulk request of 1 items \(first idx\/d0\) refused: 401 security_exception: missing authentication/);
    expect(calls).toHaveLength(1);
  });

  it('dead-letters a single document the server finds too large (413)', async () => {
    const tooLarge = new errors.ResponseError({ body: '', statusCode: 413, headers: {}, warnings: null, meta: {} as never });
    const { client } = fakeClient(() => tooLarge);
    const { w, dead } = writer(client);
    expect(await w.write(items(1))).toMatchObject({ written: 0, deadLettered: 1 });
    expect(dead[0]).toMatchObject({ id: 'd0', status: 413, reason: { type: 'request_entity_too_large' } });
  });

  it('stops waiting and throws when aborted during a backoff', async () => {
    const controller = new AbortController();
    const { client } = fakeClient(() => {
      setTimeout(() => controller.abort(new Error('SIGTERM')), 10);
      return new errors.TimeoutError('Request timed out');
    });
    // The real sleep: a one-minute wait that only the abort can cut short within the test's time limit.
    const { w } = writer(client, { sleep: undefined, backoffMs: 60_000, maxBackoffMs: 60_000, signal: controller.signal });
    const started = Date.now();
    await expect(w.write(items(1))).rejects.toThrow(/aborted while waiting to retry \(TimeoutError: Request timed out\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
  it('keeps `concurrency` requests in flight, never more, and holds back a batch with a document still in flight', async () => {
    let open = 0;
    let peak = 0;
    const order: string[] = [];
    const client = {
      bulk: async ({ operations }: { operations: string[] }) => {
        const ids = operations.filter((_, i) => i % 2 === 0).map((line) => (JSON.parse(line) as { index: { _id: string } }).index._id);
        peak = Math.max(peak, ++open);
        order.push(`start ${ids.join(',')}`);
        await new Promise((r) => setTimeout(r, 5));
        open--;
        order.push(`end ${ids.join(',')}`);
        return { errors: false, items: ids.map((id) => ({ index: { _index: 'idx', _id: id, status: 201 } })) };
      },
    } as unknown as Client;
    const { w } = writer(client, { concurrency: 2 });
    expect(await w.write(items(8))).toEqual({ written: 8, deadLettered: 0, retries: 0, batches: 4 });
    expect(peak).toBe(2);
    // d0 again in the third batch: it must not race the first batch's d0
    peak = 0;
    order.length = 0;
    const again: BulkItem[] = [...items(4), { index: 'idx', id: 'd0', document: { n: 99 } }, { index: 'idx', id: 'd9', document: {} }];
    expect(await w.write(again)).toMatchObject({ written: 6, batches: 3 });
    expect(order.indexOf('end d0,d1')).toBeLessThan(order.indexOf('start d0,d9'));
  });

  it('with requests in flight, a failure throws only after the others settled, and nothing after it is sent', async () => {
    const { client, calls } = fakeClient((ids) => (ids.includes('d2') ? new errors.ResponseError({ statusCode: 400, body: { error: 'bad' }, warnings: null, meta: {} as never }) : ok(ids)));
    const { w } = writer(client, { concurrency: 2 });
    await expect(w.write(items(10))).rejects.toBeInstanceOf(BulkWriteError);
    expect(calls.length).toBeLessThanOrEqual(3);
  });
});

describe('interpretBulkResponse', () => {
  const sent = [prepareItem({ index: 'i', id: 'a', document: {} }), prepareItem({ index: 'i', id: 'b', document: {} })];

  it('refuses a response that does not line up with the request instead of guessing', () => {
    expect(() => interpretBulkResponse(sent, { items: [{ index: { _index: 'i', _id: 'a', status: 201 } }] })).toThrow(/1 items for 2 sent/);
    expect(() =>
      interpretBulkResponse(sent, { items: [{ index: { _index: 'i', _id: 'b', status: 201 } }, { index: { _index: 'i', _id: 'a', status: 201 } }] }),
    ).toThrow(/expected the index result of i\/a/);
  });

  it('counts 200 (overwritten by a rerun) and 201 (created) as confirmed', () => {
    const v = interpretBulkResponse(sent, { items: [{ index: { _index: 'i', _id: 'a', status: 200 } }, { index: { _index: 'i', _id: 'b', status: 201 } }] });
    expect(v.confirmed.map((p) => p.item.id)).toEqual(['a', 'b']);
  });
});
