// The metrics path end to end on the real servers: outbox file → pushgateway-exporter → Pushgateway → Prometheus
// scrape → PrometheusClient. Also: nothing is lost while Pushgateway is down, a redirect is a failure, and the
// daemon drains, reports and stops cleanly.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@aiops/common';
import {
  deletePushgatewayGroup,
  groupingPath,
  MetricsOutbox,
  pushSnapshot,
  PushgatewayError,
  renderSnapshot,
  type GaugeSample,
  type MetricsSnapshot,
} from '@aiops/common';
import { PrometheusClient } from '@aiops/common';
import { Exporter } from '@aiops/pushgateway-exporter';
import { devStack, eventually, REPO_ROOT, runCli, stackAvailable, URLS } from '../support/stack.ts';

const available = await stackAvailable('prometheus', 'pushgateway');

const RUN = `${process.pid}_${Date.now()}`;
const INSTANCE = 'itest-node/1'; // a slash: only the @base64 grouping form gets this into the right group
const METRIC = 'aiops_itest_outbox_value';
const TSX = resolve(REPO_ROOT, 'node_modules/.bin/tsx');
const CLI = resolve(REPO_ROOT, 'services/pushgateway-exporter/src/cli.ts');
const logger = createLogger('outbox-pushgateway-itest', 'silent');
const prometheus = new PrometheusClient(URLS.prometheus);
const createdGroups = new Set<string>();

function snapshot(job: string, value: number, extra: GaugeSample[] = []): MetricsSnapshot {
  createdGroups.add(job);
  return {
    job,
    instance: INSTANCE,
    createdAt: new Date().toISOString(),
    samples: [{ name: METRIC, help: 'Integration test gauge.', labels: { device: '/dev/sda1', host: 'telem-a' }, value }, ...extra],
  };
}

/** The pushed value of METRIC for `job` as Prometheus has scraped it, once it equals `expected`. */
async function valueInPrometheus(job: string, expected: number, timeoutMs = 30_000) {
  return eventually(async () => {
    const r = await prometheus.query(`${METRIC}{job="${job}"}`);
    const sample = r.resultType === 'vector' ? r.samples[0] : undefined;
    return sample?.value === expected ? sample : undefined;
  }, timeoutMs, 250);
}

async function pushgatewayJobs(): Promise<string[]> {
  const res = await fetch(`${URLS.pushgateway}/api/v1/metrics`);
  const body = (await res.json()) as { data: { labels: Record<string, string> }[] };
  return body.data.map((g) => g.labels.job!);
}

/** `pnpm pushgateway-exporter drain` as cron runs it; resolves to its exit code. */
async function drainCli(outboxDir: string): Promise<number> {
  const env = { AIOPS_OUTBOX_DIR: outboxDir, AIOPS_PUSHGATEWAY_URL: URLS.pushgateway, AIOPS_LOG_LEVEL: 'warn' };
  return (await runCli(['pushgateway-exporter', 'drain'], env)).code;
}

describe.skipIf(!available)('metrics outbox → pushgateway-exporter → Pushgateway → Prometheus', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'outbox-itest-'));
  });
  afterAll(async () => {
    await devStack('up', 'pushgateway'); // in case a test failed while it was down
    for (const job of createdGroups) await deletePushgatewayGroup(URLS.pushgateway, job, INSTANCE).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  });

  it('(a) drains a snapshot into Pushgateway and Prometheus reads the value back, labels intact', async () => {
    const job = `itest_outbox_a_${RUN}`;
    const outbox = new MetricsOutbox(join(workDir, 'a'), { logger });
    await outbox.write(
      snapshot(job, 42.5, [
        { name: 'aiops_itest_outbox_inf', help: 'Days to exhaustion style +Inf.', labels: {}, value: Infinity },
        { name: 'aiops_itest_outbox_nan', help: 'NaN.', labels: {}, value: NaN },
      ]),
    );
    const exporter = new Exporter({ outbox, pushgatewayUrl: URLS.pushgateway, logger });
    const result = await exporter.runPass();
    expect(result).toEqual({ pushed: 1, rejected: 0, failed: 0, remaining: 0 });
    const pushedAt = performance.now();

    const sample = await valueInPrometheus(job, 42.5);
    console.log(`(a) drained → readable in Prometheus after ${(performance.now() - pushedAt).toFixed(0)} ms (scrape interval 5 s)`);
    expect(sample.labels).toEqual({ __name__: METRIC, job, instance: INSTANCE, device: '/dev/sda1', host: 'telem-a' });
    const inf = await prometheus.query(`aiops_itest_outbox_inf{job="${job}"}`);
    const nan = await prometheus.query(`aiops_itest_outbox_nan{job="${job}"}`);
    expect(inf.resultType === 'vector' && inf.samples[0]?.value).toBe(Infinity);
    expect(nan.resultType === 'vector' && nan.samples.length === 1 && nan.samples[0]!.value).toBeNull();
  });

  it('(b) keeps every snapshot while Pushgateway is down and delivers the last value once it is back', async () => {
    const job = `itest_outbox_b_${RUN}`;
    const dir = join(workDir, 'b');
    const outbox = new MetricsOutbox(dir, { logger });
    await devStack('down', 'pushgateway');
    try {
      for (const value of [1, 2, 3]) await outbox.write(snapshot(job, value));
      expect(await drainCli(dir)).toBe(1);
      expect((await outbox.list()).length).toBe(3);
    } finally {
      await devStack('up', 'pushgateway');
    }
    expect(await drainCli(dir)).toBe(0);
    expect(await outbox.list()).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.json'))).toEqual([]);
    const sample = await valueInPrometheus(job, 3);
    expect(sample.labels.instance).toBe(INSTANCE);
  });

  it('(c) treats a 307 redirect to the real Pushgateway as a failure and keeps the snapshot', async () => {
    const job = `itest_outbox_c_${RUN}`;
    const redirector = createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${URLS.pushgateway}${req.url}` }).end('moved');
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const redirectUrl = `http://127.0.0.1:${(redirector.address() as { port: number }).port}`;
    try {
      const err = await pushSnapshot(redirectUrl, snapshot(job, 7)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PushgatewayError);
      expect((err as PushgatewayError).status).toBe(307);
      expect((err as Error).message).toContain('not followed');

      const outbox = new MetricsOutbox(join(workDir, 'c'), { logger });
      await outbox.write(snapshot(job, 7));
      const result = await new Exporter({ outbox, pushgatewayUrl: redirectUrl, logger }).runPass();
      expect(result).toMatchObject({ pushed: 0, failed: 1, remaining: 1 });
      expect(await pushgatewayJobs()).not.toContain(job);

      // The redirect itself is sound: a client that follows it (fetch's default) does reach the real Pushgateway.
      const followedJob = `${job}_followed`;
      const followed = await fetch(redirectUrl + groupingPath(followedJob, INSTANCE), {
        method: 'POST',
        body: await renderSnapshot(snapshot(followedJob, 7)),
      });
      expect(followed.status).toBe(200);
      expect(await pushgatewayJobs()).toContain(followedJob);
    } finally {
      await new Promise((r) => redirector.close(r));
    }
  });

  it('(d) serve: drains, reports healthy with pushes_total{result="success"} ≥ 1, exits 0 on SIGTERM', async () => {
    const job = `itest_outbox_d_${RUN}`;
    const dir = join(workDir, 'd');
    const child = spawn(TSX, [CLI, 'serve', '--listen', '127.0.0.1:0', '--interval', '1'], {
      cwd: REPO_ROOT,
      env: { ...process.env, AIOPS_OUTBOX_DIR: dir, AIOPS_PUSHGATEWAY_URL: URLS.pushgateway, AIOPS_LOG_LEVEL: 'info' },
      // The logs come on stderr (stdout is for data): the 'listening' line names the URL.
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const lines = createInterface({ input: child.stderr! });
      const url = await new Promise<string>((resolveUrl, reject) => {
        lines.on('line', (line) => {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'listening' && entry.url) resolveUrl(entry.url);
        });
        void exited.then((code) => reject(new Error(`exporter exited early with ${code}`)));
      });
      await new MetricsOutbox(dir, { logger }).write(snapshot(job, 5));

      const health = await eventually(async () => {
        const res = await fetch(`${url}/healthz`);
        const body = (await res.json()) as { status: string; outboxDepth: number; lastSuccessfulPushAt: string | null };
        return res.status === 200 && body.outboxDepth === 0 && body.lastSuccessfulPushAt ? body : undefined;
      }, 30_000, 250);
      expect(health).toMatchObject({ status: 'ok', outboxDepth: 0 });
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const success = /aiops_exporter_pushes_total\{result="success"\} (\d+)/.exec(metrics);
      expect(Number(success?.[1])).toBeGreaterThanOrEqual(1);
      expect(metrics).toContain('aiops_exporter_outbox_depth 0');
      await valueInPrometheus(job, 5);

      const stopAt = performance.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      console.log(`(d) SIGTERM → exit 0 in ${(performance.now() - stopAt).toFixed(0)} ms`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
