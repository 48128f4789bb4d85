// The review page's keys and clicks: c / w / i / n label the current line, j / k move, u undoes the last label.
// Served by `log-classifier review serve` as a file of its own (the Content-Security-Policy allows no inline script).
// Text from the server is set with textContent only, never as HTML.
(() => {
  'use strict';
  const body = document.body;
  const mode = body.dataset.mode;
  const week = body.dataset.week || undefined;
  const csrf = body.dataset.csrf;
  const lines = Array.from(document.querySelectorAll('li.line'));
  const status = document.getElementById('status');
  const KEYS = { c: 'critical', w: 'warning', i: 'informational', n: 'noise' };
  let current = -1;
  // One request at a time: a fast typist's keys queue up in order instead of racing each other.
  let chain = Promise.resolve();

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', Boolean(isError));
  }

  function select(i) {
    if (lines.length === 0) return;
    current = Math.max(0, Math.min(lines.length - 1, i));
    for (const [j, li] of lines.entries()) li.classList.toggle('current', j === current);
    lines[current].focus({ preventScroll: true });
    lines[current].scrollIntoView({ block: 'nearest' });
  }

  function nextUnlabeled(from) {
    for (let j = from + 1; j < lines.length; j++) if (!lines[j].dataset.label) return j;
    return Math.min(from + 1, lines.length - 1);
  }

  async function post(path, payload) {
    const res = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(payload),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.message || `${res.status} ${res.statusText}`);
    return data;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function showVerdict(li, verdict) {
    const box = li.querySelector('.verdict');
    if (!box || !verdict) return;
    box.replaceChildren();
    box.className = 'verdict';
    box.append('model: ', element('b', `cat cat-${verdict.category}`, verdict.category), ' ');
    box.append(element('span', 'conf', `confidence ${verdict.confidence.toFixed(2)}`), ' ');
    if (verdict.rule) {
      const why = element('span', 'why', 'decided by labeling-guide rule ');
      why.append(element('b', '', verdict.rule));
      box.append(why);
    } else if (verdict.terms.length > 0) {
      const why = element('span', 'why', 'top features: ');
      verdict.terms.forEach((t, k) => {
        if (k > 0) why.append(', ');
        why.append(element('code', '', t.term), ` ${t.weight >= 0 ? '+' : ''}${t.weight.toFixed(2)}`);
      });
      box.append(why);
    }
  }

  function showAnswer(li, review) {
    const answer = li.querySelector('.answer');
    if (review) {
      li.dataset.label = review.label;
      li.classList.add('labeled');
      answer.replaceChildren('labeled ', element('b', `cat cat-${review.label}`, review.label), ` by ${review.reviewer} · ${review.agrees ? 'agrees' : 'disagrees'}`);
    } else {
      delete li.dataset.label;
      li.classList.remove('labeled');
      answer.replaceChildren();
    }
  }

  function adjustPending(delta) {
    const pending = document.getElementById('pending');
    if (pending && mode === 'queue') pending.textContent = String(Math.max(0, Number(pending.textContent) + delta));
  }

  function label(i, value) {
    const li = lines[i];
    if (!li) return;
    chain = chain.then(async () => {
      try {
        const wasLabeled = Boolean(li.dataset.label);
        const data = await post('/api/labels', { index: li.dataset.index, id: li.dataset.id, label: value, mode, week });
        showAnswer(li, data.review);
        if (mode === 'spot-check') showVerdict(li, data.verdict);
        if (!wasLabeled) adjustPending(-1);
        say(`${value} · saved${data.previous ? ` (was ${data.previous})` : ''}`);
        if (i === current) select(nextUnlabeled(i));
      } catch (err) {
        say(`not saved: ${err.message}`, true);
      }
    });
  }

  function undo() {
    chain = chain.then(async () => {
      try {
        const data = await post('/api/undo', {});
        const i = lines.findIndex((li) => li.dataset.index === data.index && li.dataset.id === data.id);
        if (i >= 0) {
          showAnswer(lines[i], data.review);
          if (!data.review) adjustPending(1);
          select(i);
        }
        say(data.review ? `undone: back to ${data.review.label}` : 'undone: label removed');
      } catch (err) {
        say(`nothing undone: ${err.message}`, true);
      }
    });
  }

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return;
    const key = event.key.toLowerCase();
    if (key === 'j') select(current + 1);
    else if (key === 'k') select(current - 1);
    else if (key === 'u') undo();
    else if (KEYS[key]) label(current < 0 ? 0 : current, KEYS[key]);
    else return;
    event.preventDefault();
  });

  for (const [i, li] of lines.entries()) {
    li.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-label]') : null;
      select(i);
      if (button) label(i, button.dataset.label);
    });
  }

  if (lines.length > 0) select(lines[0].dataset.label ? nextUnlabeled(0) : 0);
  body.dataset.ready = 'true';
})();
