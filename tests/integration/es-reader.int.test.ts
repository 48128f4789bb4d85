/**
 * The checkpointed reader against the real server: 2,500 documents over three daily indices (some filed in a later
 * day's index), 70 sharing each timestamp so that ties cross page boundaries. A stopped run resumes exactly where
 * it stopped, a failed page is replayed, and two PIT slices split the documents without overlap or gap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkpointKey,
  CheckpointStore,
  createElasticsearchClient,
  dailyIndexName,
  dailyIndexPattern,
  documentId,
  processSince,
  setupElasticsearch,
  writeBulk,
  type BulkItem,
  type Client,
    type PitSlice,
  type ReadHit,
  type ReadPage,
} from '@aiops/common';
import { createLogger } from '@aiops/common';
import { esTestRun } from '../support/es-test-run.ts';
import { stackAvailable } from '../support/stack.ts';

const available = await stackAvailable('elasticsearch');
const testRun = esTestRun();
const { run: RUN, prefixes } = testRun;
const logger = createLogger('es-reader-test', 'silent');
const config = testRun.config;
const pattern = dailyIndexPattern(prefixes.logs);

const N = 2_500;
const TIE = 70;
const PAGE = 300;
const START = Date.parse('2026-11-22T00:00:00Z');
const tsOf = (i: number) => new Date(START + Math.floor(i / TIE) * 2 * 3_600_000).toISOString(); // 36 timestamps, 3 days
const idOf = (i: number) => documentId('reader-test', i);
const ALL_IDS = new Set(Array.from({ length: N }, (_, i) => idOf(i)));

function input(): BulkItem[] {
  return Array.from({ length: N }, (_, i) => ({
    // Every 7th document sits in the last day's index although its timestamp is earlier (a late arrival).
    index: dailyIndexName(prefixes.logs, i % 7 === 0 ? '2026-11-24T00:00:00Z' : tsOf(i)),
    id: idOf(i),
    document: { '@timestamp': tsOf(i), 'host.name': 'telem-a', message: `line ${i}`, pid: i },
  }));
}

const countOnce = (hits: ReadHit[]) => {
  const seen = new Map<string, number>();
  for (const h of hits) seen.set(h.id, (seen.get(h.id) ?? 0) + 1);
  return { distinct: seen.size, duplicated: [...seen.values()].filter((n) => n > 1).length };
};

describe.skipIf(!available)('checkpointed reader (real server)', () => {
  let client: Client;
  let store: CheckpointStore;
  const read = (slice?: PitSlice) => ({ client, index: pattern, pageSize: PAGE, ...(slice ? { slice } : {}), logger });

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    store = new CheckpointStore(mkdtempSync(join(tmpdir(), `${RUN}-state-`)));
    await setupElasticsearch(client, config, logger, { prefixes });
    const written = await writeBulk(client, config, logger, input(), { job: RUN, refresh: true });
    expect(written.written).toBe(N);
  });

  afterAll(async () => {
    await testRun.cleanup(client);
    await client.close();
    rmSync(store.dir, { recursive: true, force: true });
  });

  it('resumes exactly where a stopped run stopped, ties across the page boundary included', async () => {
    const key = checkpointKey('reader-test', pattern);
    const first: ReadPage[] = [];
    const controller = new AbortController();
    const run1 = await processSince({
      read: read(),
      store,
      key,
      signal: controller.signal,
      handlePage: async (page) => {
        first.push(page);
        if (first.length === 3) controller.abort();
      },
    });
    expect(run1).toMatchObject({ pages: 3, hits: 3 * PAGE, aborted: true });
    expect(await store.load(key)).toEqual(first[2]!.position);

    const second: ReadPage[] = [];
    const started = Date.now();
    const run2 = await processSince({ read: read(), store, key, handlePage: async (page) => void second.push(page) });
    const ms = Date.now() - started;
    expect(run2).toMatchObject({ hits: N - 3 * PAGE, aborted: false });

    const hits = [...first, ...second].flatMap((p) => p.hits);
    expect(countOnce(hits)).toEqual({ distinct: N, duplicated: 0 });
    expect(new Set(hits.map((h) => h.id))).toEqual(ALL_IDS);
    // In timestamp order across indices and across the two runs.
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.timestamp >= hits[i - 1]!.timestamp).toBe(true);
    // The stop fell inside a run of equal timestamps: the resume had to skip the ids already handed out.
    const stoppedAt = first[2]!.position;
    expect(second[0]!.hits[0]!.timestamp).toBe(stoppedAt.timestamp);
    expect(stoppedAt.idsAtTimestamp.length).toBeGreaterThan(0);
    expect(stoppedAt.idsAtTimestamp.length).toBeLessThan(TIE);
    console.log(`reader: ${N - 3 * PAGE} docs in ${ms} ms (${Math.round(((N - 3 * PAGE) / ms) * 1000)} docs/s, page ${PAGE})`);

    // Nothing new: a third run reads nothing and keeps the position.
    const run3 = await processSince({ read: read(), store, key, handlePage: async () => undefined });
    expect(run3).toMatchObject({ pages: 0, hits: 0, position: run2.position });
  });

  it('leaves the checkpoint where it was when handling a page fails, so the rerun replays that page', async () => {
    const key = checkpointKey('reader-test-failing', pattern);
    const handled: ReadHit[] = [];
    let failedPage: string[] = [];
    let pageNo = 0;
    const failing = processSince({
      read: read(),
      store,
      key,
      handlePage: async (page) => {
        if (++pageNo === 2) {
          failedPage = page.hits.map((h) => h.id);
          throw new Error('bulk write not confirmed');
        }
        handled.push(...page.hits);
      },
    });
    await expect(failing).rejects.toThrow('bulk write not confirmed');
    const saved = await store.load(key);
    expect(saved?.timestamp).toBe(handled.at(-1)!.timestamp);

    const replay: ReadPage[] = [];
    await processSince({ read: read(), store, key, handlePage: async (page) => void replay.push(page) });
    expect(replay[0]!.hits.map((h) => h.id)).toEqual(failedPage);
    const all = [...handled, ...replay.flatMap((p) => p.hits)];
    expect(countOnce(all)).toEqual({ distinct: N, duplicated: 0 });
  });

  it('batches pages up to minBatchHits (asked before each page), checkpoints each batch, and stops after an abort', async () => {
    const key = checkpointKey('reader-test-batched', pattern);
    const controller = new AbortController();
    const batches: ReadPage[] = [];
    let want = PAGE + 1; // two pages a batch, then (after the first batch) three
    const run1 = await processSince({
      read: read(),
      store,
      key,
      signal: controller.signal,
      minBatchHits: () => want,
      handlePage: async (page) => {
        batches.push(page);
        want = 2 * PAGE + 1;
        if (batches.length === 2) controller.abort();
      },
    });
    expect(batches.map((b) => b.hits.length)).toEqual([2 * PAGE, 3 * PAGE]);
    expect(run1).toMatchObject({ pages: 2, hits: 5 * PAGE, aborted: true });
    expect(await store.load(key)).toEqual(batches[1]!.position);
    // the rest in one batch: the reader's last page ends it early
    const rest: ReadPage[] = [];
    const run2 = await processSince({ read: read(), store, key, minBatchHits: () => N, handlePage: async (page) => void rest.push(page) });
    expect(rest).toHaveLength(1);
    expect(run2).toMatchObject({ pages: 1, hits: N - 5 * PAGE, aborted: false });
    const hits = [...batches, ...rest].flatMap((p) => p.hits);
    expect(countOnce(hits)).toEqual({ distinct: N, duplicated: 0 });
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.timestamp >= hits[i - 1]!.timestamp).toBe(true);
  });

  it('two slices (0 and 1 of 2) cover every document exactly once, also when one resumes from its checkpoint', async () => {
    const slices: ReadHit[][] = [[], []];
    for (const id of [0, 1]) {
      const slice = { id, max: 2 };
      const key = checkpointKey('reader-test-sliced', pattern, slice);
      const controller = new AbortController();
      // Slice 0 stops after one page and resumes in a second run, as a restarted ML node would.
      await processSince({
        read: read(slice),
        store,
        key,
        signal: controller.signal,
        handlePage: async (page) => {
          slices[id]!.push(...page.hits);
          if (id === 0) controller.abort();
        },
      });
      if (id === 0) await processSince({ read: read(slice), store, key, handlePage: async (page) => void slices[id]!.push(...page.hits) });
    }
    expect(slices[0]!.length).toBeGreaterThan(0);
    expect(slices[1]!.length).toBeGreaterThan(0);
    const ids0 = new Set(slices[0]!.map((h) => h.id));
    expect(slices[1]!.filter((h) => ids0.has(h.id))).toEqual([]);
    expect(countOnce([...slices[0]!, ...slices[1]!])).toEqual({ distinct: N, duplicated: 0 });
    console.log(`slices: ${slices[0]!.length} + ${slices[1]!.length} documents`);
  });

  it('leaves out an index of the pattern that does not map the timestamp, sliced or not', async () => {
    const other = `${RUN}-other`;
    await client.index({ index: other, id: 'x', document: { note: 'no timestamp mapping here' }, refresh: true });
    const both = `${pattern},${other}`;
    for (const slice of [undefined, { id: 0, max: 2 }, { id: 1, max: 2 }]) {
      const hits: ReadHit[] = [];
      await processSince({ read: { ...read(slice), index: both }, store, key: checkpointKey('reader-test-other', both, slice), handlePage: async (p) => void hits.push(...p.hits) });
      expect(hits.some((h) => h.index === other)).toBe(false);
      if (!slice) expect(hits).toHaveLength(N);
    }
  });

  it('stops at until (exclusive), and reads nothing, without error, from a pattern or name that matches nothing', async () => {
    const until = '2026-11-24T00:00:00Z';
    const hits: ReadHit[] = [];
    await processSince({ read: { ...read(), until }, store, key: checkpointKey('reader-test-until', pattern), handlePage: async (p) => void hits.push(...p.hits) });
    const expected = Array.from({ length: N }, (_, i) => i).filter((i) => tsOf(i) < '2026-11-24T00:00:00.000Z').length;
    expect(hits).toHaveLength(expected);
    expect(hits.every((h) => h.timestamp < '2026-11-24T00:00:00.000Z')).toBe(true);

    for (const index of [`${RUN}-nothing-2*`, `${RUN}-no-such-index`]) {
      const result = await processSince({ read: { ...read(), index }, store, key: checkpointKey('reader-test-empty', index), handlePage: async () => undefined });
      expect(result).toEqual({ pages: 0, hits: 0, position: undefined, aborted: false });
    }
  });
});
