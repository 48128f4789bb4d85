/**
 * The review page in a real browser (Debian's Chromium, driven by playwright-core), served by the real
 * `log-classifier review serve` on the real Elasticsearch, over lines the real classifier put in logs-classified-*:
 * sign in with the token, label three lines by keyboard and one by click, undo the click, answer one spot check
 * blind; a line holding <script> shows as text and runs nothing; a cross-site form post is refused. Then the
 * labels are in log-reviews-*, in `review export --labels`, and in the record of the next `train --reviews`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createElasticsearchClient, createLogger, dailyIndexName, documentId, setupElasticsearch } from '@aiops/common';
import { loghubDir } from '@aiops/datasets';
import { parseCsv } from '@aiops/log-classification';
import { metrics } from '@aiops/contracts';
import { defaultSpotCheckWeek, REVIEW_METRICS_JOB, type ReviewDocument } from '@aiops/log-classifier/review';
import { chromiumAvailable, launchChromium } from '../support/browser.ts';
import { esTestRun } from '../support/es-test-run.ts';
import { eventually, REPO_ROOT, runCli, stackAvailable, URLS } from '../support/stack.ts';

const available = (await stackAvailable('elasticsearch')) && chromiumAvailable();
const { run: RUN, config, prefixes, cleanup } = esTestRun();
const logger = createLogger('review-browser-it', 'warn');
const work = mkdtempSync(join(tmpdir(), `${RUN}-browser-`));
const TOKEN = `browser-${RUN}-${Date.now()}-token`;
const tokenFile = join(work, 'review-token');
const model = join(work, 'model.json');
const retrained = join(work, 'model-with-reviews.json');
const WEEK = defaultSpotCheckWeek(new Date());
const HOSTILE = '<script>window.__xss = 1</script> kernel: <img src=x onerror="window.__xss = 2"> oops';

const env = {
  AIOPS_ES_URLS: URLS.elasticsearch,
  AIOPS_ES_INDEX_PREFIX: `${RUN}-`,
  AIOPS_STATE_DIR: join(work, 'state'),
  AIOPS_OUTBOX_DIR: join(work, 'outbox'),
  AIOPS_MODEL_DIR: join(work, 'models'),
  AIOPS_REVIEW_TOKEN_FILE: tokenFile,
  AIOPS_INSTANCE: RUN,
  AIOPS_LOG_LEVEL: 'warn',
};

async function cli(...args: string[]) {
  const res = await runCli(args, env);
  if (res.code !== 0) throw new Error(`pnpm ${args.join(' ')} exited ${res.code}\n${res.stderr}`);
  return res;
}

/** Real lines of Loghub's OpenSSH and Linux samples (shipped in data/loghub), spread over the last complete week. */
function rawLines(): { id: string; index: string; doc: Record<string, unknown> }[] {
  const systems: [string, string, string][] = [
    ['OpenSSH', 'auth', 'telem-a'],
    ['Linux', 'syslog', 'telem-b'],
  ];
  const out: { id: string; index: string; doc: Record<string, unknown> }[] = [];
  for (const [system, source, host] of systems) {
    const file = join(loghubDir(), system, `${system}_2k.log_structured.csv`);
    const table = parseCsv(readFileSync(file, 'utf8'), file);
    const [content, component] = [table.header.indexOf('Content'), table.header.indexOf('Component')];
    table.rows.slice(0, 400).forEach((row, i) => {
      const ts = new Date(WEEK.start.getTime() + (out.length + 1) * 600_000).toISOString();
      out.push({
        id: documentId('browser-raw', source, i),
        index: dailyIndexName(prefixes.logs, ts),
        doc: { '@timestamp': ts, 'host.name': host, 'log.source': source, service: row.values[component]!, message: row.values[content]! },
      });
    });
  }
  return out;
}

/** A page on another origin whose form posts a label to the review page as soon as it loads. */
function crossSitePage(target: string, line: { index: string; id: string }): Promise<Server> {
  const body = `<!doctype html><form id="f" method="post" action="${target}api/labels">
<input name="index" value="${line.index}"><input name="id" value="${line.id}"><input name="label" value="critical"><input name="mode" value="queue"></form>
<script>document.getElementById('f').submit()</script>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function reviews(client: Client): Promise<ReviewDocument[]> {
  await client.indices.refresh({ index: `${prefixes.logReviews}-*`, allow_no_indices: true, ignore_unavailable: true });
  const res = await client.search<ReviewDocument>({ index: `${prefixes.logReviews}-2*`, size: 100, sort: [{ '@timestamp': 'asc' }], allow_no_indices: true, ignore_unavailable: true });
  return res.hits.hits.map((h) => h._source!);
}

describe.skipIf(!available)('the review page in Chromium (real browser, real servers)', () => {
  let client: Client;
  let server: ChildProcess;
  let url: string;
  let browser: BrowserContext;
  let page: Page;
  const hostileLine = { index: '', id: documentId('browser-hostile') };
  /** Script errors and CSP violations on the page: none may happen. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger);
    const raw = rawLines();
    const res = await client.bulk({ operations: raw.flatMap((r) => [{ index: { _index: r.index, _id: r.id } }, r.doc]), refresh: true });
    expect(res.errors).toBe(false);
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    await cli('log-classifier', 'train', '--out', model);
    await cli('log-classifier', 'classify', '--model', model, '--lag', '0');
    // One more classified line, the least confident of all (first in the queue), that holds markup.
    const ts = new Date(WEEK.start.getTime() + 3_600_000).toISOString();
    hostileLine.index = dailyIndexName(prefixes.logsClassified, ts);
    await client.index({
      index: hostileLine.index,
      id: hostileLine.id,
      document: { '@timestamp': ts, 'host.name': 'telem-a', 'log.source': 'kern', message: HOSTILE, ml_category: 'warning', ml_confidence: 0.01, ml_model_version: 'hand-made', ml_review: true },
      refresh: true,
    });

    // Its own process group, so the stop reaches pnpm, tsx and the server alike.
    server = spawn('pnpm', ['-s', 'log-classifier', 'review', 'serve', '--port', '0', '--model', model], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    url = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`review serve did not start in 60 s:\n${err}`)), 60_000);
      server.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const m = /review page on (http:\/\/\S+\/)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      server.on('exit', (code) => reject(new Error(`review serve exited ${code}:\n${err}`)));
    });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy|Refused/i.test(msg.text())) pageErrors.push(msg.text());
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      process.kill(-server.pid, 'SIGTERM');
      await exited;
    }
    await cleanup(client);
    await client.close();
  });

  const labelOf = (i: number) => page.locator('li.line').nth(i).getAttribute('data-label');
  /** Into out/, and into docs/images/ (the README's) with AIOPS_UPDATE_SCREENSHOTS=1. */
  const screenshot = async (name: string) => {
    mkdirSync(join(REPO_ROOT, 'out'), { recursive: true });
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.screenshot({ path: join(REPO_ROOT, 'out', name) });
    if (process.env.AIOPS_UPDATE_SCREENSHOTS === '1') copyFileSync(join(REPO_ROOT, 'out', name), join(REPO_ROOT, 'docs', 'images', name));
  };
  const waitLabeled = (i: number, label: string | null) => expect.poll(() => labelOf(i), { timeout: 15_000 }).toBe(label);

  it('asks for the token first, then shows the queue; a line holding <script> is text and runs nothing', async () => {
    const first = await page.goto(url);
    expect(first!.status()).toBe(401);
    await page.fill('input[name=token]', TOKEN);
    await page.fill('input[name=reviewer]', 'ana');
    await Promise.all([page.waitForURL(url), page.click('button[type=submit]')]);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 15_000 }).catch((err: Error) => {
      throw new Error(`${err.message}\npage errors: ${pageErrors.join('\n')}`);
    });
    expect(pageErrors).toEqual([]);
    expect(await page.locator('li.line').count()).toBeGreaterThan(6);
    const top = page.locator('li.line').first();
    expect(await top.getAttribute('data-id')).toBe(hostileLine.id);
    expect(await top.locator('pre.message').textContent()).toBe(HOSTILE);
    expect(await top.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__xss)).toBeUndefined();
    // The verdict and why: class, confidence, rule or top features (the model's explain).
    expect(await page.locator('li.line .verdict').nth(1).textContent()).toMatch(/model: (critical|warning|informational|noise) confidence 0\.\d\d (decided by labeling-guide rule|top features)/);
  });

  it('labels three lines by keyboard and one by click, and undoes the click', async () => {
    await page.keyboard.press('w');
    await waitLabeled(0, 'warning');
    await page.keyboard.press('i');
    await waitLabeled(1, 'informational');
    await page.keyboard.press('n');
    await waitLabeled(2, 'noise');
    await page.keyboard.press('j'); // skip line 3
    expect(await page.locator('li.line.current').getAttribute('data-id')).toBe(await page.locator('li.line').nth(4).getAttribute('data-id'));
    await page.locator('li.line').nth(5).locator('button[data-label=critical]').click();
    await waitLabeled(5, 'critical');
    await page.keyboard.press('u');
    await waitLabeled(5, null);
    expect(await page.locator('#status').textContent()).toContain('undone');
    expect([await labelOf(0), await labelOf(1), await labelOf(2), await labelOf(3), await labelOf(5)]).toEqual(['warning', 'informational', 'noise', null, null]);

    const stored = await reviews(client);
    const ids = await Promise.all([0, 1, 2, 5].map((i) => page.locator('li.line').nth(i).getAttribute('data-id')));
    expect(stored.map((r) => [r.line_id, r.label, r.reviewer, r.mode])).toEqual([
      [ids[0], 'warning', 'ana', 'queue'],
      [ids[1], 'informational', 'ana', 'queue'],
      [ids[2], 'noise', 'ana', 'queue'],
    ]);
    expect(stored[0]!.message).toBe(HOSTILE);
    await screenshot('review-queue.png');
  });

  it('the spot check hides the verdict until the line is answered', async () => {
    await page.goto(`${url}spot-check`);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
    expect(await page.locator('body').getAttribute('data-week')).toBe(WEEK.id);
    const lines = page.locator('li.line');
    expect(await lines.count()).toBe(50);
    // The draw is random per run (the indices carry the run's prefix), so a line the queue test labeled may be in
    // it (≈ 1 run in 6): such lines, and only they, show the verdict; the one answered here is a blind one.
    const answeredBefore = await page.locator('li.line[data-label]').count();
    expect(answeredBefore).toBeLessThanOrEqual(3);
    expect(await page.locator('.verdict:not(.hidden)').count()).toBe(answeredBefore);
    const blind = await lines.evaluateAll((els: { hasAttribute(name: string): boolean }[]) => els.findIndex((el) => !el.hasAttribute('data-label')));
    await lines.nth(blind).locator('button[data-label=critical]').click();
    await waitLabeled(blind, 'critical');
    await page.waitForSelector(`li.line >> nth=${blind} >> .verdict:not(.hidden)`);
    expect(await lines.nth(blind).locator('.verdict').textContent()).toMatch(/^model: (critical|warning|informational|noise) confidence/);
    expect(await page.locator('.verdict:not(.hidden)').count()).toBe(answeredBefore + 1);
    const stored = await reviews(client);
    expect(stored.at(-1)).toMatchObject({ mode: 'spot-check', sample_week: WEEK.id, label: 'critical' });
    await screenshot('review-spot-check.png');
  });

  it('refuses a label posted by a page of another origin, and writes nothing', async () => {
    const before = (await reviews(client)).length;
    const target = { index: hostileLine.index, id: documentId('browser-raw', 'auth', 0) };
    const evil = await crossSitePage(url, target);
    try {
      const port = (evil.address() as { port: number }).port;
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/labels')), page.goto(`http://127.0.0.1:${port}/`)]);
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain('cross-site request refused');
    } finally {
      evil.close();
    }
    expect((await reviews(client)).length).toBe(before);
  });

  it('the page publishes its gauges to the metrics outbox after labels', async () => {
    type Snapshot = { job: string; samples: { name: string; labels: Record<string, string>; value: number | string }[] };
    const latest = async (): Promise<Snapshot | undefined> => {
      const dir = env.AIOPS_OUTBOX_DIR;
      if (!existsSync(dir)) return undefined;
      const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
      const snapshots = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Snapshot).filter((s) => s.job === REVIEW_METRICS_JOB);
      const last = snapshots.at(-1);
      // The snapshot written after the spot-check answer (published at most 5 s after a label).
      return last?.samples.some((x) => x.name === metrics.logsReviewSpotChecks.name && x.value === 1) ? last : undefined;
    };
    const snapshot = await eventually(latest, 30_000, 500);
    const value = (name: string, labels: Record<string, string> = {}) =>
      snapshot.samples.find((x) => x.name === name && JSON.stringify(x.labels) === JSON.stringify(labels))?.value;
    expect(value(metrics.logsReviewLabels.name, { category: 'warning', mode: 'queue' })).toBe(1);
    expect(value(metrics.logsReviewLabels.name, { category: 'critical', mode: 'queue' })).toBe(0); // the click was undone
    expect(value(metrics.logsReviewLabels.name, { category: 'critical', mode: 'spot-check' })).toBe(1);
    expect(typeof value(metrics.logsReviewPending.name)).toBe('number');
  });

  it('the labels are in the exported CSV and in the record of the next train', async () => {
    const out = join(work, 'reviews.csv');
    await cli('log-classifier', 'review', 'export', '--labels', '--out', out);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.label, r.mode])).toEqual([
      ['warning', 'queue'],
      ['informational', 'queue'],
      ['noise', 'queue'],
      ['critical', 'spot-check'],
    ]);
    expect(rows[0]!.message).toBe(HOSTILE);
    await cli('log-classifier', 'train', '--reviews', out, '--out', retrained);
    const record = JSON.parse(readFileSync(retrained, 'utf8')) as { training: { reviews: { lines: number; perLabel: Record<string, number>; file: string } } };
    expect(record.training.reviews).toMatchObject({ lines: 4, file: out, perLabel: { warning: 1, informational: 1, noise: 1, critical: 1 } });
  }, 180_000);
});
