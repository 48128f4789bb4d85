/**
 * The review page's server on the real Elasticsearch (requests through fastify's inject, no browser: that is
 * review-browser.int.test.ts): the queue's order and filters, labels in log-reviews-* with deterministic ids (a
 * relabel overwrites, undo puts back), the seeded blind spot check, the gauges (and through the outbox, the
 * exporter and Pushgateway into Prometheus), the training CSV export, and the refusals: no token, a wrong token,
 * no CSRF token, another origin, another Host, too many requests — each writes nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '@aiops/contracts';
import { type Client, createElasticsearchClient, createLogger, dailyIndexName, deletePushgatewayGroup, PrometheusClient, setupElasticsearch } from '@aiops/common';
import { loadExtraLabels } from '@aiops/datasets/log-labels';
import { buildReviewServer, parseIsoWeek, REVIEW_METRICS_JOB, type ReviewDocument, reviewDocumentId, ReviewStore, SESSION_COOKIE, spotCheckSeed } from '@aiops/log-classifier/review';
import { esTestRun } from '../support/es-test-run.ts';
import { eventually, runCli, stackAvailable, URLS } from '../support/stack.ts';

const available = await stackAvailable('elasticsearch', 'prometheus', 'pushgateway');
const { run: RUN, config, prefixes, cleanup } = esTestRun();
const logger = createLogger('review-page-it', 'warn');
const TOKEN = `it-review-token-${RUN}-0123456789`;
const WEEK = parseIsoWeek('2026-W47'); // 2026-11-16 … 2026-11-22
const work = mkdtempSync(join(tmpdir(), `${RUN}-review-`));

interface Classified {
  '@timestamp': string;
  host: { name: string };
  log: { source: string };
  severity?: string;
  message: string;
  ml_category: string;
  ml_confidence: number;
  ml_model_version: string;
  ml_review: boolean;
  ml_rule?: string;
}

const HOSTS = ['telem-a', 'telem-b', 'log-server'];
const SOURCES = ['auth', 'syslog', 'kern'];
const CATEGORIES = ['critical', 'warning', 'informational', 'noise'];
const SCRIPT_LINE = '<script>window.__xss = 1</script> sshd[42]: Invalid user <img src=x onerror=alert(1)> from 10.0.0.9';

/** 120 lines over the week, every 4th flagged (confidence under 0.5), the rest confident; one holds markup. */
function fixture(): { id: string; doc: Classified }[] {
  return Array.from({ length: 120 }, (_, i) => {
    const flagged = i % 4 === 0;
    const doc: Classified = {
      '@timestamp': new Date(WEEK.start.getTime() + i * 3_600_000).toISOString(),
      host: { name: HOSTS[i % 3]! },
      log: { source: SOURCES[(i >> 1) % 3]! },
      severity: flagged ? 'warning' : 'info',
      message: i === 8 ? SCRIPT_LINE : `pam_unix(sshd:session): session opened for user u${i} by (uid=0) line ${i}`,
      ml_category: CATEGORIES[i % 4 === 0 ? (i >> 2) % 4 : 2]!,
      ml_confidence: flagged ? 0.3 + (i % 17) / 100 : 0.9,
      ml_model_version: 'tfidf-logreg-it',
      ml_review: flagged,
      ...(i === 12 ? { ml_rule: 'W1' } : {}),
    };
    return { id: `line-${i}`, doc };
  });
}

const lines = fixture();
const flagged = lines.filter((l) => l.doc.ml_review);
const indexOf = (doc: Classified) => dailyIndexName(prefixes.logsClassified, doc['@timestamp']);
const refOf = (l: { id: string; doc: Classified }) => ({ index: indexOf(l.doc), id: l.id });

/** A cookie jar over inject: signs in, keeps cookies, reads the page's CSRF token. */
class Session {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res: { cookies: { name: string; value: string }[] }): void {
    for (const c of res.cookies) this.cookies.set(c.name, c.value);
  }

  async login(token = TOKEN, reviewer = 'ana') {
    const res = await this.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80' },
      payload: new URLSearchParams({ token, reviewer }).toString(),
    });
    this.keep(res);
    return res;
  }

  async get(url: string) {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.header() } });
    this.keep(res);
    const m = /data-csrf="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
    return res;
  }

  async post(url: string, body: unknown, headers: Record<string, string> = {}) {
    return this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.header(), 'content-type': 'application/json', 'x-csrf-token': this.csrf, ...headers },
      payload: JSON.stringify(body),
    });
  }
}

describe.skipIf(!available)('review page server on Elasticsearch (real servers)', () => {
  let client: Client;
  let store: ReviewStore;
  let app: FastifyInstance;
  let session: Session;
  const reviewCount = async () => {
    await client.indices.refresh({ index: `${prefixes.logReviews}-*`, allow_no_indices: true, ignore_unavailable: true });
    return (await client.count({ index: `${prefixes.logReviews}-2*`, allow_no_indices: true, ignore_unavailable: true })).count;
  };

  beforeAll(async () => {
    client = createElasticsearchClient(config.elasticsearch);
    await setupElasticsearch(client, config, logger);
    const operations = lines.flatMap((l) => [{ index: { _index: indexOf(l.doc), _id: l.id } }, l.doc]);
    const res = await client.bulk({ operations, refresh: true });
    expect(res.errors).toBe(false);
    store = new ReviewStore(client, prefixes);
    app = await buildReviewServer({
      store,
      token: TOKEN,
      logger,
      loopbackOnly: true,
      explain: (message) => [{ term: message.split(' ')[0]!.toLowerCase(), weight: 0.5 }],
      pageSize: 100,
      spotCheck: { size: 10, salt: 0 },
      rateLimitPerMinute: 10_000,
      now: () => new Date(WEEK.end.getTime() + 3_600_000),
    });
    session = new Session(app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await deletePushgatewayGroup(URLS.pushgateway, REVIEW_METRICS_JOB, RUN).catch(() => {});
    await cleanup(client);
    await client.close();
  });

  it('refuses every request without a session (401, the login form and nothing else), and a wrong token', async () => {
    for (const url of ['/', '/spot-check', '/assets/review.js']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('pam_unix');
    }
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.body).toContain('<form method="post" action="/login">');
    const forged = await app.inject({ method: 'GET', url: '/', headers: { cookie: `${SESSION_COOKIE}=${Buffer.from('ana').toString('base64url')}.AAAA` } });
    expect(forged.statusCode).toBe(401);
    const wrong = await new Session(app).login('not-the-token-at-all-0000');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    const ok = await session.login();
    expect(ok.statusCode).toBe(303);
    const cookie = ok.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie.value).not.toContain(TOKEN);
  });

  it('lists flagged, unlabeled lines least confident first, newest first on request, filtered by host / class / source', async () => {
    const page = await session.get('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const ids = [...page.body.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(flagged.length);
    const byConfidence = [...flagged].sort((a, b) => a.doc.ml_confidence - b.doc.ml_confidence || b.doc['@timestamp'].localeCompare(a.doc['@timestamp']));
    expect(ids).toEqual(byConfidence.map((l) => l.id));
    const newest = [...(await session.get('/?order=newest')).body.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(newest).toEqual([...flagged].reverse().map((l) => l.id));
    const filtered = await session.get('/?host=telem-b&source=kern&category=');
    const expected = flagged.filter((l) => l.doc.host.name === 'telem-b' && l.doc.log.source === 'kern').map((l) => l.id);
    expect(expected.length).toBeGreaterThan(0);
    expect([...filtered.body.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(expected.sort());
    const byClass = await session.get('/?category=critical');
    expect([...byClass.body.matchAll(/data-id="([^"]+)"/g)].length).toBe(flagged.filter((l) => l.doc.ml_category === 'critical').length);
    expect((await session.get('/?order=sideways')).statusCode).toBe(400);
    // The verdict and why: the deciding rule where one decided, the model's terms otherwise.
    expect(page.body).toContain('rule <b>W1</b>');
    expect(page.body).toContain('top features: <code>');
  });

  it('renders the line holding <script> as text', async () => {
    const page = (await session.get('/')).body;
    expect(page).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;');
    expect(page).not.toContain('<script>window');
    expect(page).not.toContain('<img src=x');
  });

  it('refuses writes without the CSRF token, from another origin or site, or to another Host — and writes nothing', async () => {
    const line = refOf(flagged[0]!);
    const body = { ...line, label: 'critical', mode: 'queue' };
    const anonymous = await app.inject({ method: 'POST', url: '/api/labels', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(anonymous.statusCode).toBe(401);
    expect((await session.post('/api/labels', body, { 'x-csrf-token': '' })).statusCode).toBe(403);
    expect((await session.post('/api/labels', body, { 'x-csrf-token': 'forged-token' })).statusCode).toBe(403);
    expect((await session.post('/api/labels', body, { origin: 'http://evil.example' })).statusCode).toBe(403);
    expect((await session.post('/api/labels', body, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await session.post('/api/labels', body, { host: 'evil.example:8790' })).statusCode).toBe(421);
    // A CSRF token of another reviewer's session does not fit this one.
    const bob = new Session(app);
    await bob.login(TOKEN, 'bob');
    await bob.get('/');
    expect((await session.post('/api/labels', body, { 'x-csrf-token': bob.csrf })).statusCode).toBe(403);
    expect(await reviewCount()).toBe(0);
    expect((await client.get<Classified & { review_label?: string }>({ index: line.index, id: line.id }))._source!.review_label).toBeUndefined();
  });

  it('stores a label in log-reviews-<line day> under the line’s id; a relabel overwrites; undo puts back, then removes', async () => {
    const target = flagged[0]!;
    const line = refOf(target);
    const pendingBefore = await store.pending();
    const first = await session.post('/api/labels', { ...line, label: 'critical', mode: 'queue' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ review: { label: 'critical', reviewer: 'ana', mode: 'queue' }, previous: null });
    const reviewIndex = dailyIndexName(prefixes.logReviews, target.doc['@timestamp']);
    const stored = await client.get<ReviewDocument>({ index: reviewIndex, id: reviewDocumentId(line) });
    expect(stored._source).toMatchObject({ line_index: line.index, line_id: line.id, label: 'critical', reviewer: 'ana', mode: 'queue', message: target.doc.message, ml_category: target.doc.ml_category });
    expect(await store.pending()).toBe(pendingBefore - 1);
    expect((await session.get('/')).body).not.toContain(`data-id="${line.id}"`);

    const relabel = await session.post('/api/labels', { ...line, label: 'noise', mode: 'queue' });
    expect(relabel.json()).toMatchObject({ review: { label: 'noise' }, previous: 'critical' });
    expect(await reviewCount()).toBe(1);

    const undo1 = await session.post('/api/undo', {});
    expect(undo1.json()).toMatchObject({ index: line.index, id: line.id, review: { label: 'critical' } });
    expect((await client.get<ReviewDocument>({ index: reviewIndex, id: reviewDocumentId(line) }))._source!.label).toBe('critical');
    const undo2 = await session.post('/api/undo', {});
    expect(undo2.json()).toMatchObject({ review: null });
    expect(await reviewCount()).toBe(0);
    expect(await store.pending()).toBe(pendingBefore);
    expect((await session.get('/')).body).toContain(`data-id="${line.id}"`);
    expect((await session.post('/api/undo', {})).statusCode).toBe(409);
    // A line that does not exist, or an index outside logs-classified-*, is refused and writes nothing.
    expect((await session.post('/api/labels', { index: line.index, id: 'nope', label: 'noise', mode: 'queue' })).statusCode).toBe(404);
    expect((await session.post('/api/labels', { index: `${prefixes.logReviews}-2026.11.16`, id: 'x', label: 'noise', mode: 'queue' })).statusCode).toBe(404);
    expect((await session.post('/api/labels', { ...line, label: 'urgent', mode: 'queue' })).statusCode).toBe(400);
    expect(await reviewCount()).toBe(0);
  });

  it('draws the same spot check for the same week and salt, keeps it blind, and keeps answered lines in it', async () => {
    const seed = spotCheckSeed(WEEK, 0);
    const a = await store.spotCheck(WEEK, seed, 10);
    const b = await store.spotCheck(WEEK, seed, 10);
    expect(a).toHaveLength(10);
    expect(a.map((l) => l.id)).toEqual(b.map((l) => l.id));
    const other = await store.spotCheck(WEEK, spotCheckSeed(WEEK, 1), 10);
    expect(other.map((l) => l.id)).not.toEqual(a.map((l) => l.id));
    for (const l of a) expect(Date.parse(l.timestamp)).toBeGreaterThanOrEqual(WEEK.start.getTime());
    expect(await store.spotCheck(parseIsoWeek('2026-W46'), seed, 10)).toEqual([]);

    const page = await session.get(`/spot-check?week=${WEEK.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/class="verdict"/); // blind: no line's verdict is on the page
    expect(page.body.match(/verdict hidden until you answer/g)).toHaveLength(10);
    const pick = a[3]!;
    const answer = await session.post('/api/labels', { index: pick.index, id: pick.id, label: 'informational', mode: 'spot-check', week: WEEK.id });
    expect(answer.json()).toMatchObject({ review: { label: 'informational', mode: 'spot-check', agrees: pick.mlCategory === 'informational' }, verdict: { category: pick.mlCategory } });
    const after = await store.spotCheck(WEEK, seed, 10);
    expect(after[0]!.id).toBe(pick.id); // answered lines lead the week's sample
    expect(after.map((l) => l.id).sort()).toEqual(a.map((l) => l.id).sort());
    const revealed = (await session.get(`/spot-check?week=${WEEK.id}`)).body;
    expect(revealed.match(/class="verdict"/g)).toHaveLength(1);
    expect((await session.get('/spot-check?week=2026-W99')).statusCode).toBe(400);
  });

  it('counts pending, the spot-check agreement of the last 7 days and labels per class (older labels left out)', async () => {
    // The queue line labeled below must not be one of the spot-check picks: a relabel overwrites (one id per line).
    const spot = (await store.spotCheck(WEEK, spotCheckSeed(WEEK, 0), 10)).filter((l) => l.id !== flagged[1]!.id);
    const now = new Date();
    // Four spot checks now: two agree; one old one (8 days ago) that must not count.
    const agreeing = spot.filter((l) => l.mlCategory === 'informational' && !l.review).slice(0, 2);
    expect(agreeing).toHaveLength(2);
    for (const l of agreeing) await store.label({ line: l, label: 'informational', reviewer: 'ana', mode: 'spot-check', sampleWeek: WEEK.id }, now);
    const disagreeing = spot.filter((l) => !l.review && !agreeing.includes(l)).slice(0, 1);
    for (const l of disagreeing) await store.label({ line: l, label: l.mlCategory === 'critical' ? 'noise' : 'critical', reviewer: 'ana', mode: 'spot-check', sampleWeek: WEEK.id }, now);
    const old = spot.filter((l) => !l.review && !agreeing.includes(l) && !disagreeing.includes(l))[0]!;
    await store.label({ line: old, label: old.mlCategory === 'critical' ? 'noise' : 'critical', reviewer: 'ana', mode: 'spot-check', sampleWeek: WEEK.id }, new Date(now.getTime() - 8 * 86_400_000));
    await store.label({ line: refOf(flagged[1]!), label: 'warning', reviewer: 'ana', mode: 'queue' }, now);

    const all = await client.search<ReviewDocument>({ index: `${prefixes.logReviews}-2*`, size: 100, query: { range: { '@timestamp': { gte: 'now-7d' } } } });
    const recentSpot = all.hits.hits.map((h) => h._source!).filter((r) => r.mode === 'spot-check');
    // The three given now; the page's earlier answer (at its clock, 2026-11-23) and the 8-day-old one are outside.
    expect(recentSpot).toHaveLength(3);
    const gauges = await store.gauges(now);
    const value = (name: string, labels: Record<string, string> = {}) =>
      gauges.find((g) => g.name === name && JSON.stringify(g.labels) === JSON.stringify(labels))?.value;
    expect(value(metrics.logsReviewSpotChecks.name)).toBe(3);
    expect(value(metrics.logsReviewAgreement.name)).toBeCloseTo(2 / 3, 10);
    const everReviewed = await client.search<ReviewDocument>({ index: `${prefixes.logReviews}-2*`, size: 100 });
    const reviewed = new Set(everReviewed.hits.hits.map((h) => h._source!.line_id));
    expect(value(metrics.logsReviewPending.name)).toBe(flagged.filter((l) => !reviewed.has(l.id)).length);
    expect(value(metrics.logsReviewLabels.name, { category: 'warning', mode: 'queue' })).toBe(1);
    expect(value(metrics.logsReviewLabels.name, { category: 'informational', mode: 'spot-check' })).toBe(recentSpot.filter((r) => r.label === 'informational').length);
  });

  it('exports every label in the training CSV format that train --reviews reads', async () => {
    const out = join(work, 'reviews.csv');
    const env = { AIOPS_ES_URLS: URLS.elasticsearch, AIOPS_ES_INDEX_PREFIX: `${RUN}-`, AIOPS_STATE_DIR: join(work, 'state'), AIOPS_OUTBOX_DIR: join(work, 'outbox'), AIOPS_LOG_LEVEL: 'warn' };
    const res = await runCli(['log-classifier', 'review', 'export', '--labels', '--out', out], env);
    expect(res.code, res.stderr).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(await reviewCount());
    expect(Object.keys(rows[0]!).slice(0, 3)).toEqual(['message', 'label', 'severity']);
    const queueRow = rows.find((r) => r.line_id === flagged[1]!.id)!;
    expect(queueRow).toMatchObject({ message: flagged[1]!.doc.message, label: 'warning', mode: 'queue', reviewer: 'ana', severity: 'warning' });
    const labeled = loadExtraLabels(out);
    expect(labeled.map((l) => l.label).sort()).toEqual(rows.map((r) => r.label).sort());
  });

  it('the gauges reach Prometheus through the outbox, the exporter and Pushgateway', async () => {
    const env = {
      AIOPS_ES_URLS: URLS.elasticsearch,
      AIOPS_ES_INDEX_PREFIX: `${RUN}-`,
      AIOPS_STATE_DIR: join(work, 'state'),
      AIOPS_OUTBOX_DIR: join(work, 'outbox'),
      AIOPS_PUSHGATEWAY_URL: URLS.pushgateway,
      AIOPS_INSTANCE: RUN,
      AIOPS_LOG_LEVEL: 'warn',
    };
    const metricsRun = await runCli(['log-classifier', 'review', 'metrics'], env);
    expect(metricsRun.code, metricsRun.stderr).toBe(0);
    expect((await runCli(['pushgateway-exporter', 'drain'], env)).code).toBe(0);
    const prometheus = new PrometheusClient(URLS.prometheus);
    const scraped = async (name: string) => {
      const r = await prometheus.query(`${name}{job="${REVIEW_METRICS_JOB}",instance="${RUN}"}`);
      return r.resultType === 'vector' && r.samples.length === 1 ? (r.samples[0]!.value ?? undefined) : undefined;
    };
    const expected = await store.gauges();
    const want = (name: string) => expected.find((g) => g.name === name)!.value;
    expect(await eventually(() => scraped(metrics.logsReviewPending.name), 60_000, 500)).toBe(want(metrics.logsReviewPending.name));
    expect(await eventually(() => scraped(metrics.logsReviewAgreement.name), 60_000, 500)).toBeCloseTo(want(metrics.logsReviewAgreement.name), 6);
  });

  it('rate-limits: past the limit a client gets 429, and the login form sooner', async () => {
    const limited = await buildReviewServer({ store, token: TOKEN, logger, loopbackOnly: true, pageSize: 10, spotCheck: { size: 5, salt: 0 }, rateLimitPerMinute: 50 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await limited.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token=wrong-guess-0000000000&reviewer=eve' });
        codes.push(res.statusCode);
      }
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(codes.slice(5)).toEqual([429, 429, 429]);
      const statuses = await Promise.all(Array.from({ length: 55 }, () => limited.inject({ method: 'GET', url: '/' }).then((r) => r.statusCode)));
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
    writeFileSync(join(work, 'done'), '');
  });
});
