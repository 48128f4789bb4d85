/**
 * Several ML workers on a real three-node Elasticsearch cluster (scripts/dev-stack.sh up es-cluster, one replica
 * per index): a real CTU conn.log shipped by zeek-ingest and 40 k real syslog/auth lines (Loghub), then two
 * workers of `anomaly-scorer detect` (--slice 0/2, 1/2) and two of `log-classifier classify` running in parallel on
 * one ML node against the three node URLs. The elected master is killed with kill -9 while they run and restarted;
 * the workers are rerun until they exit 0. Then: every line is in logs-classified-* exactly once (the same ids as
 * the input), anomalies-* holds exactly the connections files mode flags with the same model (a per-connection
 * model, so a slice's share of the traffic scores each connection as the whole does), no id twice, each slice's
 * checkpoint at the end of its own slice, the two slices a partition of the input, and each worker's gauges
 * under its own instance. The time the cluster took to take writes again after the kill is printed (it is a
 * figure for docs/benchmarks.md, not an assertion). This file starts es-cluster when it is not running and stops it
 * afterwards.
 */
import { loghubSyslogFields } from '@aiops/datasets/loghub-syslog';
import { mkdirSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CheckpointStore,
  checkpointKey,
  createElasticsearchClient,
  createLogger,
  dailyIndexName,
  dailyIndexPattern,
  documentId,
  MetricsOutbox,
  setupElasticsearch,
  waitForCluster,
  writeBulk,
  type Client,
} from '@aiops/common';
import { jobs, metrics } from '@aiops/contracts';
import { datasetsAvailable, externalDataDir } from '@aiops/datasets';
import { endPosition, killNode, masterNode, portClosed, readAll, startWorker, type Worker } from '../support/es-cluster.ts';
import { esTestRun } from '../support/es-test-run.ts';
import { devStack, ES_CLUSTER_URLS, integrationRequired } from '../support/stack.ts';

const available = datasetsAvailable('stratosphere-security-datasets-for-testing', 'loghub');
const testRun = esTestRun(undefined, { AIOPS_ES_URLS: ES_CLUSTER_URLS.join(','), AIOPS_ES_REPLICAS: '1' });
const { run: RUN, config, prefixes } = testRun;
const logger = createLogger('es-cluster-it', 'warn');
const CONN_LOG = join(externalDataDir(), 'stratosphere-security-datasets-for-testing/011-zeek-mixed/data/conn.log.labeled');
const work = mkdtempSync(join(tmpdir(), `${RUN}-cluster-`));
const state = join(work, 'state'); // one ML node: the four workers share its state (locks, checkpoints, outbox)
const outboxDir = join(work, 'outbox');
const modelDir = join(work, 'models');
const classifierModel = join(work, 'log-classifier.json');
const instance = `${RUN}-ml`;
const configFile = join(work, 'config.yml');
// Small pages: each worker's run spans many pages, so the kill lands inside the runs.
writeFileSync(configFile, 'elasticsearch:\n  readPageSize: 250\n  bulkMaxDocs: 250\n');
const env: Record<string, string> = {
  AIOPS_CONFIG: configFile,
  AIOPS_ES_URLS: ES_CLUSTER_URLS.join(','),
  AIOPS_ES_INDEX_PREFIX: `${RUN}-`,
  AIOPS_INSTANCE: instance,
  AIOPS_STATE_DIR: state,
  AIOPS_OUTBOX_DIR: outboxDir,
  AIOPS_DEAD_LETTER_DIR: join(work, 'dead-letter'),
  AIOPS_MODEL_DIR: modelDir,
  AIOPS_LOG_LEVEL: 'warn',
};
const SLICES = [0, 1].map((id) => ({ id, max: 2 }));
const LINE_COPIES = 10;

/** The Loghub Linux + OpenSSH samples, LINE_COPIES times, 250 ms apart from 2026-11-22: ~40 k distinct lines. */
function rawLines(): Record<string, unknown>[] {
  const lines = ['Linux/Linux_2k.log', 'OpenSSH/OpenSSH_2k.log'].flatMap((f) =>
    readFileSync(join(externalDataDir(), 'loghub', f), 'utf8')
      .split(/\r?\n/)
      .map(loghubSyslogFields)
      .filter((f) => f !== undefined),
  );
  const start = Date.parse('2026-11-22T00:00:00Z');
  return Array.from({ length: LINE_COPIES }, (_, k) =>
    lines.map((f, i) => ({
      '@timestamp': new Date(start + (k * lines.length + i) * 250).toISOString(),
      'host.name': f['host.name'],
      'log.source': 'syslog',
      service: f.service,
      message: f.message,
    })),
  ).flat();
}

/** Setup steps run as another instance, so the outbox's only `${instance}` snapshots are the workers'. */
async function cli(...args: string[]): Promise<void> {
  const w = startWorker(args.join(' '), args, { ...env, AIOPS_INSTANCE: `${RUN}-setup` });
  const code = await w.exited;
  if (code !== 0) throw new Error(`pnpm ${args.join(' ')} exited ${code}\n${w.stderr()}`);
}

interface WorkerSpec {
  name: string;
  args: string[];
}
const WORKERS: WorkerSpec[] = SLICES.flatMap((s) => [
  { name: `detect ${s.id}/2`, args: ['anomaly-scorer', 'detect', '--initial-since', '2000-01-01T00:00:00Z', '--lag', '0', '--slice', `${s.id}/2`] },
  { name: `classify ${s.id}/2`, args: ['log-classifier', 'classify', '--model', classifierModel, '--lag', '0', '--slice', `${s.id}/2`] },
]);

describe.skipIf(!available)('two ML workers per job on a three-node cluster, a node killed and restarted (real servers)', () => {
  let client: Client;
  let startedHere = false;
  let clusterUp = false;
  const lines = available ? rawLines() : [];
  const lineIds = lines.map((_, i) => documentId('cluster-line', i));
  let expectedUids: string[] = [];
  let firstRun: { worker: WorkerSpec; code: number | null; retries: number }[] = [];
  const source = { conn: dailyIndexPattern(prefixes.zeekConn), logs: dailyIndexPattern(prefixes.logs) };

  beforeAll(async () => {
    try {
      const out = await devStack('up', 'es-cluster');
      startedHere = !out.includes('already running');
      clusterUp = true;
    } catch (err) {
      const msg = `es-cluster did not start (scripts/dev-stack.sh up es-cluster): ${(err as Error).message}`;
      if (integrationRequired) throw new Error(`${msg}\n(REQUIRE_INTEGRATION=1)`);
      console.warn(`\n!!! SKIPPING ES CLUSTER INTEGRATION TESTS: ${msg}\n`);
      return;
    }
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger);
    const zeekDir = join(work, 'zeek');
    mkdirSync(zeekDir, { recursive: true });
    copyFileSync(CONN_LOG, join(zeekDir, 'conn.log'));
    // A per-connection model (basic features): a connection's score does not depend on which other connections a
    // worker sees, so files mode on the whole capture says exactly which connections the two slices must flag.
    const scores = join(work, 'files-mode.ndjson');
    const anomalyModel = async () => {
      await cli('anomaly-scorer', 'train', '--file', CONN_LOG, '--features', 'basic', '--model-dir', modelDir);
      await cli('anomaly-scorer', 'detect', '--model', modelDir, '--file', CONN_LOG, '--out', scores);
    };
    // independent steps side by side: most of their time is CLI start-up
    await Promise.all([
      cli('zeek-ingest', 'run', '--dir', zeekDir, '--index-prefix', `${RUN}-zeek`),
      writeBulk(
        client,
        config,
        logger,
        lines.map((doc, i) => ({ index: dailyIndexName(prefixes.logs, String(doc['@timestamp'])), id: lineIds[i]!, document: doc })),
        { job: 'es-cluster-it', refresh: true },
      ),
      anomalyModel(),
      cli('log-classifier', 'train', '--out', classifierModel),
    ]);
    expectedUids = readFileSync(scores, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; uid?: string })
      .filter((r) => r.kind === 'connection')
      .map((r) => r.uid!)
      .sort();
    // where the failover probe writes: a shard on every node, created before the kill
    await client.indices.create({ index: `${RUN}-probe`, settings: { number_of_shards: 3, number_of_replicas: 1 } });
  }, 400_000);

  afterAll(async () => {
    if (client) {
      await waitForCluster(client, 120_000).catch(() => undefined);
      await testRun.cleanup(client).catch((err: Error) => console.warn(`es-cluster test cleanup: ${err.message}`));
      await client.close();
    }
    if (startedHere) await devStack('down', 'es-cluster');
  }, 300_000);

  it('the input is on the cluster with one replica per shard, and the slices split it in two', async () => {
    if (!clusterUp) return;
    const health = await client.cluster.health({ index: `${RUN}-*`, wait_for_status: 'green', timeout: '60s' });
    expect(health.number_of_nodes).toBe(3);
    expect(health.active_shards).toBe(2 * health.active_primary_shards);
    expect((await client.count({ index: source.conn })).count).toBe(9_048);
    expect((await client.count({ index: source.logs })).count).toBe(lines.length);
    expect(lines.length).toBeGreaterThan(35_000);
    expect(expectedUids.length).toBeGreaterThan(0);
    for (const index of [source.conn, source.logs]) {
      const all = (await readAll(client, index)).ids;
      const [a, b] = await Promise.all(SLICES.map(async (s) => (await readAll(client, index, s)).ids));
      expect(a!.length).toBeGreaterThan(all.length / 4); // both workers get a real share
      expect(b!.length).toBeGreaterThan(all.length / 4);
      expect(new Set([...a!, ...b!]).size).toBe(all.length); // together: everything, nothing in both
      expect(a!.length + b!.length).toBe(all.length);
    }
  }, 300_000);

  it('four workers in parallel, the master killed with kill -9 and restarted, reruns until exit 0', async () => {
    if (!clusterUp) return;
    const workers: Worker[] = WORKERS.map((w) => startWorker(w.name, w.args, env));
    // kill once every worker has confirmed at least one page (written + checkpointed) and none has finished
    const checkpoints = new CheckpointStore(join(state, 'checkpoints'));
    const keys = SLICES.flatMap((s) => [checkpointKey(jobs.anomalyDetect.name, source.conn, s), checkpointKey(jobs.logClassify.name, source.logs, s)]);
    const deadline = Date.now() + 180_000;
    while (!(await Promise.all(keys.map((k) => checkpoints.load(k)))).every(Boolean) && workers.some((w) => w.running())) {
      if (Date.now() > deadline) throw new Error('no worker saved a checkpoint within 180 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    const victim = await masterNode(client);
    const runningAtKill = workers.filter((w) => w.running()).map((w) => w.name);
    const killedAt = Date.now();
    killNode(victim);
    // What a writer sees: a bulk of one document per shard of a fresh index, through the node list, until it is
    // accepted (replicas of the dead node's primaries promoted, the client past the dead address).
    // `up` refuses a port still held by the dying JVM: start the node again once its HTTP port is free
    const k = Number(victim.split('-').at(-1)) - 1;
    const victimPorts = [Number(new URL(ES_CLUSTER_URLS[k]!).port), Number(process.env.AIOPS_ES_CLUSTER_TRANSPORT_PORT ?? 9302) + k];
    const restart = Promise.all(victimPorts.map((p) => portClosed(p))).then(() => devStack('up', victim));
    let failoverMs: number | undefined;
    for (let attempt = 0; failoverMs === undefined && Date.now() - killedAt < 120_000; attempt++) {
      try {
        const r = await client.bulk({ refresh: false, timeout: '30s', operations: [0, 1, 2].flatMap((k) => [{ index: { _index: `${RUN}-probe`, _id: `${attempt}-${k}` } }, { '@timestamp': new Date().toISOString() }]) });
        if (!r.errors) failoverMs = Date.now() - killedAt;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const codes = await Promise.all(workers.map((w) => w.exited));
    // reruns go on while the node restarts (the cluster is yellow: every primary is allocated); `up` returns when
    // the node is back and the cluster green with three nodes again
    let restartedMs: number | undefined;
    const restarted = restart.then(() => (restartedMs = Date.now() - killedAt));
    const retriesOf = (w: Worker) => w.stderr().split('\n').filter((l) => l.includes('retrying')).length;
    firstRun = WORKERS.map((worker, i) => ({ worker, code: codes[i]!, retries: retriesOf(workers[i]!) }));

    // every worker that did not finish is rerun from its checkpoint until it exits 0 (a bounded number of times)
    const reruns: string[] = [];
    await Promise.all(
      firstRun.map(async ({ worker, code: first }) => {
        let code = first;
        for (let attempt = 0; code !== 0; attempt++) {
          if (attempt === 3) throw new Error(`${worker.name}: still failing after 3 reruns`);
          await waitForCluster(client, 120_000);
          const w = startWorker(worker.name, worker.args, env);
          code = await w.exited;
          reruns.push(`${worker.name} → ${code}`);
        }
      }),
    );
    await restarted;
    console.error(
      `es-cluster: killed ${victim} (the master) with ${runningAtKill.length} of 4 workers running; writes accepted again after ${failoverMs} ms; ` +
        `node back and green after ${restartedMs} ms; first runs: ${firstRun.map((r) => `${r.worker.name} exit ${r.code}, ${r.retries} bulk retries`).join('; ')}; reruns: ${reruns.join(', ') || 'none'}`,
    );
    expect(runningAtKill.length).toBeGreaterThan(0); // the kill landed inside the runs, or it proved nothing
    expect(failoverMs).toBeDefined();
  }, 600_000);

  it('every line classified exactly once: the same ids as the input, none twice', async () => {
    if (!clusterUp) return;
    const { ids } = await readAll(client, dailyIndexPattern(prefixes.logsClassified));
    expect(ids.length).toBe(lines.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...lineIds].sort());
  }, 120_000);

  it('anomalies-* holds exactly the connections files mode flags, none twice', async () => {
    if (!clusterUp) return;
    const { ids, sources } = await readAll<{ kind: string; uid?: string }>(client, dailyIndexPattern(prefixes.anomalies));
    expect(new Set(ids).size).toBe(ids.length);
    const uids = sources.filter((s) => s.kind === 'connection').map((s) => s.uid!);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids.sort()).toEqual(expectedUids);
  }, 120_000);

  it("each slice's checkpoint is at the end of its own slice, and each worker pushed its gauges under its own instance", async () => {
    if (!clusterUp) return;
    const store = new CheckpointStore(join(state, 'checkpoints'));
    for (const [job, index] of [
      [jobs.anomalyDetect.name, source.conn],
      [jobs.logClassify.name, source.logs],
    ] as const) {
      for (const s of SLICES) {
        const end = await endPosition(client, index, s);
        const saved = await store.load(checkpointKey(job, index, s));
        expect(end).toBeDefined();
        expect(saved?.timestamp).toBe(end!.timestamp);
        expect([...(saved?.idsAtTimestamp ?? [])].sort()).toEqual([...end!.idsAtTimestamp].sort());
      }
    }
    const outbox = new MetricsOutbox(outboxDir);
    const snapshots = await Promise.all((await outbox.list()).map((e) => outbox.read(e)));
    for (const job of [jobs.anomalyDetect.name, jobs.logClassify.name]) {
      const ok = snapshots.filter(
        (s) => s.job === job && s.instance.startsWith(instance) && s.samples.some((x) => x.name === metrics.jobLastSuccessTimestamp.name),
      );
      expect(new Set(ok.map((s) => s.instance))).toEqual(new Set(SLICES.map((s) => `${instance}.slice-${s.id}-of-2`)));
    }
    // a rerun of all four after the end adds nothing and exits 0
    const again = await Promise.all(WORKERS.map((w) => startWorker(w.name, w.args, env).exited));
    expect(again).toEqual([0, 0, 0, 0]);
    expect((await readAll(client, dailyIndexPattern(prefixes.logsClassified))).ids.length).toBe(lines.length);
  }, 300_000);
});
