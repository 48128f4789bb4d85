/**
 * zeek-ingest run against the real Elasticsearch: a real conn.log and dns.log from ../shared in a temp directory
 * ship to <run>-zeek-conn/dns-YYYY.MM.DD with deterministic ids; appended lines plus a rotation (rename, gzip,
 * new live file) ship exactly the new lines; a rerun adds nothing. Driven through the CLI, as cron runs it.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchClient, documentId, setupElasticsearch, type Client } from '@aiops/common';
import { createLogger } from '@aiops/common';
import { esTestRun } from '../support/es-test-run.ts';
import { runCli, stackAvailable } from '../support/stack.ts';
import { datasetsAvailable, externalDataDir } from '@aiops/datasets';
import { metrics } from '@aiops/contracts';

const available =
  (await stackAvailable('elasticsearch')) && datasetsAvailable('stratosphere-security-datasets-for-testing', 'brimdata-zed-sample-data-wrccdc2018');
const testRun = esTestRun();
const { config, prefixes, run } = testRun;
const logger = createLogger('zeek-ingest-test', 'silent');
const DATA = externalDataDir();
const CONN = join(DATA, 'stratosphere-security-datasets-for-testing/008-zeek-mixed/data/conn.log.labeled');
const DNS = join(DATA, 'brimdata-zed-sample-data-wrccdc2018/zeek-default/dns.log');

const work = mkdtempSync(join(tmpdir(), `${run}-zeek-`));
const dir = join(work, 'logs');
const env = {
  AIOPS_ES_URLS: config.elasticsearch.nodes[0],
  AIOPS_STATE_DIR: join(work, 'state'),
  AIOPS_OUTBOX_DIR: join(work, 'outbox'),
  AIOPS_DEAD_LETTER_DIR: join(work, 'dead-letter'),
  AIOPS_LOG_LEVEL: 'warn',
};
const indexPrefix = `${run}-zeek`;

function split(file: string): { header: string[]; rows: string[] } {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: lines.filter((l) => l.startsWith('#') && !l.startsWith('#close')), rows: lines.filter((l) => !l.startsWith('#')) };
}
const none = { header: [], rows: [] };
const conn = available ? split(CONN) : none;
const dns = available ? split(DNS) : none;
const DNS_FIRST = 3_000;

async function ingest(): Promise<{ code: number; recordsProcessed: number; stderr: string }> {
  const before = new Set(readdirSync(env.AIOPS_OUTBOX_DIR));
  const result = await runCli(['zeek-ingest', 'run', '--dir', dir, '--index-prefix', indexPrefix, '--once'], env);
  const snapshot = readdirSync(env.AIOPS_OUTBOX_DIR).find((f) => f.endsWith('.json') && !before.has(f));
  const samples = snapshot ? (JSON.parse(readFileSync(join(env.AIOPS_OUTBOX_DIR, snapshot), 'utf8')).samples as { name: string; value: number }[]) : [];
  const recordsProcessed = samples.find((s) => s.name === metrics.jobRecordsProcessed.name)?.value ?? -1;
  return { code: result.code, recordsProcessed, stderr: result.stderr };
}

describe.skipIf(!available)('zeek-ingest run (real Elasticsearch)', () => {
  let client: Client;
  const count = async (path: string) => {
    await client.indices.refresh({ index: `${indexPrefix}-${path}-*`, ignore_unavailable: true, allow_no_indices: true });
    return (await client.count({ index: `${indexPrefix}-${path}-*`, ignore_unavailable: true, allow_no_indices: true })).count;
  };

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger, { prefixes });
    mkdirSync(dir, { recursive: true });
    mkdirSync(env.AIOPS_OUTBOX_DIR, { recursive: true });
    writeFileSync(join(dir, 'conn.log'), [...conn.header, ...conn.rows, ''].join('\n'));
    writeFileSync(join(dir, 'dns.log'), [...dns.header, ...dns.rows.slice(0, DNS_FIRST), ''].join('\n'));
  });

  afterAll(async () => {
    await testRun.cleanup(client);
    await client.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('ships a real conn.log and dns.log into daily zeek indices, ids from path + uid (conn) and content (dns)', async () => {
    const first = await ingest();
    expect(first.code, first.stderr).toBe(0);
    expect(first.recordsProcessed).toBe(conn.rows.length + DNS_FIRST);
    expect(await count('conn')).toBe(5_663);
    expect(await count('dns')).toBe(DNS_FIRST);
    expect(prefixes.zeekConn).toBe(`${indexPrefix}-conn`); // the index template of the family applies

    const [ts, uid, origHost] = conn.rows[0]!.split('\t');
    const day = new Date(Number(ts) * 1000).toISOString().slice(0, 10).replaceAll('-', '.');
    const doc = await client.get<Record<string, unknown>>({ index: `${indexPrefix}-conn-${day}`, id: documentId('conn', uid!) });
    expect(doc._source).toMatchObject({ uid, 'id.orig_h': origHost, _path: 'conn', label: 'Benign', '@timestamp': new Date(Number(ts) * 1000).toISOString() });
    // Mapped as the template says: an ip field answers a CIDR query.
    const inNet = await client.count({ index: `${indexPrefix}-conn-*`, query: { term: { 'id.orig_h': '147.32.0.0/16' } } });
    expect(inNet.count).toBeGreaterThan(0);
  });

  it('after appended lines and a rotation (rename, gzip, new live file), exactly the new lines arrive', async () => {
    const live = join(dir, 'dns.log');
    appendFileSync(live, dns.rows.slice(DNS_FIRST, DNS_FIRST + 40).join('\n') + '\n');
    const rotated = join(dir, 'dns.2018-03-24-17-30-00.log');
    renameSync(live, rotated);
    writeFileSync(`${rotated}.gz`, gzipSync(readFileSync(rotated)));
    rmSync(rotated);
    const newHeader = dns.header.map((l) => (l.startsWith('#open') ? '#open\t2018-03-24-17-30-00' : l));
    writeFileSync(live, [...newHeader, ...dns.rows.slice(DNS_FIRST + 40, DNS_FIRST + 65), ''].join('\n') + dns.rows[DNS_FIRST + 65]!.slice(0, 20));
    appendFileSync(join(dir, 'conn.log'), conn.rows[0]!.replace(/\tC[A-Za-z0-9]+\t/, '\tCnewUid00000000001\t') + '\n');

    const second = await ingest();
    expect(second.code, second.stderr).toBe(0);
    expect(second.recordsProcessed).toBe(40 + 25 + 1); // the partial last line waits
    expect(await count('dns')).toBe(DNS_FIRST + 65);
    expect(await count('conn')).toBe(5_664);
  });

  it('a rerun adds nothing', async () => {
    const third = await ingest();
    expect(third.code, third.stderr).toBe(0);
    expect(third.recordsProcessed).toBe(0);
    expect(await count('dns')).toBe(DNS_FIRST + 65);
    expect(await count('conn')).toBe(5_664);
  });
});
