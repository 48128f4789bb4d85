/**
 * Near-real-time network detection on the real Elasticsearch: Zeek conn records are appended to a conn.log at a
 * steady rate, each stamped with the time it was written, while `zeek-ingest run --follow 1` ships the
 * directory into zeek-conn-* and `anomaly-scorer detect --follow 5 --lag 10` scores what arrived into anomalies-*.
 * The stream is the shipped CTU-Normal-43 benign connections replayed with fresh uids, with a burst of the shipped
 * Nmap sweep's connections (a host the model never saw) every 10 s. The detector is stopped (SIGTERM) halfway and
 * started again. Asserted: every written record reached zeek-conn-* once; the connections in anomalies-* are
 * exactly those files-mode `detect` flags on the same conn.log with the same model (so following, the restart
 * and the page boundaries every 5 s lose and add nothing); every document written once (_version 1). The latency
 * of every flagged connection (written → first seen in anomalies-*, polled every 0.5 s) is an observation, printed
 * and, with AIOPS_FOLLOW_REPORT=<file>, written as JSON for `pnpm bench follow`; never asserted.
 *
 * AIOPS_FOLLOW_RATE (connections/s, default 50) and AIOPS_FOLLOW_SECONDS (default 30) size the run.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchClient, createLogger, setupElasticsearch, type Client } from '@aiops/common';
import { shippedData } from '@aiops/datasets';
import { esTestRun } from '../support/es-test-run.ts';
import { Followers, latencySummary } from '../support/followers.ts';
import { eventually, sleep, stackAvailable } from '../support/stack.ts';

const RATE = Number(process.env.AIOPS_FOLLOW_RATE ?? 50);
const SECONDS = Number(process.env.AIOPS_FOLLOW_SECONDS ?? 30);
const FOLLOW_SECONDS = '5';
// Above zeek-ingest's delivery delay (1 s poll + bulk + refresh, more on a loaded machine): detect's checkpoint is
// on the connections' own ts, so a record delivered later than the lag would be behind it and never scored.
const LAG_SECONDS = '10';
const TICKS_PER_SECOND = 10;
const SCAN_EVERY_SECONDS = 10;
const SCAN_BURST = 30;
const TRAIN_SECONDS = 600;

const available = await stackAvailable('elasticsearch');
const testRun = esTestRun();
const { run: RUN, config, prefixes } = testRun;
const logger = createLogger('follow-detect-it', 'warn');
const followers = new Followers(RUN, 'follow-detect');
const { work } = followers;
const zeekDir = join(work, 'zeek');
const connLog = join(zeekDir, 'conn.log');
const trainLog = join(work, 'train.conn.log');
const model = join(work, 'models'); // a model directory: detect reads its anomaly-latest.json

// The benign stream: CTU-Normal-43's Benign rows (Zeek TSV, the capture's own columns and order).
const benignFile = shippedData('zeek', 'ctu-011-train.conn.log.labeled');
const header = readFileSync(benignFile, 'utf8').split('\n').filter((l) => l.startsWith('#') && !l.startsWith('#close'));
const FIELDS = header.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
const benign = [benignFile, shippedData('zeek', 'ctu-011-test.conn.log.labeled')]
  .flatMap((f) => readFileSync(f, 'utf8').split('\n'))
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t'))
  .filter((v) => v[FIELDS.indexOf('label')] === 'Benign');
// The injected sweep: Zeek JSON records of one Nmap client, written as rows of the same TSV layout.
const scan = readFileSync(shippedData('zeek', 'conn.nmap-scan.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Record<string, unknown>)
  .map((r) =>
    FIELDS.map((f) => {
      if (f === 'label') return 'Malicious';
      const v = r[f];
      if (v === undefined) return f === 'tunnel_parents' || f === 'detailedlabel' ? '(empty)' : '-';
      return typeof v === 'boolean' ? (v ? 'T' : 'F') : String(v);
    }),
  );

/** Row `n` of the replay at time `ms`: a fresh uid, everything else as captured. */
function row(n: number, ms: number, source: string[][]): { uid: string; line: string } {
  const values = [...source[n % source.length]!];
  const uid = `C${RUN.replace(/\W/g, '')}${n.toString(36).padStart(7, '0')}`;
  values[FIELDS.indexOf('ts')] = (ms / 1000).toFixed(6);
  values[FIELDS.indexOf('uid')] = uid;
  return { uid, line: values.join('\t') };
}

/** The baseline the model trains on: the same replay at the same rate, in the TRAIN_SECONDS before the stream. */
function writeTrainingLog(startMs: number): void {
  const n = TRAIN_SECONDS * RATE;
  const lines = Array.from({ length: n }, (_, i) => row(1_000_000 + i, startMs - (TRAIN_SECONDS * 1000 * (n - i)) / n, benign).line);
  writeFileSync(trainLog, [...header, ...lines].join('\n') + '\n');
}

const startDetector = () => followers.start('anomaly-scorer', ['detect', '--follow', FOLLOW_SECONDS, '--lag', LAG_SECONDS, '--model', model]);

/** Appends RATE records a second for SECONDS (a sweep burst every SCAN_EVERY_SECONDS); returns uid → written-at (ms). */
async function writeStream(onHalfway: () => Promise<void>): Promise<Map<string, number>> {
  const written = new Map<string, number>();
  const perTick = Math.max(1, Math.round(RATE / TICKS_PER_SECOND));
  const ticks = SECONDS * TICKS_PER_SECOND;
  const startMs = Date.now();
  let scanned = 0;
  for (let tick = 0; tick < ticks; tick++) {
    if (tick === Math.floor(ticks / 2)) await onHalfway();
    const now = Date.now();
    // Distinct times within the tick (µs apart at most rates), as a real sensor's are: ties in ts would make a
    // connection's window features depend on how ties are ordered, which files mode and Elasticsearch pages need not share.
    const at = (k: number, of: number) => now - 1000 / TICKS_PER_SECOND + (k * 1000) / TICKS_PER_SECOND / of;
    const rows = Array.from({ length: perTick }, (_, k) => row(tick * perTick + k, at(k, perTick), benign));
    if (tick % (SCAN_EVERY_SECONDS * TICKS_PER_SECOND) === TICKS_PER_SECOND) {
      for (let k = 0; k < SCAN_BURST; k++) rows.push(row(500_000 + scanned++, at(k + 0.5, SCAN_BURST), scan));
    }
    appendFileSync(connLog, rows.map((r) => r.line).join('\n') + '\n');
    for (const r of rows) written.set(r.uid, now);
    const next = startMs + ((tick + 1) * 1000) / TICKS_PER_SECOND;
    if (next > Date.now()) await sleep(next - Date.now());
  }
  return written;
}

/** Polls anomalies-* every 0.5 s: uid → first seen (ms), connection documents only. */
function watchAnomalies(client: Client, firstSeen: Map<string, number>): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const res = await client
        .search<{ uid?: string }>({ index: `${prefixes.anomalies}-*`, size: 10_000, _source: ['uid'], query: { term: { kind: 'connection' } }, allow_no_indices: true, ignore_unavailable: true })
        .catch(() => undefined);
      const now = Date.now();
      for (const hit of res?.hits.hits ?? []) if (hit._source?.uid && !firstSeen.has(hit._source.uid)) firstSeen.set(hit._source.uid, now);
      await sleep(500);
    }
  })();
  return { stop: async () => { running = false; await loop; } };
}

async function count(client: Client, index: string): Promise<number> {
  await client.indices.refresh({ index, allow_no_indices: true, ignore_unavailable: true });
  return (await client.count({ index, allow_no_indices: true, ignore_unavailable: true })).count;
}

function runToEnd(service: string, args: string[], more: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return followers.start(service, args, more).exited;
}

describe.skipIf(!available)('zeek-ingest run --follow → detect --follow on Elasticsearch (real servers)', () => {
  let client: Client;

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger);
    mkdirSync(zeekDir, { recursive: true });
    writeFileSync(connLog, header.join('\n') + '\n');
    writeTrainingLog(Date.now());
    const trained = await runToEnd('anomaly-scorer', ['train', '--file', trainLog, '--model-dir', model]);
    if (trained.code !== 0) throw new Error(`train exited ${trained.code}: ${trained.stderr}`);
  }, 300_000);

  afterAll(async () => {
    followers.killAll();
    await testRun.cleanup(client);
    await client.close();
  });

  it('scores every arriving connection exactly once across a restart of the detector', async () => {
    const firstSeen = new Map<string, number>();
    const watcher = watchAnomalies(client, firstSeen);
    const shipper = followers.start('zeek-ingest', ['run', '--dir', zeekDir, '--follow', '1']);
    let detector = startDetector();
    const exits: (number | null)[] = [];
    const writeStart = Date.now();
    const written = await writeStream(async () => {
      detector.child.kill('SIGTERM');
      const { code, stderr } = await detector.exited;
      if (code !== 0) throw new Error(`the detector exited ${code} on SIGTERM:\n${stderr}`);
      exits.push(code);
      detector = startDetector();
    });

    // What files mode flags on the same conn.log with the same model: what the followers must have written.
    const expectedFile = join(work, 'expected.ndjson');
    const expected = await runToEnd('anomaly-scorer', ['detect', '--model', model, '--file', connLog, '--out', expectedFile], {
      AIOPS_STATE_DIR: join(work, 'files-mode-state'), // its own lock: the follower holds the detect job's
    });
    expect(expected.code, expected.stderr).toBe(0);
    const expectedUids = readFileSync(expectedFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { kind: string; uid?: string })
      .filter((d) => d.kind === 'connection')
      .map((d) => d.uid!)
      .sort();
    expect(expectedUids.length).toBeGreaterThan(0);

    await eventually(async () => ((await count(client, `${prefixes.zeekConn}-*`)) >= written.size ? true : undefined), 120_000, 1_000).catch(async (err: Error) => {
      shipper.child.kill('SIGTERM');
      throw new Error(`${err.message}: ${await count(client, `${prefixes.zeekConn}-*`)} of ${written.size} records shipped; zeek-ingest:\n${(await shipper.exited).stderr.slice(-3000)}`);
    });
    await eventually(async () => ((await count(client, `${prefixes.anomalies}-*`)) > 0 && expectedUids.every((u) => firstSeen.has(u)) ? true : undefined), 120_000, 1_000).catch(() => undefined);
    for (const p of [detector, shipper]) p.child.kill('SIGTERM');
    const [lastDetector, lastShipper] = await Promise.all([detector.exited, shipper.exited]);
    await watcher.stop();
    expect([...exits, lastDetector.code, lastShipper.code], lastDetector.stderr + lastShipper.stderr).toEqual([0, 0, 0]);

    expect(await count(client, `${prefixes.zeekConn}-*`)).toBe(written.size);
    const uids: string[] = [];
    const twice: string[] = [];
    for await (const page of client.helpers.scrollSearch<{ uid?: string }>({
      index: `${prefixes.anomalies}-*`,
      size: 5_000,
      version: true,
      _source: ['uid'],
      query: { term: { kind: 'connection' } },
    })) {
      for (const h of page.body.hits.hits) {
        uids.push(h._source!.uid!);
        if (h._version !== 1) twice.push(h._id!);
      }
    }
    const got = new Set(uids);
    const want = new Set(expectedUids);
    const late = (u: string) => `${u} (written ${((written.get(u)! - writeStart) / 1000).toFixed(1)} s in)`;
    // none lost, none added (each with when it was written, to tell a restart or a late delivery from a scoring change)
    expect({ lost: expectedUids.filter((u) => !got.has(u)).map(late), added: uids.filter((u) => !want.has(u)).map(late) }).toEqual({ lost: [], added: [] });
    expect(uids.length).toBe(got.size); // none twice
    expect(twice).toEqual([]); // none written a second time: the restart resumed at the checkpoint

    const latencies = expectedUids.map((u) => (firstSeen.get(u)! - written.get(u)!) / 1000).sort((a, b) => a - b);
    const report = {
      pipeline: 'zeek-ingest run --follow → anomaly-scorer detect --follow',
      rateLinesPerSecond: RATE,
      seconds: SECONDS,
      lines: written.size,
      timedLines: latencies.length,
      followSeconds: Number(FOLLOW_SECONDS),
      lagSeconds: Number(LAG_SECONDS),
      latencySeconds: latencySummary(latencies),
    };
    process.stderr.write(`follow detect: ${JSON.stringify(report)}\n`);
    if (process.env.AIOPS_FOLLOW_REPORT) writeFileSync(process.env.AIOPS_FOLLOW_REPORT, JSON.stringify(report, null, 2));
  }, 420_000);
});
