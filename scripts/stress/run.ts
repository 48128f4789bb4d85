/**
 * The stress run's timeline (started by scripts/stress_test.sh, which owns the loop mount and the trap):
 *   prepare  the loopback webhook receiver; the production Alertmanager config pointed at it; the stress profile of
 *            the rules; index templates under the run's prefix; rsyslog writing under that prefix; zeek-ingest
 *            following the run's Zeek folder; the loop mount's history backfilled; the two models trained
 *   t0       every failure injected at once (disk fill, CPU spike, log flood, Zeek connections)
 *   cycle    one run of each detector's job as soon as its input has arrived (anomaly-scorer detect, log-classifier
 *            classify, forecaster forecast), each followed by pushgateway-exporter drain; `--disable` skips one
 *   checks   every row polled until it passes, or until SETTLE seconds after the cycle ended (or the deadline)
 * Prints the table on stdout; exit 0 only when every row passed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebhookReceiver } from '../support/webhook-receiver.ts';
import { NotYet, ROWS, type Row, type RunState } from './checks.ts';
import { backgroundTail, jobEnv, job, loadContext, log, sleep, type Detector, type StressContext } from './context.ts';
import { backfillDiskHistory, criticalLines, fillDisk, floodLogs, followZeekLogs, injectConnections, spikeCpu, ZEEK_FOLLOWER } from './injections.ts';
import { esCount, loadAlertmanagerConfig, loadStressRules, pointRsyslogAtRun, promQuery } from './servers.ts';
import { trainingConnLog } from './zeek-injection.ts';

const SETTLE_SECONDS = Number(process.env.AIOPS_STRESS_SETTLE ?? 45);
const CAPTURE_ENDS_SECONDS_AGO = 60;

/** Waits until `probe` returns true, or throws when the run's deadline passes. */
async function until(ctx: StressContext, what: string, probe: () => Promise<boolean>, everyMs = 1_000): Promise<void> {
  while (Date.now() < ctx.deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Drains run one at a time (the exporter takes a lock; a second drainer would exit 75). */
let drains: Promise<unknown> = Promise.resolve();
function drain(ctx: StressContext): Promise<unknown> {
  drains = drains.then(() => job(ctx, 'pushgateway-exporter', 'drain'));
  return drains;
}

async function prepare(ctx: StressContext, receiver: WebhookReceiver, now: number): Promise<void> {
  const models = join(ctx.work, 'models');
  mkdirSync(models, { recursive: true });
  writeFileSync(join(ctx.work, 'train.conn.log'), trainingConnLog(ctx.repoRoot, now, CAPTURE_ENDS_SECONDS_AGO));
  await job(ctx, 'aiops', 'setup'); // the templates first: rsyslog and zeek-ingest create daily indices
  await Promise.all([
    loadAlertmanagerConfig(ctx, (p) => receiver.url(p)),
    loadStressRules(ctx),
    pointRsyslogAtRun(ctx),
    backfillDiskHistory(ctx, now),
    Promise.resolve(followZeekLogs(ctx, jobEnv(ctx))),
    ctx.disabled.has('network') ? undefined : job(ctx, 'anomaly-scorer', 'train', '--file', join(ctx.work, 'train.conn.log'), '--model-dir', models),
    ctx.disabled.has('logs') ? undefined : job(ctx, 'log-classifier', 'train', '--out', join(models, 'log-classifier.json')),
  ]);
}

/** Each detector's one cycle: wait for its input, run the job, drain its gauges. */
function cycles(ctx: StressContext, state: RunState, flood: Promise<{ sent: number; lastAt: number }>): Record<Detector, () => Promise<void>> {
  const models = join(ctx.work, 'models');
  return {
    async network() {
      const traffic = state.traffic!;
      const rows = traffic.text.split('\n').filter((l) => l && !l.startsWith('#')).length;
      await until(ctx, `zeek-ingest shipping ${rows} connections`, async () => (await esCount(ctx, `${ctx.prefix}zeek-conn-*`)) >= rows).catch((err: unknown) => {
        throw new Error(`${String(err)}; zeek-ingest --follow said: ${backgroundTail(ctx, ZEEK_FOLLOWER) || '(nothing)'}`);
      });
      const since = new Date(Math.floor(traffic.range[0] - 1) * 1000).toISOString();
      await job(ctx, 'anomaly-scorer', 'detect', '--model', models, '--initial-since', since, '--context', '3600', '--lag', '0');
      await drain(ctx);
    },
    async logs() {
      const { sent, lastAt } = await flood;
      await until(ctx, `rsyslog shipping ${sent} lines`, async () => (await esCount(ctx, `${ctx.prefix}logs-2*`)) >= sent);
      await sleep(Math.max(0, lastAt + 1_100 - Date.now())); // --lag 0 reads up to now: every line's second has passed
      await job(ctx, 'log-classifier', 'classify', '--model', join(models, 'log-classifier.json'), '--lag', '0');
      await drain(ctx);
    },
    async capacity() {
      const mp = `mountpoint="${ctx.mount.dir}"`;
      // the backfilled blocks load at Prometheus' next block reload (about once a minute); the fill must be scraped
      await until(ctx, 'the backfilled disk history in Prometheus', async () => Number((await promQuery(ctx, `count_over_time(node_filesystem_avail_bytes{${mp}}[3d] offset 10m)`))[0]?.value[1]) > 3_000, 2_000);
      await until(ctx, 'node_exporter scraping the filled disk', async () => Number((await promQuery(ctx, `instance_mountpoint:node_filesystem_utilisation:percent{${mp}}`))[0]?.value[1]) > 85);
      const instance = `^${ctx.nodeInstance.replace(/[.]/g, '\\.')}$`;
      await job(ctx, 'forecaster', 'forecast', '--days', '3', '--step', '60', '--instances', instance);
      await drain(ctx);
    },
  };
}

interface Result {
  row: Row;
  pass: boolean;
  seconds: number;
  detail: string;
}

async function poll(ctx: StressContext, state: RunState, row: Row, settled: () => number): Promise<Result> {
  let last = 'nothing surfaced';
  for (;;) {
    try {
      const evidence = await row.check(ctx, state);
      return { row, pass: true, seconds: (Date.now() - state.t0) / 1000, detail: evidence };
    } catch (err) {
      last = err instanceof NotYet ? err.message : `check error: ${String(err).slice(0, 200)}`;
    }
    if (Date.now() > Math.min(ctx.deadline, settled())) {
      const why = row.detector && ctx.disabled.has(row.detector) ? `detector ${row.detector} disabled (--disable); ${last}` : last;
      return { row, pass: false, seconds: (Date.now() - state.t0) / 1000, detail: why };
    }
    await sleep(2_000);
  }
}

function table(results: Result[]): string {
  const lines = [`${'row'.padEnd(18)} ${'detector'.padEnd(9)} ${'result'.padEnd(6)} ${'seconds'.padStart(7)}  injected / what surfaced`];
  for (const r of results) {
    lines.push(`${r.row.name.padEnd(18)} ${(r.row.detector ?? '-').padEnd(9)} ${(r.pass ? 'PASS' : 'FAIL').padEnd(6)} ${r.seconds.toFixed(1).padStart(7)}  ${r.row.injected}`);
    lines.push(`${''.padEnd(44)}${r.detail}`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const ctx = loadContext();
  const receiver = await new WebhookReceiver().start();
  try {
    const started = Date.now();
    const now = Math.floor(Date.now() / 1000); // one clock for the training stretch and the capture (whole hours apart)
    await prepare(ctx, receiver, now);
    log(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s; injecting`);
    const state: RunState = { t0: Date.now(), critical: [], receiver };
    const critical = criticalLines(ctx, 10);
    state.critical = critical.map((c) => c.message);
    const fill = fillDisk(ctx).then((p) => log(`disk ${ctx.mount.dir} at ${p.toFixed(1)} %`));
    spikeCpu(ctx);
    const flood = floodLogs(ctx, critical);
    state.traffic = injectConnections(ctx, now, CAPTURE_ENDS_SECONDS_AGO);
    await fill;
    let cycleEnd = Infinity;
    const runs = cycles(ctx, state, flood);
    const cycle = Promise.all(
      (Object.keys(runs) as Detector[]).map(async (d) => {
        if (ctx.disabled.has(d)) return log(`${d}: detector disabled, its job is not run`);
        await runs[d]().catch((err: unknown) => log(`${d}: cycle failed: ${String(err).slice(0, 2000)}`));
      }),
    ).then(() => {
      cycleEnd = Date.now();
      log(`cycle done ${((cycleEnd - state.t0) / 1000).toFixed(1)} s after injection; checks settle within ${SETTLE_SECONDS} s`);
    });
    const results = await Promise.all(ROWS.map((row) => poll(ctx, state, row, () => cycleEnd + SETTLE_SECONDS * 1000)));
    await cycle;
    await flood;
    process.stdout.write(`${table(results)}\n`);
    const failed = results.filter((r) => !r.pass).map((r) => r.row.name);
    process.stdout.write(failed.length === 0 ? `stress_test: all ${results.length} rows PASS\n` : `stress_test: FAIL: ${failed.join(', ')}\n`);
    return failed.length === 0 ? 0 : 1;
  } finally {
    // Alertmanager may hold a keep-alive connection open: the process exits anyway, do not wait on it
    await Promise.race([receiver.stop(), sleep(1_000)]);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`error: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(2);
  },
);
