/**
 * Log classification on the real servers: real syslog/auth lines (Loghub Linux and OpenSSH samples) indexed into
 * logs-YYYY.MM.DD come out in logs-classified-* with every field; a second run adds nothing; an Elasticsearch
 * restart in the middle of a run loses nothing (the run may fail, its rerun completes, nothing is duplicated); a line
 * delivered after the job read past its timestamp is classified by the next run, once;
 * a review export → edit → import round trip changes the stored labels and the agreement gauge.
 */
import { loghubSyslogFields } from '@aiops/datasets/loghub-syslog';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createElasticsearchClient,
  dailyIndexName,
  documentId,
  setupElasticsearch,
  waitForCluster,
  writeBulk,
  type Client,
} from '@aiops/common';
import { createLogger } from '@aiops/common';
import { MetricsOutbox } from '@aiops/common';
import { datasetsAvailable, externalDataDir } from '@aiops/datasets';
import { esTestRun } from '../support/es-test-run.ts';
import { lastGauge } from '../support/outbox.ts';
import { devStack, eventually, REPO_ROOT, runCli, stackAvailable, URLS } from '../support/stack.ts';
import { metrics } from '@aiops/contracts';

const available = (await stackAvailable('elasticsearch')) && datasetsAvailable('loghub');
const testRun = esTestRun();
const { run: RUN, config, prefixes } = testRun;
const logger = createLogger('log-classifier-it', 'warn');
const work = mkdtempSync(join(tmpdir(), `${RUN}-logs-`));
const configFile = join(work, 'config.yml');
writeFileSync(configFile, `elasticsearch:\n  readPageSize: 500\n  bulkMaxDocs: 500\n`);
const model = join(work, 'model.json');
const outboxDir = join(work, 'outbox');

const env = (stateDir: string) => ({
  AIOPS_CONFIG: configFile,
  AIOPS_ES_URLS: URLS.elasticsearch,
  AIOPS_ES_INDEX_PREFIX: `${RUN}-`,
  AIOPS_STATE_DIR: stateDir,
  AIOPS_OUTBOX_DIR: outboxDir,
  AIOPS_DEAD_LETTER_DIR: join(work, 'dead-letter'),
  AIOPS_INSTANCE: RUN,
  AIOPS_LOG_LEVEL: 'warn',
});

async function cli(stateDir: string, ...args: string[]) {
  const res = await runCli(args, env(stateDir));
  if (res.code !== 0) throw new Error(`pnpm ${args.join(' ')} exited ${res.code}\n${res.stderr}`);
  return res;
}

interface RawLine {
  '@timestamp': string;
  'host.name': string;
  'log.source': string;
  service: string;
  pid?: number;
  message: string;
}

function rawLines(file: string, source: string, startMs: number): RawLine[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/) // Loghub's files have CRLF line ends
    .map(loghubSyslogFields)
    .filter((f) => f !== undefined)
    .map((f, i) => ({ '@timestamp': new Date(startMs + i * 1000).toISOString(), 'log.source': source, ...f }));
}

async function indexRaw(client: Client, lines: RawLine[], tag: string): Promise<void> {
  await writeBulk(
    client,
    config,
    logger,
    lines.map((doc, i) => ({ index: dailyIndexName(prefixes.logs, doc['@timestamp']), id: documentId(tag, i), document: doc })),
    { job: 'log-classifier-it', refresh: true },
  );
}

async function classifiedCount(client: Client): Promise<{ count: number; distinct: number }> {
  await client.indices.refresh({ index: `${prefixes.logsClassified}-*`, allow_no_indices: true });
  const { count } = await client.count({ index: `${prefixes.logsClassified}-*`, allow_no_indices: true, ignore_unavailable: true });
  const res = await client.search({
    index: `${prefixes.logsClassified}-*`,
    size: 0,
    aggs: { ids: { cardinality: { field: '_id' } } },
    allow_no_indices: true,
    ignore_unavailable: true,
  }).catch(() => undefined);
  const distinct = (res?.aggregations?.ids as { value: number } | undefined)?.value ?? count;
  return { count, distinct };
}

const lateGauge = () => lastGauge(outboxDir, 'log-classifier-classify', metrics.logsLateClassified.name);

describe.skipIf(!available)('log-classifier on Elasticsearch (real servers)', () => {
  let client: Client;
  const state = join(work, 'state');
  const linux = available ? rawLines(join(externalDataDir(), 'loghub/Linux/Linux_2k.log'), 'syslog', Date.parse('2026-11-20T00:00:00Z')) : [];
  const ssh = available ? rawLines(join(externalDataDir(), 'loghub/OpenSSH/OpenSSH_2k.log'), 'auth', Date.parse('2026-11-21T00:00:00Z')) : [];

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger);
    await indexRaw(client, [...linux, ...ssh], 'raw');
    await cli(state, 'log-classifier', 'train', '--out', model);
  }, 300_000);

  afterAll(async () => {
    await waitForCluster(client, 120_000);
    await testRun.cleanup(client);
    await client.close();
  });

  it('classifies every raw line into logs-classified-* with all fields', async () => {
    expect(linux.length + ssh.length).toBeGreaterThan(3_900);
    await cli(state, 'log-classifier', 'classify', '--model', model, '--lag', '0');
    const { count } = await classifiedCount(client);
    expect(count).toBe(linux.length + ssh.length);
    const sample = await client.search<Record<string, unknown>>({ index: `${prefixes.logsClassified}-*`, size: 200 });
    for (const hit of sample.hits.hits) {
      const doc = hit._source!;
      expect(['critical', 'warning', 'informational', 'noise']).toContain(doc.ml_category);
      expect(doc.ml_confidence).toBeGreaterThan(0);
      expect(doc.ml_review).toBe((doc.ml_confidence as number) < 0.6);
      expect(doc.ml_model_version).toEqual(expect.any(String));
      for (const raw of ['@timestamp', 'host.name', 'log.source', 'service', 'message']) expect(doc).toHaveProperty([raw]);
    }
    // Lines a labeling-guide phrase decides say which rule did (OpenSSH `Failed password` is W1, `Accepted password` I2).
    const ruled = await client.search<Record<string, unknown>>({ index: `${prefixes.logsClassified}-*`, size: 100, query: { exists: { field: 'ml_rule' } }, track_total_hits: true });
    expect((ruled.hits.total as { value: number }).value).toBeGreaterThan(500);
    for (const hit of ruled.hits.hits) expect(hit._source!.ml_rule).toMatch(/^(?:guide:(?:[CWIN]\d{1,2}|across)|(?:kernel|systemd|disk|cluster|mysql):[\w-]+|fail2ban:filter\.d\/[\w-]+)$/);
    // The same id as the raw line, in the raw line's day.
    const raw = await client.search({ index: `${prefixes.logs}-2*`, size: 1, sort: [{ '@timestamp': 'asc' }] });
    const id = raw.hits.hits[0]!._id!;
    expect((await client.get({ index: `${prefixes.logsClassified}-2026.11.20`, id })).found).toBe(true);
  }, 300_000);

  it('a second run adds nothing', async () => {
    const before = await classifiedCount(client);
    await cli(state, 'log-classifier', 'classify', '--model', model, '--lag', '0');
    expect(await classifiedCount(client)).toEqual(before);
  }, 300_000);

  it('an Elasticsearch restart in the middle of a run loses nothing and duplicates nothing', async () => {
    // 40 k more lines, a fresh checkpoint: the run takes long enough for the restart to land inside it.
    const more = Array.from({ length: 10 }, (_, k) =>
      [...linux, ...ssh].map((l, i) => ({ ...l, '@timestamp': new Date(Date.parse('2026-11-22T00:00:00Z') + (k * 4_000 + i) * 250).toISOString() })),
    ).flat();
    await indexRaw(client, more, 'more');
    const restartState = join(work, 'restart-state');
    const child = spawn('pnpm', ['-s', 'log-classifier', 'classify', '--model', model, '--lag', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env(restartState) },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const checkpoints = join(restartState, 'checkpoints');
    await eventually(async () => (existsSync(checkpoints) && readdirSync(checkpoints).length > 0 ? true : undefined), 120_000, 50);
    // Watch for the moment the node is down: the run must still be going then, or the test proved nothing.
    let runningWhenDown: boolean | undefined;
    const watch = setInterval(() => {
      if (runningWhenDown !== undefined) return;
      fetch(`${URLS.elasticsearch}/_cluster/health`, { signal: AbortSignal.timeout(500) })
        .then((r) => r.ok, () => false)
        .then((up) => {
          if (!up && runningWhenDown === undefined) runningWhenDown = child.exitCode === null;
        });
    }, 100);
    await devStack('restart', 'elasticsearch');
    const code = await exited;
    clearInterval(watch);
    expect(runningWhenDown).toBe(true);
    await waitForCluster(client, 120_000);
    if (code !== 0) await cli(restartState, 'log-classifier', 'classify', '--model', model, '--lag', '0');
    const total = linux.length + ssh.length + more.length;
    expect(await classifiedCount(client)).toEqual({ count: total, distinct: total });
  }, 400_000);

  it('a line delivered after the checkpoint passed its timestamp is classified by the next run, once', async () => {
    const restartState = join(work, 'restart-state'); // its checkpoint is at the 22nd's last line, a day past the 21st
    const before = await classifiedCount(client);
    // An auth line of the 21st that reaches Elasticsearch only now, as from a shipper that was down for a day.
    const line = { ...ssh[5]!, '@timestamp': new Date(Date.parse(ssh[5]!['@timestamp']) + 500).toISOString() };
    await indexRaw(client, [line], 'late');
    // The forward read alone never sees it: it sorts before the checkpoint.
    await cli(restartState, 'log-classifier', 'classify', '--model', model, '--lag', '0', '--late-hours', '0');
    expect(await classifiedCount(client)).toEqual(before);
    expect(await lateGauge()).toBe(0);

    await cli(restartState, 'log-classifier', 'classify', '--model', model, '--lag', '0');
    expect(await classifiedCount(client)).toEqual({ count: before.count + 1, distinct: before.distinct + 1 });
    const doc = await client.get<Record<string, unknown>>({ index: `${prefixes.logsClassified}-2026.11.21`, id: documentId('late', 0) });
    expect(doc._source!.message).toBe(line.message);
    expect(['critical', 'warning', 'informational', 'noise']).toContain(doc._source!.ml_category);
    expect(await lateGauge()).toBe(1);

    await cli(restartState, 'log-classifier', 'classify', '--model', model, '--lag', '0');
    expect(await classifiedCount(client)).toEqual({ count: before.count + 1, distinct: before.distinct + 1 });
    expect(await lateGauge()).toBe(0);
  }, 300_000);

  it('review export → edit → import stores the labels and reports the agreement', async () => {
    const sheet = join(work, 'review.csv');
    await cli(state, 'log-classifier', 'review', 'export', '--out', sheet, '--limit', '40', '--spot-check', '10', '--seed', '7');
    const rows = parse(readFileSync(sheet, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.kind === 'review').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.kind === 'spot-check')).toHaveLength(10);
    // The person agrees with the first half and corrects the rest to `critical` (or `noise` where it said critical).
    const half = Math.floor(rows.length / 2);
    const edited: Record<string, string>[] = rows.map((r, i) => ({
      ...r,
      review_label: i < half ? r.ml_category! : r.ml_category === 'critical' ? 'noise' : 'critical',
    }));
    writeFileSync(sheet, stringify(edited, { header: true, columns: Object.keys(rows[0]!) }));
    const labelsOut = join(work, 'reviewed.csv');
    await cli(state, 'log-classifier', 'review', 'import', '--file', sheet, '--model', model, '--labels-out', labelsOut);

    const doc = await client.get<Record<string, unknown>>({ index: edited[half]!.index!, id: edited[half]!.id! });
    expect(doc._source!.review_label).toBe(edited[half]!.review_label);
    expect(doc._source!.review_agrees).toBe(false);
    expect(readFileSync(labelsOut, 'utf8').trim().split('\n')).toHaveLength(rows.length + 1);

    const outbox = new MetricsOutbox(outboxDir);
    const entries = await outbox.list();
    const snapshots = await Promise.all(entries.map((e) => outbox.read(e)));
    const agreement = snapshots
      .filter((s) => s.job === 'log-classifier-review-import')
      .flatMap((s) => s.samples)
      .find((s) => s.name === metrics.logsReviewAgreementRatio.name);
    expect(agreement?.value).toBeCloseTo(half / rows.length, 6);
  }, 300_000);
});
