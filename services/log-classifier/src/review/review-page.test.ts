import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from './html.ts';
import { loginPage, queuePage, spotCheckPage } from './review-page.ts';
import { parseIsoWeek } from './review-queue.ts';
import type { ReviewLine } from './review-store.ts';

const ctx = { reviewer: 'ana', csrfToken: 'tok"en', pending: 3 };
const hostile = '<script>alert(1)</script> & "quoted" \'single\' `tick` <img src=x onerror=alert(2)>';
const line = (over: Partial<ReviewLine> = {}): ReviewLine => ({
  index: 'logs-classified-2026.11.30',
  id: 'id-1',
  timestamp: '2026-11-30T10:00:00.000Z',
  host: 'telem-a',
  source: 'auth',
  severity: 'err',
  message: 'sshd: Failed password for root',
  mlCategory: 'warning',
  mlConfidence: 0.42,
  mlModelVersion: 'tfidf-logreg-1',
  ...over,
});

describe('html', () => {
  it('escapes every interpolated value and leaves the template itself alone', () => {
    expect(escapeHtml(hostile)).not.toMatch(/[<>"'`]/);
    expect(html`<p title="${'"x"'}">${'<b>'}</p>`.html).toBe('<p title="&quot;x&quot;">&lt;b&gt;</p>');
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.html).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
  });
});

describe('review page', () => {
  it('renders a log line holding <script> (and every other field) as text, never as markup', () => {
    const page = queuePage(
      ctx,
      { order: 'least-confident', host: hostile },
      { hosts: [hostile], categories: ['warning'], sources: ['auth'] },
      [{ line: line({ message: hostile, host: hostile, id: hostile }), verdict: { category: 'warning', confidence: 0.42, terms: [{ term: hostile, weight: 0.3 }] } }],
      1,
    ).html;
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The only script is the page's own file.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain('<script src="/assets/review.js" defer></script>');
    expect(page).toContain('data-csrf="tok&quot;en"');
  });

  it('shows the deciding rule, or else the top features, with the predicted class and confidence', () => {
    const withRule = queuePage(ctx, { order: 'newest' }, { hosts: [], categories: [], sources: [] }, [{ line: line(), verdict: { category: 'warning', confidence: 0.42, rule: 'W3', terms: [] } }], 1).html;
    expect(withRule).toMatch(/cat-warning">warning<\/b> <span class="conf">confidence 0.42/);
    expect(withRule).toContain('rule <b>W3</b>');
    const withTerms = queuePage(ctx, { order: 'newest' }, { hosts: [], categories: [], sources: [] }, [{ line: line(), verdict: { category: 'warning', confidence: 0.42, terms: [{ term: 'failed password', weight: 0.8 }] } }], 1).html;
    expect(withTerms).toContain('<code>failed password</code> +0.80');
  });

  it('keeps the spot check blind: no verdict of an unanswered line is on the page', () => {
    const week = parseIsoWeek('2026-W48');
    const page = spotCheckPage(ctx, week, '2026-W47', [{ line: line({ mlCategory: 'critical', mlConfidence: 0.97 }), verdict: null }], 50).html;
    expect(page).not.toContain('critical</b>');
    expect(page).not.toContain('0.97');
    expect(page).toContain("verdict hidden until you answer");
    expect(page).toContain('data-mode="spot-check" data-week="2026-W48"');
  });

  it('the login page shows a message as text', () => {
    expect(loginPage('<b>no</b>').html).toContain('&lt;b&gt;no&lt;/b&gt;');
  });
});
