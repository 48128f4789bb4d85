/**
 * The dev stack's log shipper end to end, on the real servers: `logger` over TCP and UDP and lines appended to
 * files → rsyslog (infrastructure/rsyslog, started by scripts/dev-stack.sh) → `logs-YYYY.MM.DD` in the contract's
 * fields → `log-classifier classify` → `logs-classified-*`, the counts equal at every step; then the same while
 * Elasticsearch restarts in the middle of the flow: rsyslog's queue holds what arrives meanwhile, and afterwards
 * every line is there exactly once.
 *
 * The lines are the real Loghub Linux (syslog, kern) and OpenSSH (auth) samples, re-dated to the last hours (an
 * RFC 3164 line has no year: rsyslog takes the current one, and the classifier leaves future lines for later).
 * rsyslog is restarted with this run's index prefix (AIOPS_ES_INDEX_PREFIX) and back without it at the end.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchClient, createLogger, readSince, setupElasticsearch, waitForCluster, type Client } from '@aiops/common';
import { hostname } from 'node:os';
import { datasetsAvailable, externalDataDir } from '@aiops/datasets';
import { esTestRun } from '../support/es-test-run.ts';
import { devStack, devStackWith, eventually, RSYSLOG, runCli, sleep, stackAvailable, URLS } from '../support/stack.ts';

const available = (await stackAvailable('elasticsearch')) && datasetsAvailable('loghub');
const testRun = esTestRun();
const { run: RUN, config, prefixes } = testRun;
const logger = createLogger('rsyslog-shipper-it', 'warn');
const work = mkdtempSync(join(tmpdir(), `${RUN}-rsyslog-`));
const model = join(work, 'model.json');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HEADER = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;
const pad = (n: number) => String(n).padStart(2, '0');
/** `Dec  3 05:40:01 `: RFC 3164's date, in the local time zone rsyslog reads it in. */
function syslogDate(d: Date): string {
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} `;
}

function loghubLines(rel: string): string[] {
  return readFileSync(join(externalDataDir(), rel), 'utf8')
    .split(/\r?\n/)
    .filter((l) => HEADER.test(l));
}

/** The real lines with their dates moved into the `spanMs` from `start`, in order. */
function redate(lines: string[], start: number, spanMs: number): string[] {
  const step = spanMs / lines.length;
  return lines.map((l, i) => syslogDate(new Date(start + i * step)) + l.replace(HEADER, ''));
}

interface Feed {
  files: Record<'syslog' | 'kern' | 'auth' | 'app', string[]>;
  tcp: string[];
  udp: string[];
}

const feedTotal = (f: Feed) => Object.values(f.files).reduce((n, l) => n + l.length, 0) + f.tcp.length + f.udp.length;

function buildFeed(tag: string, start: number, spanMs: number): Feed {
  const linux = redate(loghubLines('loghub/Linux/Linux_2k.log'), start, spanMs);
  const ssh = redate(loghubLines('loghub/OpenSSH/OpenSSH_2k.log'), start, spanMs);
  const isKernel = (l: string) => / kernel: /.test(l);
  return {
    files: {
      syslog: linux.filter((l) => !isKernel(l)),
      kern: linux.filter(isKernel),
      auth: ssh,
      app: Array.from({ length: 100 }, (_, i) => `2026-12-01T10:00:${pad(i % 60)}Z worker ${tag} job ${i} finished in ${i * 7} ms`),
    },
    tcp: Array.from({ length: 200 }, (_, i) => `${tag} tcp ${i}: Failed password for invalid user admin from 10.0.0.${i % 250} port ${40_000 + i} ssh2`),
    udp: Array.from({ length: 50 }, (_, i) => `${tag} udp ${i}: connection from 10.0.1.${i} refused`),
  };
}

function appendLines(source: keyof Feed['files'], name: string, lines: string[]): void {
  if (lines.length > 0) appendFileSync(join(RSYSLOG.filesDir, source, name), lines.map((l) => `${l}\n`).join(''));
}

/** Sends each line as one syslog message with util-linux `logger` (one process for all lines: it reads stdin). */
async function logger_(proto: 'tcp' | 'udp', lines: string[], tagPid: string, priority: string): Promise<void> {
  if (lines.length === 0) return;
  const port = proto === 'tcp' ? RSYSLOG.tcpPort : RSYSLOG.udpPort;
  const args = ['-n', '127.0.0.1', '-P', String(port), proto === 'tcp' ? '-T' : '-d', '-t', 'sshd', `--id=${tagPid}`, '-p', priority];
  const child = spawn('logger', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  const code = await done;
  if (code !== 0) throw new Error(`logger ${args.join(' ')} exited ${code}: ${stderr}`);
}

async function sendUdpPaced(lines: string[]): Promise<void> {
  // UDP has no flow control: a burst into a busy loopback socket can drop; 10 at a time keeps it honest.
  for (let i = 0; i < lines.length; i += 10) {
    await logger_('udp', lines.slice(i, i + 10), '4242', 'local3.err');
    await sleep(20);
  }
}

async function countOf(client: Client, index: string): Promise<number> {
  await client.indices.refresh({ index, allow_no_indices: true, ignore_unavailable: true });
  return (await client.count({ index, allow_no_indices: true, ignore_unavailable: true })).count;
}

// What the shipped config makes of a file line (infrastructure/rsyslog/aiops-contract.conf, aiops_file_line).
const TAGGED = /^[A-Z][a-z]{2} [ \d]\d [\d:]{8} ([^ ]+) [^ :[]+(?:\[\d+\])?: *(.*)$/;
const LOOSE = /^[A-Z][a-z]{2} [ \d]\d [\d:]{8} ([^ ]+) +[^:[]+(?:\[\d+\])?: *(.*)$/;
const UNTAGGED = /^[A-Z][a-z]{2} [ \d]\d [\d:]{8} ([^ ]+) +(.*)$/;

/** Every line the feed sends, as `source host message`: the multiset the index must hold, no more, no less. */
function expectedKeys(feed: Feed, host: string): string[] {
  const keys: string[] = [];
  for (const [source, lines] of Object.entries(feed.files)) {
    for (const line of lines) {
      const m = source === 'app' ? null : (TAGGED.exec(line) ?? LOOSE.exec(line) ?? UNTAGGED.exec(line));
      keys.push(m ? `${source}\t${m[1]}\t${m[2]}` : `${source}\t${host}\t${line}`);
    }
  }
  for (const line of feed.tcp) keys.push(`auth\t${host}\t${line}`);
  for (const line of feed.udp) keys.push(`app\t${host}\t${line}`);
  return keys;
}

/** The same multiset read back from an index pattern (PIT + search_after over every document). */
async function indexedKeys(client: Client, index: string): Promise<string[]> {
  await client.indices.refresh({ index, allow_no_indices: true, ignore_unavailable: true });
  const keys: string[] = [];
  for await (const page of readSince<Record<string, string>>({ client, index, pageSize: 5_000, sourceIncludes: ['log.source', 'host.name', 'message'] })) {
    for (const hit of page.hits) keys.push(`${hit.source['log.source']}\t${hit.source['host.name']}\t${hit.source.message}`);
  }
  return keys;
}

/** Lost = expected but not indexed (as often), duplicated = indexed more often than sent. */
function compareMultisets(expected: string[], indexed: string[]): { lost: string[]; duplicated: string[] } {
  const tally = new Map<string, number>();
  for (const k of expected) tally.set(k, (tally.get(k) ?? 0) + 1);
  for (const k of indexed) tally.set(k, (tally.get(k) ?? 0) - 1);
  const lost: string[] = [];
  const duplicated: string[] = [];
  for (const [k, n] of tally) {
    for (let i = 0; i < n; i++) lost.push(k);
    for (let i = 0; i < -n; i++) duplicated.push(k);
  }
  return { lost, duplicated };
}

const rawIndex = `${prefixes.logs}-2*`;
const classifiedIndex = `${prefixes.logsClassified}-2*`;

async function rawCountReaches(client: Client, expected: number, timeoutMs: number): Promise<number> {
  let last = -1;
  try {
    return await eventually(async () => {
      last = await countOf(client, rawIndex);
      return last >= expected ? last : undefined;
    }, timeoutMs, 1_000);
  } catch (err) {
    throw new Error(`rsyslog delivered ${last} of ${expected} lines into ${rawIndex}: ${String(err)}`);
  }
}

async function classify(stateDir: string): Promise<void> {
  const res = await runCli(['log-classifier', 'classify', '--model', model, '--lag', '0'], {
    AIOPS_ES_URLS: URLS.elasticsearch,
    AIOPS_ES_INDEX_PREFIX: `${RUN}-`,
    AIOPS_STATE_DIR: stateDir,
    AIOPS_OUTBOX_DIR: join(work, 'outbox'),
    AIOPS_DEAD_LETTER_DIR: join(work, 'dead-letter'),
    AIOPS_INSTANCE: RUN,
    AIOPS_LOG_LEVEL: 'warn',
  });
  if (res.code !== 0) throw new Error(`log-classifier classify exited ${res.code}\n${res.stderr}`);
}

async function esIsDown(): Promise<boolean> {
  try {
    return !(await fetch(`${URLS.elasticsearch}/_cluster/health`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return true;
  }
}

describe.skipIf(!available)('rsyslog → logs-* → log-classifier (real servers)', () => {
  let client: Client;
  const state = join(work, 'state');
  const fileName = `${RUN}.log`;

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger);
    // This run's prefix: nothing else the shared stack ships lands in the indices counted here.
    await devStackWith({ AIOPS_ES_INDEX_PREFIX: `${RUN}-` }, 'restart', 'rsyslog');
    for (const source of ['syslog', 'kern', 'auth', 'app']) mkdirSync(join(RSYSLOG.filesDir, source), { recursive: true });
    const trained = await runCli(['log-classifier', 'train', '--out', model], { AIOPS_LOG_LEVEL: 'warn' });
    if (trained.code !== 0) throw new Error(`log-classifier train exited ${trained.code}\n${trained.stderr}`);
  }, 300_000);

  afterAll(async () => {
    for (const source of ['syslog', 'kern', 'auth', 'app']) rmSync(join(RSYSLOG.filesDir, source, fileName), { force: true });
    await devStackWith({ AIOPS_ES_INDEX_PREFIX: undefined }, 'restart', 'rsyslog');
    await waitForCluster(client, 120_000);
    await testRun.cleanup(client);
    await client.close();
  }, 300_000);

  it('ships every line in the contract, and the classifier classifies every one', async () => {
    const feed = buildFeed(`${RUN}-a`, Date.now() - 7_200_000, 3_600_000);
    for (const [source, lines] of Object.entries(feed.files)) appendLines(source as keyof Feed['files'], fileName, lines);
    await logger_('tcp', feed.tcp, '1234', 'auth.warning');
    await sendUdpPaced(feed.udp);
    const expected = feedTotal(feed);
    expect(expected).toBeGreaterThan(4_000);

    await rawCountReaches(client, expected, 120_000);
    await sleep(2_000); // a straggler would show as a count above the expected one
    expect(await countOf(client, rawIndex)).toBe(expected);
    expect(compareMultisets(expectedKeys(feed, hostname()), await indexedKeys(client, rawIndex))).toEqual({ lost: [], duplicated: [] });

    // The contract's fields, per source, as 02-syslog-filter would write them.
    const bySource = await client.search({ index: rawIndex, size: 0, aggs: { s: { terms: { field: 'log.source' } } } });
    const sources = Object.fromEntries(
      (bySource.aggregations!.s as { buckets: { key: string; doc_count: number }[] }).buckets.map((b) => [b.key, b.doc_count]),
    );
    expect(sources).toEqual({
      syslog: feed.files.syslog.length,
      kern: feed.files.kern.length,
      auth: feed.files.auth.length + feed.tcp.length,
      app: feed.files.app.length + feed.udp.length,
    });
    const sshd = await client.search<Record<string, unknown>>({
      index: rawIndex,
      size: 1,
      query: { bool: { filter: [{ term: { 'host.name': 'LabSZ' } }, { match_phrase: { message: 'Invalid user webmaster from 173.234.31.186' } }] } },
    });
    expect(sshd.hits.hits[0]?._source).toEqual({
      '@timestamp': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/),
      'host.name': 'LabSZ',
      'log.source': 'auth',
      service: 'sshd',
      pid: 24200,
      message: 'Invalid user webmaster from 173.234.31.186',
    });
    const pam = await client.search<Record<string, unknown>>({ index: rawIndex, size: 1, query: { term: { service: 'sshd(pam_unix)' } } });
    expect(pam.hits.hits[0]?._source).toMatchObject({ 'host.name': 'combo', 'log.source': 'syslog', pid: expect.any(Number) });
    expect(pam.hits.hits[0]?._source?.message).toMatch(/^(?:authentication failure|check pass|session (?:opened|closed))/);
    const tcp = await client.search<Record<string, unknown>>({ index: rawIndex, size: 1, query: { match_phrase: { message: `${RUN}-a tcp 7:` } } });
    expect(tcp.hits.hits[0]?._source).toMatchObject({ 'log.source': 'auth', severity: 'warning', service: 'sshd', pid: 1234 });
    expect(tcp.hits.hits[0]?._source?.message).toBe(feed.tcp[7]);
    const udp = await client.search<Record<string, unknown>>({ index: rawIndex, size: 1, query: { match_phrase: { message: `${RUN}-a udp 3:` } } });
    expect(udp.hits.hits[0]?._source).toMatchObject({ 'log.source': 'app', severity: 'err', pid: 4242, message: feed.udp[3] });
    // An application file's lines: the whole line is the message, the file's name without `.log` the service.
    const app = await client.search<Record<string, unknown>>({ index: rawIndex, size: 1, track_total_hits: true, query: { term: { service: RUN } } });
    expect(app.hits.total).toMatchObject({ value: feed.files.app.length });
    expect(app.hits.hits[0]?._source).toMatchObject({ 'log.source': 'app', message: expect.stringMatching(/^2026-12-01T10:00:\d\dZ worker /) });
    // A kernel line keeps its ring-buffer text as the message.
    const kern = await client.search<Record<string, unknown>>({ index: rawIndex, size: 1, query: { term: { 'log.source': 'kern' } } });
    expect(kern.hits.hits[0]?._source).toMatchObject({ 'host.name': 'combo', service: 'kernel' });
    expect(kern.hits.hits[0]?._source).not.toHaveProperty('severity'); // a file line has no PRI: unknown, not made up

    await classify(state);
    expect(await countOf(client, classifiedIndex)).toBe(expected);
    expect(compareMultisets(expectedKeys(feed, hostname()), await indexedKeys(client, classifiedIndex))).toEqual({ lost: [], duplicated: [] });
    if (existsSync(RSYSLOG.refusedFile)) expect(readFileSync(RSYSLOG.refusedFile, 'utf8')).not.toContain(RUN);
  }, 300_000);

  it('an Elasticsearch restart during the flow loses nothing and duplicates nothing', async () => {
    const before = await indexedKeys(client, rawIndex);
    // Dated after everything the first run classified (its checkpoint) and before the classify below runs: the
    // classifier reads in @timestamp order, so a line dated behind its checkpoint would wait for no run.
    const feedStart = Date.now() + 1_000;
    const feed = buildFeed(`${RUN}-b`, feedStart, 60_000);
    const CHUNKS = 40;
    const slice = <T>(a: T[], k: number) => a.slice(Math.floor((a.length * k) / CHUNKS), Math.floor((a.length * (k + 1)) / CHUNKS));
    let restart: Promise<string> | undefined;
    let sentWhileDown = 0;
    let restartDone = false;
    for (let k = 0; k < CHUNKS || !restartDone; k++) {
      if (k === 5) {
        restart = devStack('restart', 'elasticsearch');
        restart.then(() => (restartDone = true), () => (restartDone = true));
      }
      const down = await esIsDown();
      let sent = 0;
      if (k < CHUNKS) {
        for (const [source, lines] of Object.entries(feed.files)) {
          const part = slice(lines, k);
          appendLines(source as keyof Feed['files'], fileName, part);
          sent += part.length;
        }
        const tcp = slice(feed.tcp, k);
        await logger_('tcp', tcp, '1234', 'auth.warning');
        const udp = slice(feed.udp, k);
        await sendUdpPaced(udp);
        sent += tcp.length + udp.length;
      }
      if (down) sentWhileDown += sent;
      await sleep(k < CHUNKS ? 1_000 : 500);
    }
    await restart;
    expect(sentWhileDown).toBeGreaterThan(0); // lines really arrived while the node was down
    await waitForCluster(client, 120_000);

    const expected = before.length + feedTotal(feed);
    await rawCountReaches(client, expected, 180_000);
    await sleep(3_000);
    expect(await countOf(client, rawIndex)).toBe(expected);
    const expectedAll = [...before, ...expectedKeys(feed, hostname())];
    expect(compareMultisets(expectedAll, await indexedKeys(client, rawIndex))).toEqual({ lost: [], duplicated: [] });
    const tcpSeen = await client.count({ index: rawIndex, query: { match_phrase: { message: `${RUN}-b tcp` } } });
    expect(tcpSeen.count).toBe(feed.tcp.length);

    // The classifier reads up to now (--lag 0): on a fast run the last lines' dates are still ahead of the clock.
    await sleep(Math.max(0, feedStart + 60_000 + 2_000 - Date.now()));
    await classify(state);
    expect(await countOf(client, classifiedIndex)).toBe(expected);
    expect(compareMultisets(expectedAll, await indexedKeys(client, classifiedIndex))).toEqual({ lost: [], duplicated: [] });
    console.log(`rsyslog across an Elasticsearch restart: ${feedTotal(feed)} lines, ${sentWhileDown} of them sent while the node was down; 0 lost, 0 duplicated`);
  }, 400_000);
});
