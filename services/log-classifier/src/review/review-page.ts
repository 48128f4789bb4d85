/**
 * The review page, rendered on the server as plain HTML (./html.ts escapes every value); ./assets/review.js adds
 * the keys and the clicks. Two views: the queue (lines the model flagged, with its verdict and why) and the spot
 * check (a weekly random sample, the verdict hidden until the person answered).
 */
import { html, type SafeHtml } from './html.ts';
import { REVIEW_LABELS, type ReviewMode } from './review-names.ts';
import { QUEUE_ORDERS, type IsoWeek, type QueueFilter } from './review-queue.ts';
import type { Facets, ReviewDocument, ReviewLine } from './review-store.ts';

export interface Term {
  term: string;
  weight: number;
}

/** Why the model said what it said: the labeling-guide rule that decided, or the terms that pushed the class. */
export interface Verdict {
  category: string;
  confidence: number;
  rule?: string;
  terms: Term[];
}

export interface PageContext {
  reviewer: string;
  csrfToken: string;
  pending: number;
}

function layout(title: string, ctx: PageContext, mode: ReviewMode, week: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · log review</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/review.css">
<script src="/assets/review.js" defer></script>
</head>
<body data-mode="${mode}" data-week="${week}" data-csrf="${ctx.csrfToken}">
<header>
  <h1>Log review</h1>
  <nav>
    <a href="/"${mode === 'queue' ? html` aria-current="page"` : ''}>Queue <span class="count" id="pending">${ctx.pending}</span></a>
    <a href="/spot-check"${mode === 'spot-check' ? html` aria-current="page"` : ''}>Spot check</a>
  </nav>
  <form class="who" method="post" action="/logout">
    <span>${ctx.reviewer}</span>
    <input type="hidden" name="_csrf" value="${ctx.csrfToken}">
    <button type="submit">Log out</button>
  </form>
</header>
<main>
${body}
</main>
<p class="keys">Keys: ${REVIEW_LABELS.map((l) => html`<kbd>${l.key}</kbd> ${l.label} · `)}<kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>u</kbd> undo</p>
<div id="status" role="status" aria-live="polite"></div>
</body>
</html>
`;
}

function verdictHtml(v: Verdict): SafeHtml {
  const why = v.rule
    ? html`<span class="why">decided by labeling-guide rule <b>${v.rule}</b></span>`
    : v.terms.length > 0
      ? html`<span class="why">top features: ${v.terms.map((t, i) => html`${i > 0 ? ', ' : ''}<code>${t.term}</code> ${t.weight >= 0 ? '+' : ''}${t.weight.toFixed(2)}`)}</span>`
      : '';
  return html`<div class="verdict">model: <b class="cat cat-${v.category}">${v.category}</b> <span class="conf">confidence ${v.confidence.toFixed(2)}</span> ${why}</div>`;
}

function answerHtml(review: ReviewDocument | undefined): SafeHtml {
  if (!review) return html`<div class="answer"></div>`;
  return html`<div class="answer">labeled <b class="cat cat-${review.label}">${review.label}</b> by ${review.reviewer}${review.agrees ? ' · agrees' : ' · disagrees'}</div>`;
}

function lineHtml(line: ReviewLine, verdict: Verdict | null): SafeHtml {
  return html`<li class="line${line.review ? ' labeled' : ''}" tabindex="-1" data-index="${line.index}" data-id="${line.id}"${line.review ? html` data-label="${line.review.label}"` : ''}>
  <div class="meta"><time>${line.timestamp}</time> <span class="host">${line.host}</span> <span class="source">${line.source}</span>${line.severity ? html` <span class="severity">${line.severity}</span>` : ''}</div>
  <pre class="message">${line.message}</pre>
  ${verdict ? verdictHtml(verdict) : html`<div class="verdict hidden">model's verdict hidden until you answer</div>`}
  <div class="actions">${REVIEW_LABELS.map((l) => html`<button type="button" class="label-button" data-label="${l.label}">${l.label} <kbd>${l.key}</kbd></button>`)}</div>
  ${answerHtml(line.review)}
</li>`;
}

function options(values: readonly string[], selected: string | undefined): SafeHtml {
  return html`<option value="">any</option>${values.map((v) => html`<option value="${v}"${v === selected ? ' selected' : ''}>${v}</option>`)}`;
}

export function queuePage(ctx: PageContext, filter: QueueFilter, facets: Facets, lines: { line: ReviewLine; verdict: Verdict }[], total: number): SafeHtml {
  const body = html`<form class="filters" method="get" action="/">
  <label>host <select name="host">${options(facets.hosts, filter.host)}</select></label>
  <label>class <select name="category">${options(facets.categories, filter.category)}</select></label>
  <label>source <select name="source">${options(facets.sources, filter.source)}</select></label>
  <label>order <select name="order">${QUEUE_ORDERS.map((o) => html`<option value="${o}"${o === filter.order ? ' selected' : ''}>${o.replace('-', ' ')} first</option>`)}</select></label>
  <button type="submit">Apply</button>
</form>
<p class="summary">${lines.length} of ${total} lines awaiting review${total > lines.length ? ' (label these, then reload for more)' : ''}</p>
<ol class="lines">
${lines.length === 0 ? html`<li class="empty">Nothing awaits review.</li>` : lines.map(({ line, verdict }) => lineHtml(line, verdict))}
</ol>`;
  return layout('Queue', ctx, 'queue', '', body);
}

export function spotCheckPage(ctx: PageContext, week: IsoWeek, previousWeek: string, lines: { line: ReviewLine; verdict: Verdict | null }[], size: number): SafeHtml {
  const answered = lines.filter((l) => l.line.review).length;
  const agreed = lines.filter((l) => l.line.review?.agrees).length;
  const body = html`<form class="filters" method="get" action="/spot-check">
  <label>week <input name="week" value="${week.id}" pattern="\\d{4}-W\\d{2}" size="9"></label>
  <button type="submit">Show</button>
  <a href="/spot-check?week=${previousWeek}">previous week</a>
</form>
<p class="summary">Spot check of ${week.id} (${week.start.toISOString().slice(0, 10)} to ${new Date(week.end.getTime() - 1).toISOString().slice(0, 10)}): a random sample of ${size} classified lines; label each before you see the model's verdict. ${answered} answered${answered > 0 ? `, ${agreed} agree with the model` : ''}.</p>
<ol class="lines">
${lines.length === 0 ? html`<li class="empty">No classified lines in this week.</li>` : lines.map(({ line, verdict }) => lineHtml(line, verdict))}
</ol>`;
  return layout(`Spot check ${week.id}`, ctx, 'spot-check', week.id, body);
}

/** The only page without a session: a form for the token (and the reviewer's name), sent with status 401. */
export function loginPage(message: string | null): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Log review · sign in</title><link rel="icon" href="data:,"></head>
<body>
<h1>Log review</h1>
${message ? html`<p role="alert">${message}</p>` : ''}
<form method="post" action="/login">
  <p><label>Review token <input type="password" name="token" autocomplete="current-password" required></label></p>
  <p><label>Your name <input name="reviewer" autocomplete="username" required maxlength="64"></label></p>
  <p><button type="submit">Sign in</button></p>
</form>
<p>The token is the one <code>log-classifier review serve</code> was started with (review.token, AIOPS_REVIEW_TOKEN or AIOPS_REVIEW_TOKEN_FILE).</p>
</body>
</html>
`;
}
