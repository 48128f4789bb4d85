import { describe, expect, it } from 'vitest';
import { hoursMissing } from './late-documents.ts';

describe('hoursMissing', () => {
  const h = (n: number) => Date.parse('2026-11-21T00:00:00Z') + n * 3600_000;

  it('names the hours with more sources than derived documents, in order', () => {
    const sources = new Map([[h(3), 10], [h(1), 5], [h(2), 7]]);
    const derived = new Map([[h(1), 5], [h(2), 6]]);
    expect(hoursMissing(sources, derived)).toEqual([h(2), h(3)]);
  });

  it('ignores hours where the derived side holds as many or more (sources deleted by retention first)', () => {
    expect(hoursMissing(new Map([[h(0), 4]]), new Map([[h(0), 4], [h(5), 9]]))).toEqual([]);
    expect(hoursMissing(new Map([[h(0), 4]]), new Map([[h(0), 6]]))).toEqual([]);
  });
});
