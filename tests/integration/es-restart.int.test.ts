/**
 * Elasticsearch restarts in the middle of a bulk load: the writer (default retry budget: 8 retries from 500 ms)
 * rides it out, and afterwards every document is there exactly once — none lost, none duplicated.
 *
 * The input is generated lazily; once the first batches are confirmed the test starts `dev-stack.sh restart
 * elasticsearch` and holds the input until the node is observed down, so the restart provably falls inside the load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backoffBudgetMs,
  createElasticsearchClient,
  dailyIndexName,
  dailyIndexPattern,
  documentId,
  readSince,
  setupElasticsearch,
  waitForCluster,
  writeBulk,
  type BulkItem,
  type Client,
} from '@aiops/common';
import { createLogger } from '@aiops/common';
import { esTestRun } from '../support/es-test-run.ts';
import { devStack, sleep, stackAvailable, URLS } from '../support/stack.ts';

const available = await stackAvailable('elasticsearch');
const testRun = esTestRun();
const { run: RUN, prefixes } = testRun;
// 'warn': each retry of the writer shows in the test output.
const logger = createLogger('es-restart-test', 'warn');
const config = testRun.config;
config.elasticsearch.bulkMaxDocs = 500;

const N = 40_000;
const BATCH = config.elasticsearch.bulkMaxDocs;
const RESTART_AFTER_BATCHES = 5;
const START = Date.parse('2026-11-23T00:00:00Z');

async function isDown(): Promise<boolean> {
  try {
    const res = await fetch(`${URLS.elasticsearch}/_cluster/health`, { signal: AbortSignal.timeout(1_000) });
    return !res.ok;
  } catch {
    return true;
  }
}

describe.skipIf(!available)('Elasticsearch restart during a bulk load (real server)', () => {
  let client: Client;

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger, { prefixes });
  });

  afterAll(async () => {
    await waitForCluster(client, 120_000);
    await testRun.cleanup(client);
    await client.close();
  });

  it('loses and duplicates nothing when the node restarts mid-load, and retried to get there', { timeout: 300_000 }, async () => {
    const budget = backoffBudgetMs(config.elasticsearch.bulkMaxRetries, config.elasticsearch.bulkBackoffMs);
    let confirmedBatches = 0;
    let restart: Promise<string> | undefined;
    const t0 = Date.now();
    let restartAt = 0;
    let downAt = 0;
    let backAt = 0;
    let batchesAtDown = 0;

    async function* input(): AsyncGenerator<BulkItem> {
      for (let i = 0; i < N; i++) {
        if (i === RESTART_AFTER_BATCHES * BATCH + 1) {
          // batches 1…5 were handed to the writer, at most bulkConcurrency of them still in flight
          expect(confirmedBatches).toBeGreaterThanOrEqual(RESTART_AFTER_BATCHES - config.elasticsearch.bulkConcurrency);
          restartAt = Date.now();
          restart = devStack('restart', 'elasticsearch');
          restart.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
          const deadline = Date.now() + 90_000;
          while (!(await isDown())) {
            if (Date.now() > deadline) throw new Error('Elasticsearch did not go down within 90 s of the restart');
            await sleep(100);
          }
          downAt = Date.now();
          batchesAtDown = confirmedBatches;
        }
        const ts = new Date(START + i * 4_000).toISOString(); // 40k docs over ~2 days: two daily indices
        yield { index: dailyIndexName(prefixes.logs, ts), id: documentId(RUN, i), document: { '@timestamp': ts, 'host.name': `h${i % 7}`, message: `load ${i}`, pid: i } };
      }
    }

    const result = await writeBulk(client, config, logger, input(), {
      job: RUN,
      refresh: true,
      onBatch: (p) => {
        confirmedBatches = p.batches;
        if (downAt && !backAt && p.batches > batchesAtDown) backAt = Date.now();
      },
    });
    const tEnd = Date.now();
    expect(restart).toBeDefined();
    await restart;

    expect(result).toMatchObject({ written: N, deadLettered: 0, batches: N / BATCH });
    expect(result.retries).toBeGreaterThan(0);
    const indices = [dailyIndexName(prefixes.logs, START), dailyIndexName(prefixes.logs, START + 86_400_000)];
    const counts = await Promise.all(indices.map(async (index) => (await client.count({ index })).count));
    expect(counts).toEqual([21_600, 18_400]); // 86,400 s / 4 s per doc on the first day, the rest on the second
    const total = await client.count({ index: dailyIndexPattern(prefixes.logs) });
    expect(total.count).toBe(N);

    // Every id once: read them all back.
    const ids = new Set<string>();
    let read = 0;
    for await (const page of readSince({ client, index: dailyIndexPattern(prefixes.logs), pageSize: 5_000, sourceIncludes: ['pid'] })) {
      for (const hit of page.hits) ids.add(hit.id);
      read += page.hits.length;
    }
    expect(read).toBe(N);
    expect(ids.size).toBe(N);
    for (let i = 0; i < N; i += 997) expect(ids.has(documentId(RUN, i))).toBe(true);

    const outageMs = backAt - downAt;
    const afterMs = tEnd - backAt;
    const docsAfter = N - batchesAtDown * BATCH - BATCH;
    console.log(
      [
        `restart during bulk load: ${N} docs, batches of ${BATCH}, ${result.retries} retries`,
        `  restart triggered after ${batchesAtDown} confirmed batches; node down ${downAt - restartAt} ms later`,
        `  outage seen by the writer (down → first confirmed batch): ${outageMs} ms; retry budget ${budget.min}–${budget.max} ms of waits`,
        `  before the restart: ${Math.round((batchesAtDown * BATCH) / ((restartAt - t0) / 1000))} docs/s; after recovery: ${Math.round(docsAfter / (afterMs / 1000))} docs/s`,
        `  total ${tEnd - t0} ms`,
      ].join('\n'),
    );
    expect(outageMs).toBeGreaterThan(0);
  });
});
