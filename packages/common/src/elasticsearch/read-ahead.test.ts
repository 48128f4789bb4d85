import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead.ts';

/** A source that records when each item was fetched and whether it was closed. */
function pages(n: number, failAt?: number) {
  const log: string[] = [];
  const source = (async function* () {
    try {
      for (let i = 0; i < n; i++) {
        await new Promise((r) => setTimeout(r, 1));
        if (i === failAt) throw new Error(`page ${i} failed`);
        log.push(`fetched ${i}`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  })();
  return { source, log };
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('readAhead', () => {
  it('fetches up to depth items while the consumer handles one, in order, each once, then closes the source', async () => {
    const { source, log } = pages(10);
    const seen: number[] = [];
    for await (const page of readAhead(source, 3)) {
      log.push(`handling ${page}`);
      await tick();
      seen.push(page);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // while page 0 is handled, pages 1–3 are fetched (depth 3), and never more than 3 ahead
    expect(log.slice(0, 5)).toEqual(['fetched 0', 'handling 0', 'fetched 1', 'fetched 2', 'fetched 3']);
    for (const [i, entry] of log.entries()) {
      const m = /^fetched (\d+)$/.exec(entry);
      if (!m) continue;
      const handling = log.slice(0, i).filter((e) => e.startsWith('handling')).length;
      expect(Number(m[1])).toBeLessThanOrEqual(handling + 3);
    }
    expect(log.indexOf('closed')).toBeGreaterThan(log.indexOf('fetched 9'));
  });

  it('a source error comes out after the items before it', async () => {
    const { source, log } = pages(10, 4);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of readAhead(source, 2)) seen.push(page);
      })(),
    ).rejects.toThrow('page 4 failed');
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(log).toContain('closed');
  });

  it('a consumer that stops early closes the source; what was read ahead is not handed out', async () => {
    const { source, log } = pages(100);
    const seen: number[] = [];
    for await (const page of readAhead(source, 4)) {
      seen.push(page);
      await tick();
      if (page === 2) break;
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(log.at(-1)).toBe('closed');
    expect(log.filter((e) => e.startsWith('fetched')).length).toBeLessThanOrEqual(3 + 4);
  });

  it('refuses a depth that is not a positive integer', async () => {
    const { source } = pages(1);
    await expect(readAhead(source, 0).next()).rejects.toThrow('depth must be an integer ≥ 1, got 0');
  });
});
