import { describe, expect, it } from 'vitest';
import {
  agreementRate,
  composeSpotCheck,
  defaultSpotCheckWeek,
  FilterError,
  isoWeekOf,
  parseIsoWeek,
  parseQueueFilter,
  queueSearch,
  reviewDocumentId,
  spotCheckSearch,
  spotCheckSeed,
} from './review-queue.ts';

describe('review queue', () => {
  it('reads filters from a query string: empty means any, the order defaults to least confident first', () => {
    expect(parseQueueFilter({})).toEqual({ order: 'least-confident' });
    expect(parseQueueFilter({ host: 'telem-a', category: '', source: 'auth', order: 'newest' })).toEqual({ host: 'telem-a', source: 'auth', order: 'newest' });
  });

  it('refuses an unknown order, a repeated parameter and an overlong value, naming the field', () => {
    expect(() => parseQueueFilter({ order: 'random' })).toThrow(/^order:/);
    expect(() => parseQueueFilter({ host: ['a', 'b'] })).toThrow(FilterError);
    expect(() => parseQueueFilter({ source: 'x'.repeat(300) })).toThrow(/^source:/);
  });

  it('asks for flagged, unlabeled lines with the filters as exact terms, in the chosen order', () => {
    const least = queueSearch({ host: 'telem-a', category: 'warning', source: 'auth', order: 'least-confident' }, 25);
    expect(least.size).toBe(25);
    const filters = (least.query as { bool: { filter: unknown[] } }).bool.filter;
    expect(filters).toContainEqual({ term: { 'host.name': 'telem-a' } });
    expect(filters).toContainEqual({ term: { ml_category: 'warning' } });
    expect(filters).toContainEqual({ term: { 'log.source': 'auth' } });
    expect(JSON.stringify(filters[0])).toContain('"ml_review":true');
    expect(JSON.stringify(filters[0])).toContain('review_label');
    expect(Object.keys((least.sort as object[])[0]!)).toEqual(['ml_confidence']);
    const newest = queueSearch({ order: 'newest' }, 10);
    expect(Object.keys((newest.sort as object[])[0]!)).toEqual(['@timestamp']);
    expect((newest.query as { bool: { filter: unknown[] } }).bool.filter).toHaveLength(1);
  });
});

describe('spot-check weeks', () => {
  it('numbers weeks as ISO 8601 does, across year ends', () => {
    expect(isoWeekOf(new Date('2026-12-03T05:00:00Z')).id).toBe('2026-W49');
    expect(isoWeekOf(new Date('2026-12-03T05:00:00Z')).start.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(isoWeekOf(new Date('2021-01-03T12:00:00Z')).id).toBe('2020-W53'); // a Sunday in the 53rd week of 2020
    expect(isoWeekOf(new Date('2024-12-30T00:00:00Z')).id).toBe('2025-W01'); // a Monday belonging to next year
    const w = isoWeekOf(new Date('2026-06-10T00:00:00Z'));
    expect(w.end.getTime() - w.start.getTime()).toBe(7 * 86_400_000);
  });

  it('parses a week id back to the same week, and refuses weeks that do not exist', () => {
    for (const id of ['2026-W01', '2026-W49', '2020-W53', '2026-W53', '2025-W01']) expect(parseIsoWeek(id).id).toBe(id);
    expect(parseIsoWeek('2026-W49').start.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(() => parseIsoWeek('2025-W53')).toThrow(/does not exist/); // 2025 starts on a Wednesday: 52 weeks
    expect(() => parseIsoWeek('2026-W00')).toThrow(FilterError);
    expect(() => parseIsoWeek('<script>')).toThrow(/expected YYYY-Www/);
  });

  it('defaults to the last complete week, so its sample no longer changes as lines arrive', () => {
    expect(defaultSpotCheckWeek(new Date('2026-12-03T05:00:00Z')).id).toBe('2026-W48');
    expect(defaultSpotCheckWeek(new Date('2026-11-30T00:00:00Z')).id).toBe('2026-W48');
  });

  it('seeds the draw from the week and the salt: repeatable, different per week and per deployment', () => {
    const w49 = parseIsoWeek('2026-W49');
    expect(spotCheckSeed(w49, 0)).toBe(spotCheckSeed(parseIsoWeek('2026-W49'), 0));
    expect(spotCheckSeed(w49, 0)).not.toBe(spotCheckSeed(parseIsoWeek('2026-W48'), 0));
    expect(spotCheckSeed(w49, 0)).not.toBe(spotCheckSeed(w49, 1));
    expect(spotCheckSeed(w49, 7)).toBeGreaterThanOrEqual(0);
    expect(spotCheckSeed(w49, 7)).toBeLessThan(2 ** 31);
    const search = spotCheckSearch(w49, 1234, 50);
    expect(search.size).toBe(50);
    expect(JSON.stringify(search.query)).toContain('"gte":"2026-11-30T00:00:00.000Z","lt":"2026-12-07T00:00:00.000Z"');
    expect(JSON.stringify(search.query)).toContain('"seed":1234');
  });

  it('keeps answered lines first and fills the rest from the draw, without repeats, up to the size', () => {
    const ref = (id: string, tag: string) => ({ index: 'logs-classified-2026.11.30', id, tag });
    const answered = [ref('a', 'answered'), ref('b', 'answered')];
    const drawn = [ref('c', 'drawn'), ref('a', 'drawn'), ref('d', 'drawn'), ref('e', 'drawn')];
    expect(composeSpotCheck(answered, drawn, 4).map((l) => `${l.id}:${l.tag}`)).toEqual(['a:answered', 'b:answered', 'c:drawn', 'd:drawn']);
    expect(composeSpotCheck(answered, drawn, 1).map((l) => l.id)).toEqual(['a']);
    expect(composeSpotCheck([], drawn, 10).map((l) => l.id)).toEqual(['c', 'a', 'd', 'e']);
    // The same id in another day's index is another line.
    expect(composeSpotCheck([ref('a', 'x')], [{ index: 'logs-classified-2026.12.01', id: 'a', tag: 'y' }], 5)).toHaveLength(2);
  });

  it('gives one review id per line whatever the mode, and a rate of nothing is unknown', () => {
    const line = { index: 'logs-classified-2026.11.30', id: 'abc' };
    expect(reviewDocumentId(line)).toBe(reviewDocumentId({ ...line }));
    expect(reviewDocumentId(line)).not.toBe(reviewDocumentId({ ...line, id: 'abd' }));
    expect(reviewDocumentId(line)).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(agreementRate(3, 4)).toBe(0.75);
    expect(agreementRate(0, 0)).toBeNaN();
  });
});
