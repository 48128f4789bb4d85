/**
 * Network anomaly detection end to end on the real servers: a real CTU conn.log shipped by zeek-ingest, a model
 * trained from Elasticsearch on the first 60 % of the capture's time, `detect` writing anomalies-* whose flagged
 * connections (kind connection) and host alerts (kind host) are exactly those files mode finds with the same model
 * on the same file (so paging + carried context change nothing), gauges (the host score, alerted and threshold too)
 * reaching Prometheus through the exporter, a second run adding nothing, a kill -9 in the middle of `detect`
 * followed by a rerun losing nothing, and a long-lived connection that Zeek logs (and zeek-ingest ships) only when
 * it ends, hours behind the checkpoint, scored by the next run, once.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchClient, setupElasticsearch, type Client } from '@aiops/common';
import { createLogger } from '@aiops/common';
import { deletePushgatewayGroup } from '@aiops/common';
import { PrometheusClient } from '@aiops/common';
import { metrics } from '@aiops/contracts';
import { datasetsAvailable, externalDataDir } from '@aiops/datasets';
import { esTestRun } from '../support/es-test-run.ts';
import { lastGauge } from '../support/outbox.ts';
import { eventually, REPO_ROOT, runCli, sleep, stackAvailable, URLS } from '../support/stack.ts';

const available = (await stackAvailable('elasticsearch', 'prometheus', 'pushgateway')) && datasetsAvailable('stratosphere-security-datasets-for-testing');
const testRun = esTestRun();
const { run: RUN, config } = testRun;
const CONN_LOG = join(externalDataDir(), 'stratosphere-security-datasets-for-testing/011-zeek-mixed/data/conn.log.labeled');
const work = mkdtempSync(join(tmpdir(), `${RUN}-anomaly-`));
const zeekDir = join(work, 'zeek');
const instance = `${RUN}-anomaly`;
// Small pages so one run spans many pages and the kill lands between two of them.
const configFile = join(work, 'config.yml');
writeFileSync(configFile, `elasticsearch:\n  readPageSize: 500\n  bulkMaxDocs: 500\n`);

const env = (stateDir: string) => ({
  AIOPS_CONFIG: configFile,
  AIOPS_ES_URLS: URLS.elasticsearch,
  AIOPS_ES_INDEX_PREFIX: `${RUN}-`,
  AIOPS_PUSHGATEWAY_URL: URLS.pushgateway,
  AIOPS_INSTANCE: instance,
  AIOPS_STATE_DIR: stateDir,
  AIOPS_OUTBOX_DIR: join(work, 'outbox'),
  AIOPS_DEAD_LETTER_DIR: join(work, 'dead-letter'),
  AIOPS_LOG_LEVEL: 'warn',
});

/** The capture's time range, so training and the first detect cover it whatever today's date is. */
function captureRange(): { from: string; until: string; trainUntil: string } {
  const ts = readFileSync(CONN_LOG, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => Number(l.slice(0, l.indexOf('\t'))));
  const [min, max] = [Math.floor(Math.min(...ts)), Math.ceil(Math.max(...ts) + 1)];
  const iso = (s: number) => new Date(s * 1000).toISOString();
  return { from: iso(min), until: iso(max), trainUntil: iso(Math.round(min + 0.6 * (max - min))) };
}

async function cli(stateDir: string, ...args: string[]) {
  const res = await runCli(args, env(stateDir));
  if (res.code !== 0) throw new Error(`pnpm ${args.join(' ')} exited ${res.code}\n${res.stderr}`);
  return res;
}

async function anomalyIds(client: Client): Promise<string[]> {
  await client.indices.refresh({ index: `${RUN}-anomalies-*`, allow_no_indices: true });
  const res = await client.search({ index: `${RUN}-anomalies-*`, size: 10_000, _source: false, allow_no_indices: true, ignore_unavailable: true });
  return res.hits.hits.map((h) => h._id!).sort();
}

interface AnomalyDoc {
  kind: 'connection' | 'host';
  uid?: string;
  host?: string;
  host_role?: string;
  window_start?: string;
  anomaly_score: number;
  model_version: string;
  explanation: unknown[];
  connection_uids?: string[];
}

async function anomalyDocs(client: Client): Promise<AnomalyDoc[]> {
  await client.indices.refresh({ index: `${RUN}-anomalies-*`, allow_no_indices: true });
  const res = await client.search<AnomalyDoc>({ index: `${RUN}-anomalies-*`, size: 10_000, allow_no_indices: true, ignore_unavailable: true });
  return res.hits.hits.map((h) => h._source!);
}

const windowKey = (d: { host?: string; host_role?: string; window_start?: string }) => `${d.host_role}|${d.host}|${d.window_start}`;

/**
 * A two-hour upload of 5 GB from the capture's victim host to an outside host, starting 33 minutes into the capture:
 * Zeek writes it when it ends, stamped with its start, so it reaches Elasticsearch long after detect passed that ts.
 */
const LONG_CONNECTION =
  '1655073000.000000\tClatelonglived01\t147.32.83.165\t50555\t45.137.21.9\t4444\ttcp\t-\t7200.5\t5368709120\t1048576\tSF\tT\tF\t0\tShADadFf\t3800000\t5520000000\t200000\t11000000\t(empty)\tMalicious\tExfiltration';
const lateGauge = () => lastGauge(join(work, 'outbox'), 'anomaly-scorer-detect', metrics.anomalyLateConnections.name);

describe.skipIf(!available)('anomaly-scorer on Elasticsearch (real servers)', () => {
  let client: Client;
  // read in beforeAll: the describe body runs even when skipped, and without the data set the file is not there
  let range: ReturnType<typeof captureRange>;
  const modelDir = join(work, 'models');
  let expectedUids: string[];
  let expectedWindows: string[];
  let detectState: string;

  beforeAll(async () => {
    range = captureRange();
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, createLogger('anomaly-it', 'warn'));
    mkdirSync(zeekDir, { recursive: true });
    copyFileSync(CONN_LOG, join(zeekDir, 'conn.log'));
    await cli(join(work, 'ingest-state'), 'zeek-ingest', 'run', '--dir', zeekDir, '--index-prefix', `${RUN}-zeek`);
    await client.indices.refresh({ index: `${RUN}-zeek-conn-*` });
  }, 300_000);

  afterAll(async () => {
    await testRun.cleanup(client);
    await client.close();
    await deletePushgatewayGroup(URLS.pushgateway, 'anomaly-scorer-detect', instance).catch(() => {});
  });

  it('trains from Elasticsearch on the shipped connections', async () => {
    const { count } = await client.count({ index: `${RUN}-zeek-conn-*` });
    expect(count).toBe(9_048);
    await cli(join(work, 'train-state'), 'anomaly-scorer', 'train', '--from', range.from, '--until', range.trainUntil, '--model-dir', modelDir);
    const model = JSON.parse(readFileSync(join(modelDir, 'anomaly-latest.json'), 'utf8'));
    expect(model.training.rows).toBeGreaterThan(4_000);
    expect(model.training.rows).toBeLessThan(9_048);
    expect(model.host.trainingWindows).toBeGreaterThan(100);
    expect(readFileSync(join(modelDir, 'training_log.csv'), 'utf8').trim().split('\n')).toHaveLength(2);
  }, 300_000);

  it('detect writes exactly the connections files mode flags with the same model, and gauges reach Prometheus', async () => {
    const scores = join(work, 'files-mode.ndjson');
    await cli(join(work, 'files-state'), 'anomaly-scorer', 'detect', '--model', modelDir, '--file', CONN_LOG, '--out', scores);
    const lines = readFileSync(scores, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AnomalyDoc);
    expectedUids = lines.filter((l) => l.kind === 'connection').map((l) => l.uid!).sort();
    expectedWindows = lines.filter((l) => l.kind === 'host').map(windowKey).sort();
    expect(expectedUids.length).toBeGreaterThan(0);
    expect(expectedWindows.length).toBeGreaterThan(0);

    detectState = join(work, 'detect-state');
    await cli(detectState, 'anomaly-scorer', 'detect', '--model', modelDir, '--initial-since', range.from, '--context', '86400', '--lag', '0');
    const ids = await anomalyIds(client);
    const docs = await anomalyDocs(client);
    const connections = docs.filter((d) => d.kind === 'connection');
    const hostAlerts = docs.filter((d) => d.kind === 'host');
    expect(connections.map((d) => d.uid!).sort()).toEqual(expectedUids);
    expect(hostAlerts.map(windowKey).sort()).toEqual(expectedWindows);
    expect(ids).toHaveLength(expectedUids.length + expectedWindows.length);
    const first = connections[0]!;
    expect(first.anomaly_score).toBeGreaterThan(0.5);
    expect(first.model_version).toMatch(/^aggregates-/);
    expect(first.explanation.length).toBeGreaterThan(0);
    // A host alert names the victim of the capture (147.32.83.165 receives the attacks) and its connections.
    expect(hostAlerts.map((d) => d.host)).toContain('147.32.83.165');
    for (const alert of hostAlerts) for (const uid of alert.connection_uids!) expect(expectedUids).toContain(uid);

    await cli(detectState, 'pushgateway-exporter', 'drain');
    const prometheus = new PrometheusClient(URLS.prometheus);
    const scored = await eventually(async () => {
      const r = await prometheus.query(`aiops_anomaly_connections_scored{instance="${instance}"}`);
      return r.resultType === 'vector' && r.samples.length === 1 ? r.samples[0]!.value : undefined;
    }, 30_000, 500);
    expect(scored).toBe(9_048);
    const hostScore = await eventually(async () => {
      const r = await prometheus.query(`aiops_anomaly_host_score{instance="${instance}", host="147.32.83.165"}`);
      return r.resultType === 'vector' && r.samples.length === 1 ? r.samples[0]!.value : undefined;
    }, 30_000, 500);
    expect(hostScore).toBeGreaterThan(0.5);
    expect(hostScore).toBeLessThanOrEqual(1);
    // The detector's own decision, which NetworkAnomalyHost alerts on: the victim was alerted, and its score is above
    // the threshold published beside it.
    const decision = await eventually(async () => {
      const alerted = await prometheus.query(`${metrics.anomalyHostAlerted.name}{instance="${instance}", host="147.32.83.165"}`);
      const threshold = await prometheus.query(`${metrics.anomalyHostThreshold.name}{instance="${instance}"}`);
      if (alerted.resultType !== 'vector' || threshold.resultType !== 'vector' || alerted.samples.length !== 1 || threshold.samples.length !== 1) return undefined;
      return { alerted: alerted.samples[0]!.value, threshold: threshold.samples[0]!.value };
    }, 30_000, 500);
    expect(decision.alerted).toBe(1);
    expect(hostScore).toBeGreaterThan(decision.threshold ?? Number.POSITIVE_INFINITY);
  }, 300_000);

  it('a second run adds nothing', async () => {
    const before = await anomalyIds(client);
    await cli(detectState, 'anomaly-scorer', 'detect', '--model', modelDir, '--context', '86400', '--lag', '0');
    expect(await anomalyIds(client)).toEqual(before);
  }, 300_000);

  it('kill -9 in the middle of detect, then a rerun: nothing lost, nothing duplicated', async () => {
    await client.indices.delete({ index: `${RUN}-anomalies-*` });
    const state = join(work, 'kill-state');
    const child = spawn('pnpm', ['-s', 'anomaly-scorer', 'detect', '--model', modelDir, '--initial-since', range.from, '--context', '86400', '--lag', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env(state) },
      stdio: 'ignore',
      detached: true,
    });
    const checkpoints = join(state, 'checkpoints');
    // The first confirmed page saves a checkpoint: kill the whole process group right after it.
    await eventually(async () => (existsSync(checkpoints) && readdirSync(checkpoints).length > 0 ? true : undefined), 120_000, 50);
    process.kill(-child.pid!, 'SIGKILL');
    await sleep(200);
    const partial = await anomalyIds(client);
    expect(partial.length).toBeLessThan(expectedUids.length + expectedWindows.length);
    await cli(state, 'anomaly-scorer', 'detect', '--model', modelDir, '--context', '86400', '--lag', '0');
    expect(await anomalyIds(client)).toHaveLength(expectedUids.length + expectedWindows.length); // refreshes: the last page's docs show
    const docs = await anomalyDocs(client);
    expect(docs.filter((d) => d.kind === 'connection').map((d) => d.uid!).sort()).toEqual(expectedUids);
    expect(docs.filter((d) => d.kind === 'host').map(windowKey).sort()).toEqual(expectedWindows);
  }, 300_000);

  it('a long connection shipped when it ends, hours behind the checkpoint, is scored by the next run, once', async () => {
    const before = await anomalyIds(client);
    const lateDir = join(work, 'zeek-late');
    mkdirSync(lateDir, { recursive: true });
    const header = readFileSync(CONN_LOG, 'utf8').split('\n').filter((l) => l.startsWith('#') && !l.startsWith('#close'));
    writeFileSync(join(lateDir, 'conn.log'), [...header, LONG_CONNECTION].join('\n') + '\n');
    await cli(join(work, 'ingest-late-state'), 'zeek-ingest', 'run', '--dir', lateDir, '--index-prefix', `${RUN}-zeek`);
    await client.indices.refresh({ index: `${RUN}-zeek-conn-*` });

    // The forward read alone never sees it: its ts sorts a day before the checkpoint.
    await cli(detectState, 'anomaly-scorer', 'detect', '--model', modelDir, '--context', '86400', '--lag', '0', '--late-hours', '0');
    expect(await anomalyIds(client)).toEqual(before);
    expect(await lateGauge()).toBe(0);

    await cli(detectState, 'anomaly-scorer', 'detect', '--model', modelDir, '--context', '86400', '--lag', '0');
    const docs = await anomalyDocs(client);
    const late = docs.filter((d) => d.kind === 'connection' && d.uid === 'Clatelonglived01');
    expect(late).toHaveLength(1);
    expect(late[0]!.anomaly_score).toBeGreaterThan(0.5);
    const after = await anomalyIds(client);
    for (const id of before) expect(after).toContain(id); // its hour scored again: nothing of it lost
    expect(await lateGauge()).toBe(1);

    await cli(detectState, 'anomaly-scorer', 'detect', '--model', modelDir, '--context', '86400', '--lag', '0');
    expect(await anomalyIds(client)).toEqual(after);
    expect(await lateGauge()).toBe(0);
  }, 300_000);
});
