/**
 * The bulk writer against the real server: a document the mapping refuses goes to the dead-letter file with the
 * server's reason while the others are written, and writing the same input again adds no duplicate.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createElasticsearchClient,
  dailyIndexName,
  DeadLetterFile,
  documentId,
  readDeadLetters,
  setupElasticsearch,
  writeBulk,
  type BulkItem,
  type Client,
} from '@aiops/common';
import { createLogger } from '@aiops/common';
import { esTestRun } from '../support/es-test-run.ts';
import { stackAvailable } from '../support/stack.ts';

const available = await stackAvailable('elasticsearch');
const testRun = esTestRun();
const { prefixes } = testRun;
const logger = createLogger('es-bulk-test', 'silent');
const config = testRun.config;
const deadLetterDir = config.paths.deadLetterDir;
config.elasticsearch.bulkMaxDocs = 100; // several batches for 250 docs

const N = 250;
const BAD = 137;
const day = '2026-11-24';
const index = dailyIndexName(prefixes.logs, `${day}T00:00:00Z`);

/** N raw log lines of one day; number BAD carries a pid the `long` mapping cannot take. */
function input(): BulkItem[] {
  return Array.from({ length: N }, (_, i) => {
    const ts = new Date(Date.parse(`${day}T00:00:00Z`) + i * 1_000).toISOString();
    const document = { '@timestamp': ts, 'host.name': 'telem-a', 'log.source': 'syslog', severity: 'info', service: 'sshd', pid: i === BAD ? 'four-two' : 4000 + i, message: `line ${i}` };
    return { index, id: documentId('telem-a', 'syslog', ts, i), document };
  });
}

describe.skipIf(!available)('bulk writer (real server)', () => {
  let client: Client;

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger, { prefixes });
  });

  afterAll(async () => {
    await testRun.cleanup(client);
    await client.close();
    rmSync(deadLetterDir, { recursive: true, force: true });
  });

  it('writes N-1 documents and dead-letters the one the mapping refuses, with its reason', async () => {
    const result = await writeBulk(client, config, logger, input(), { job: 'bulk-test', refresh: true });
    expect(result).toEqual({ written: N - 1, deadLettered: 1, retries: 0, batches: 3 });
    expect((await client.count({ index })).count).toBe(N - 1);

    const file = new DeadLetterFile(deadLetterDir, 'bulk-test').pathFor(new Date());
    const [entry, ...rest] = await readDeadLetters(file);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      index,
      id: input()[BAD]!.id,
      status: 400,
      reason: { type: 'document_parsing_exception', reason: expect.stringContaining('[pid]') },
      document: { pid: 'four-two', message: `line ${BAD}` },
    });
    // The refused document never reached the index.
    await expect(client.get({ index, id: entry!.id })).rejects.toMatchObject({ meta: { statusCode: 404 } });
  });

  it('writing the same input again overwrites: still N-1 documents, each once', async () => {
    const again = await writeBulk(client, config, logger, input(), { job: 'bulk-test', refresh: true });
    expect(again).toMatchObject({ written: N - 1, deadLettered: 1 });
    expect((await client.count({ index })).count).toBe(N - 1);
    const ids = await client.search({ index, size: 0, aggs: { distinct: { cardinality: { field: 'pid', precision_threshold: 1_000 } } } });
    expect((ids.aggregations?.distinct as { value: number }).value).toBe(N - 1);
    // Overwritten in place: version 2 of the same document, not a second document.
    const doc = await client.get({ index, id: input()[0]!.id });
    expect(doc._version).toBe(2);
  });

  it('refuses a field outside the contract in the strict forecasts index, and says which', async () => {
    const forecastIndex = dailyIndexName(prefixes.forecasts, `${day}T00:00:00Z`);
    const base = { '@timestamp': `${day}T01:00:00Z`, host: 'telem-a', metric: 'disk', device: '/', target_time: `${day}T02:00:00Z`, yhat: 71.5, run_id: 'r1', model: 'prophet' };
    const result = await writeBulk<Record<string, unknown>>(
      client,
      config,
      logger,
      [
        { index: forecastIndex, id: documentId('r1', 'ok'), document: base },
        { index: forecastIndex, id: documentId('r1', 'extra'), document: { ...base, horizon: '7d' } },
      ],
      { job: 'bulk-test-forecasts', refresh: true },
    );
    expect(result).toMatchObject({ written: 1, deadLettered: 1 });
    const [entry] = await readDeadLetters(new DeadLetterFile(deadLetterDir, 'bulk-test-forecasts').pathFor(new Date()));
    expect(entry).toMatchObject({ status: 400, reason: { type: 'strict_dynamic_mapping_exception', reason: expect.stringContaining('[horizon]') } });
  });
});
