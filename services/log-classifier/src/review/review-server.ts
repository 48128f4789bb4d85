/**
 * `log-classifier review serve`: the review page on fastify. Every request is refused with 401 unless it carries
 * the session cookie that the token buys at POST /login (compared in constant time); writes must also be same-
 * origin and carry the CSRF token of the page; everything is rate-limited; the page allows no inline script and
 * escapes every value it shows (./html.ts). Nothing is written before all of that passed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '@aiops/common';
import { constantTimeEqual, derivedKey, hostAllowed, isCrossSite, sessionCookieValue, validReviewer, verifySessionCookie } from './review-auth.ts';
import { isReviewLabel, isReviewMode, type ReviewMode } from './review-names.ts';
import { loginPage, queuePage, spotCheckPage, type Term, type Verdict } from './review-page.ts';
import { defaultSpotCheckWeek, FilterError, isoWeekOf, parseIsoWeek, parseQueueFilter, spotCheckSeed, type LineRef } from './review-queue.ts';
import { LineNotFoundError, type ReviewDocument, type ReviewLine, type ReviewStore } from './review-store.ts';

export interface ReviewServerOptions {
  store: ReviewStore;
  token: string;
  logger: Logger;
  /** Bound to a loopback address: only loopback Host names are served (DNS rebinding). */
  loopbackOnly: boolean;
  /** The terms that pushed a line to its class (the model's `explain`), when a model was given. */
  explain?: (message: string, severity: string) => Term[];
  pageSize: number;
  spotCheck: { size: number; salt: number };
  /** Requests per minute and client address; the login form gets a tenth of it. */
  rateLimitPerMinute: number;
  /** Called after every stored label or undo (e.g. to publish the gauges). */
  onChange?: () => void;
  now?: () => Date;
}

export const SESSION_COOKIE = 'aiops_review_session';
const UNDO_DEPTH = 200;
const MAX_ID_CHARS = 512;

declare module 'fastify' {
  interface FastifyRequest {
    reviewer: string | null;
  }
}

/**
 * The page's script and style, read once. Beside this module when run from the sources (tsx); from the bundle
 * (services/log-classifier/dist/cli.js, `pnpm build`) they are in the package's src/, which ships with it.
 */
function readAsset(name: string): string {
  const candidates = [new URL(`./assets/${name}`, import.meta.url), new URL(`../src/review/assets/${name}`, import.meta.url)].map((u) => fileURLToPath(u));
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`review page asset ${name} not found (looked in ${candidates.join(', ')})`);
  return readFileSync(found, 'utf8');
}

const ASSETS: Record<string, { type: string; body: string }> = Object.fromEntries(
  [
    ['review.js', 'text/javascript; charset=utf-8'],
    ['review.css', 'text/css; charset=utf-8'],
  ].map(([name, type]) => [name, { type: type!, body: readAsset(name!) }]),
);

interface LabelBody {
  index?: unknown;
  id?: unknown;
  label?: unknown;
  mode?: unknown;
  week?: unknown;
}

function lineRef(body: LabelBody): LineRef {
  const ok = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_CHARS;
  if (!ok(body.index) || !ok(body.id)) throw new FilterError('index, id: expected the line’s index and id');
  return { index: body.index, id: body.id };
}

export async function buildReviewServer(options: ReviewServerOptions): Promise<FastifyInstance> {
  const { store, token } = options;
  const now = options.now ?? (() => new Date());
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, bodyLimit: 64 * 1024, trustProxy: false });
  app.decorateRequest('reviewer', null);

  // First in line: a flood is turned away before any token comparison or Elasticsearch call.
  await app.register(fastifyRateLimit, { global: true, max: options.rateLimitPerMinute, timeWindow: 60_000 });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'same-origin' },
    hsts: false, // plain HTTP on loopback; a TLS proxy in front sets its own
  });
  await app.register(fastifyCookie, { secret: derivedKey(token, 'cookie').toString('base64url') });
  await app.register(fastifyFormbody, { bodyLimit: 4 * 1024 });
  await app.register(fastifyCsrf, {
    cookieKey: 'aiops_review_csrf',
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, signed: true },
    getUserInfo: (req) => req.reviewer ?? '',
    csrfOpts: { hmacKey: derivedKey(token, 'csrf') },
  });

  const refuse = (reply: FastifyReply, status: number, message: string, req: FastifyRequest) => {
    const wantsHtml = req.method === 'GET' && !req.url.startsWith('/api/');
    if (wantsHtml && status === 401) return reply.code(401).type('text/html; charset=utf-8').send(loginPage(null).html);
    return reply.code(status).send({ statusCode: status, message });
  };

  // preParsing: after every onRequest hook (the rate limit's are per route, so they run after any global
  // onRequest hook) and before the body is even read.
  app.addHook('preParsing', async (req, reply) => {
    if (!hostAllowed(req.headers.host, options.loopbackOnly)) return refuse(reply, 421, 'this server answers to loopback names only', req);
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    const origin = { host: req.headers.host, origin: req.headers.origin, secFetchSite: req.headers['sec-fetch-site'] as string | undefined };
    if (write && isCrossSite(origin)) return refuse(reply, 403, 'cross-site request refused', req);
    if (req.method === 'POST' && req.url === '/login') return;
    req.reviewer = verifySessionCookie(token, req.cookies[SESSION_COOKIE]);
    if (req.reviewer === null) return refuse(reply, 401, 'sign in with the review token first', req);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof FilterError) return reply.code(400).send({ statusCode: 400, message: err.message });
    if (err instanceof LineNotFoundError) return reply.code(404).send({ statusCode: 404, message: err.message });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'review request failed');
    return reply.code(status).send({ statusCode: status, message: status === 500 ? 'internal error (see the server log)' : err.message });
  });

  app.post<{ Body: { token?: unknown; reviewer?: unknown } }>(
    '/login',
    { config: { rateLimit: { max: Math.max(5, Math.floor(options.rateLimitPerMinute / 10)), timeWindow: 60_000 } } },
    async (req, reply) => {
      const given = typeof req.body?.token === 'string' ? req.body.token : '';
      if (!constantTimeEqual(given, token)) return reply.code(401).type('text/html; charset=utf-8').send(loginPage('Wrong token.').html);
      const reviewer = typeof req.body?.reviewer === 'string' ? req.body.reviewer.trim() : '';
      if (!validReviewer(reviewer)) {
        return reply.code(400).type('text/html; charset=utf-8').send(loginPage('Your name: 1–64 letters, digits, spaces or . _ @ -').html);
      }
      req.log.info({ reviewer }, 'reviewer signed in');
      return reply.setCookie(SESSION_COOKIE, sessionCookieValue(token, reviewer), { path: '/', httpOnly: true, sameSite: 'strict' }).redirect('/', 303);
    },
  );

  app.post('/logout', { preHandler: app.csrfProtection }, async (_req, reply) =>
    reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/', 303),
  );

  app.get<{ Params: { name: string } }>('/assets/:name', async (req, reply) => {
    const asset = ASSETS[req.params.name];
    if (!asset) return reply.code(404).send({ statusCode: 404, message: 'no such asset' });
    return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
  });

  const verdictOf = (line: Pick<ReviewLine, 'mlCategory' | 'mlConfidence' | 'mlRule' | 'message' | 'severity'>): Verdict => ({
    category: line.mlCategory,
    confidence: line.mlConfidence,
    ...(line.mlRule ? { rule: line.mlRule } : {}),
    terms: line.mlRule || !options.explain ? [] : options.explain(line.message, line.severity),
  });

  const sendPage = (reply: FastifyReply, page: { html: string }) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.html);

  app.get<{ Querystring: Record<string, unknown> }>('/', async (req, reply) => {
    const filter = parseQueueFilter(req.query);
    const [{ lines, total }, facets] = await Promise.all([store.queue(filter, options.pageSize), store.facets()]);
    const ctx = { reviewer: req.reviewer!, csrfToken: reply.generateCsrf({ userInfo: req.reviewer! }), pending: await store.pending() };
    return sendPage(reply, queuePage(ctx, filter, facets, lines.map((line) => ({ line, verdict: verdictOf(line) })), total));
  });

  app.get<{ Querystring: { week?: unknown } }>('/spot-check', async (req, reply) => {
    const weekParam = req.query.week;
    if (weekParam !== undefined && typeof weekParam !== 'string') throw new FilterError('week: expected one value');
    const week = weekParam ? parseIsoWeek(weekParam) : defaultSpotCheckWeek(now());
    const lines = await store.spotCheck(week, spotCheckSeed(week, options.spotCheck.salt), options.spotCheck.size);
    const previousWeek = isoWeekOf(new Date(week.start.getTime() - 86_400_000)).id;
    const ctx = { reviewer: req.reviewer!, csrfToken: reply.generateCsrf({ userInfo: req.reviewer! }), pending: await store.pending() };
    // Blind: a line's verdict is on the page only once the person answered.
    const shown = lines.map((line) => ({ line, verdict: line.review ? verdictOf(line) : null }));
    return sendPage(reply, spotCheckPage(ctx, week, previousWeek, shown, options.spotCheck.size));
  });

  // Per reviewer, the labels they gave in this process, newest last: `u` puts back what the last one replaced.
  const undoJournal = new Map<string, { line: LineRef; previous: ReviewDocument | null }[]>();

  const apiReply = (review: ReviewDocument | null) =>
    review ? { label: review.label, reviewer: review.reviewer, agrees: review.agrees, mode: review.mode } : null;

  app.post<{ Body: LabelBody }>('/api/labels', { preHandler: app.csrfProtection }, async (req) => {
    const body = req.body ?? {};
    const line = lineRef(body);
    if (!isReviewLabel(body.label)) throw new FilterError('label: expected critical, warning, informational or noise');
    if (!isReviewMode(body.mode)) throw new FilterError('mode: expected queue or spot-check');
    const mode: ReviewMode = body.mode;
    const sampleWeek = mode === 'spot-check' ? parseIsoWeek(typeof body.week === 'string' ? body.week : '').id : undefined;
    const { review, previous } = await store.label({ line, label: body.label, reviewer: req.reviewer!, mode, ...(sampleWeek ? { sampleWeek } : {}) }, now());
    const journal = undoJournal.get(req.reviewer!) ?? [];
    journal.push({ line, previous });
    if (journal.length > UNDO_DEPTH) journal.shift();
    undoJournal.set(req.reviewer!, journal);
    options.onChange?.();
    const verdict = verdictOf({ mlCategory: review.ml_category, mlConfidence: review.ml_confidence, mlRule: review.ml_rule, message: review.message, severity: review.severity ?? '' });
    return { review: apiReply(review), previous: previous?.label ?? null, verdict };
  });

  app.post('/api/undo', { preHandler: app.csrfProtection }, async (req, reply) => {
    const last = undoJournal.get(req.reviewer!)?.pop();
    if (!last) return reply.code(409).send({ statusCode: 409, message: 'no label of yours to undo' });
    await store.restore(last.line, last.previous);
    options.onChange?.();
    return { index: last.line.index, id: last.line.id, review: apiReply(last.previous) };
  });

  return app;
}
