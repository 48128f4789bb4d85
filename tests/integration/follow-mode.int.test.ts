/**
 * Near-real-time classification on the real Elasticsearch: `log-classifier classify --follow 2 --lag 2` running as
 * a daemon while real Linux-server lines (data/linux-logs) arrive in logs-* at a steady rate, stamped with the time
 * they were written. The follower is stopped (SIGTERM) halfway and started again. Every line must come out in
 * logs-classified-* exactly once: as many documents as lines, and each written once (_version 1: the restart
 * resumed at the checkpoint and classified nothing a second time). The latency of the first line of every tenth
 * of a second (written → first seen in logs-classified-*, polled every 0.5 s) is an observation, printed and, with AIOPS_FOLLOW_REPORT=<file>, written as JSON for
 * `pnpm bench follow`, which runs this file at 1,000 lines/s; never asserted.
 *
 * AIOPS_FOLLOW_RATE (lines/s, default 100) and AIOPS_FOLLOW_SECONDS (default 20) size the run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchClient, createLogger, dailyIndexName, documentId, setupElasticsearch, writeBulk, type Client } from '@aiops/common';
import { shippedData } from '@aiops/datasets';
import { esTestRun } from '../support/es-test-run.ts';
import { Followers, latencySummary } from '../support/followers.ts';
import { eventually, runCli, sleep, stackAvailable } from '../support/stack.ts';

const RATE = Number(process.env.AIOPS_FOLLOW_RATE ?? 100);
const SECONDS = Number(process.env.AIOPS_FOLLOW_SECONDS ?? 20);
const FOLLOW_SECONDS = '2';
const LAG_SECONDS = '2';
const TICKS_PER_SECOND = 10;

const available = await stackAvailable('elasticsearch');
const testRun = esTestRun();
const { run: RUN, config, prefixes } = testRun;
const logger = createLogger('follow-mode-it', 'warn');
const followers = new Followers(RUN, 'follow');
const model = join(followers.work, 'model.json');

const messages = (parse(readFileSync(shippedData('linux-logs', 'lines.csv'), 'utf8'), { columns: true }) as { message: string }[]).map((r) => r.message);

const startFollower = () => followers.start('log-classifier', ['classify', '--follow', FOLLOW_SECONDS, '--lag', LAG_SECONDS, '--model', model]);

/** Writes RATE lines a second for SECONDS, each stamped with its write time; returns id → written-at (ms). */
async function writeLines(client: Client, timed: string[], onHalfway: () => Promise<void>): Promise<Map<string, number>> {
  const written = new Map<string, number>();
  const perTick = Math.max(1, Math.round(RATE / TICKS_PER_SECOND));
  const ticks = SECONDS * TICKS_PER_SECOND;
  const start = Date.now();
  for (let tick = 0; tick < ticks; tick++) {
    if (tick === Math.floor(ticks / 2)) await onHalfway();
    const now = Date.now();
    const docs = Array.from({ length: perTick }, (_, k) => {
      const n = tick * perTick + k;
      return { id: documentId(RUN, 'line', n), document: { '@timestamp': new Date(now).toISOString(), 'host.name': 'follow-it', 'log.source': 'syslog', message: messages[n % messages.length]! } };
    });
    await writeBulk(client, config, logger, docs.map((d) => ({ index: dailyIndexName(prefixes.logs, d.document['@timestamp']), ...d })), { job: 'follow-it' });
    for (const d of docs) written.set(d.id, now);
    timed.push(docs[0]!.id);
    const next = start + ((tick + 1) * 1000) / TICKS_PER_SECOND;
    if (next > Date.now()) await sleep(next - Date.now());
  }
  return written;
}

/** The first line of each tick is timed: polled by id until it shows up in logs-classified-*. */
function watchClassified(client: Client, timed: string[], firstSeen: Map<string, number>): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const unseen = timed.filter((id) => !firstSeen.has(id));
      if (unseen.length > 0) {
        const res = await client
          .search({ index: `${prefixes.logsClassified}-*`, size: unseen.length, _source: false, query: { ids: { values: unseen } }, allow_no_indices: true, ignore_unavailable: true })
          .catch(() => undefined);
        const now = Date.now();
        for (const hit of res?.hits.hits ?? []) firstSeen.set(hit._id!, now);
      }
      await sleep(500);
    }
  })();
  return { stop: async () => { running = false; await loop; } };
}

async function classifiedCount(client: Client): Promise<number> {
  await client.indices.refresh({ index: `${prefixes.logsClassified}-*`, allow_no_indices: true });
  return (await client.count({ index: `${prefixes.logsClassified}-*`, allow_no_indices: true, ignore_unavailable: true })).count;
}

describe.skipIf(!available)('classify --follow on Elasticsearch (real servers)', () => {
  let client: Client;

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger);
    const trained = await runCli(['log-classifier', 'train', '--out', model], { AIOPS_LOG_LEVEL: 'warn' });
    if (trained.code !== 0) throw new Error(`train exited ${trained.code}: ${trained.stderr}`);
  }, 300_000);

  afterAll(async () => {
    followers.killAll();
    await testRun.cleanup(client);
    await client.close();
  });

  it('classifies every arriving line exactly once across a restart of the follower', async () => {
    const firstSeen = new Map<string, number>();
    const timed: string[] = [];
    const watcher = watchClassified(client, timed, firstSeen);
    let follower = startFollower();
    const exits: number[] = [];
    const written = await writeLines(client, timed, async () => {
      follower.child.kill('SIGTERM');
      const { code, stderr } = await follower.exited;
      if (code !== 0) throw new Error(`the follower exited ${code} on SIGTERM:\n${stderr}`);
      exits.push(code);
      follower = startFollower();
    });
    const total = written.size;
    const writeSeconds = (Math.max(...written.values()) - Math.min(...written.values())) / 1000;
    await eventually(async () => (firstSeen.size === timed.length && (await classifiedCount(client)) >= total ? true : undefined), 120_000, 1_000);
    follower.child.kill('SIGTERM');
    const last = await follower.exited;
    await watcher.stop();
    expect([...exits, last.code]).toEqual([0, 0]);

    expect(await classifiedCount(client)).toBe(total);
    const ids = new Set<string>();
    const twice: string[] = [];
    let uncategorized = 0;
    for await (const page of client.helpers.scrollSearch<{ ml_category?: unknown }>({ index: `${prefixes.logsClassified}-*`, size: 5_000, version: true, _source: ['ml_category'] })) {
      for (const h of page.body.hits.hits) {
        ids.add(h._id!);
        if (h._version !== 1) twice.push(h._id!);
        if (typeof h._source?.ml_category !== 'string') uncategorized++;
      }
    }
    expect(ids).toEqual(new Set(written.keys()));
    expect(twice).toEqual([]); // none classified a second time: the restart resumed at the checkpoint
    expect(uncategorized).toBe(0);

    const latencies = timed.map((id) => (firstSeen.get(id)! - written.get(id)!) / 1000).sort((a, b) => a - b);
    const report = {
      rateLinesPerSecond: RATE,
      achievedLinesPerSecond: Math.round(total / Math.max(writeSeconds, 1e-3)),
      seconds: SECONDS,
      lines: total,
      timedLines: latencies.length,
      followSeconds: Number(FOLLOW_SECONDS),
      lagSeconds: Number(LAG_SECONDS),
      latencySeconds: latencySummary(latencies),
    };
    process.stderr.write(`follow mode: ${JSON.stringify(report)}\n`);
    if (process.env.AIOPS_FOLLOW_REPORT) writeFileSync(process.env.AIOPS_FOLLOW_REPORT, JSON.stringify(report, null, 2));
  }, 300_000);
});
