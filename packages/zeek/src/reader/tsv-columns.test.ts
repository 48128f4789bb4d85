import { describe, expect, it } from 'vitest';
import { TsvColumns } from './tsv-columns.ts';

function fields(columns: TsvColumns, text: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => columns.cut(text, i));
}

describe('TsvColumns.split', () => {
  it('stops at the line end even when the next line holds more separators', () => {
    const text = 'a\tbb\t\tc\nd\te\tf';
    const end = text.indexOf('\n');
    const columns = new TsvColumns();
    const n = columns.split(text, 0, end, '\t', 10);
    expect(n).toBe(4);
    expect(fields(columns, text, n)).toEqual(['a', 'bb', '', 'c']);
    const m = columns.split(text, end + 1, text.length, '\t', 10);
    expect(fields(columns, text, m)).toEqual(['d', 'e', 'f']);
  });

  it('gives one empty column for an empty range and keeps a trailing empty column', () => {
    const columns = new TsvColumns();
    expect(columns.split('x\ty', 1, 1, '\t', 5)).toBe(1);
    expect(columns.cut('x\ty', 0)).toBe('');
    const text = 'a\tb\t';
    const n = columns.split(text, 0, text.length, '\t', 5);
    expect(fields(columns, text, n)).toEqual(['a', 'b', '']);
  });

  it('stops after limit + 1 columns, a line of separators costs no more than a good one', () => {
    const columns = new TsvColumns();
    const text = '\t'.repeat(10_000);
    expect(columns.split(text, 0, text.length, '\t', 3)).toBe(4);
  });

  it('splits the same way on a multi-character separator and grows past 64 columns', () => {
    const columns = new TsvColumns();
    const text = Array.from({ length: 100 }, (_, i) => String(i)).join('::');
    const n = columns.split(text, 0, text.length, '::', 200);
    expect(n).toBe(100);
    expect(columns.cut(text, 99)).toBe('99');
    const tabs = text.replaceAll('::', '\t');
    expect(fields(columns, tabs, columns.split(tabs, 0, tabs.length, '\t', 200))).toEqual(fields(columns, text, 0).concat(text.split('::')));
  });
});

describe('TsvColumns.split over a block of lines', () => {
  it('splits tab-less lines after a tabbed one, and tabbed lines after them, exactly as line by line', () => {
    const lines = ['a\tb', 'x', '', 'yy', 'c\td\te', 'z', 'f\tg', 'w'];
    const text = lines.join('\n');
    const block = new TsvColumns();
    let start = 0;
    const got: string[][] = [];
    for (const line of lines) {
      const n = block.split(text, start, start + line.length, '\t', 10);
      got.push(fields(block, text, n));
      start += line.length + 1;
    }
    expect(got).toEqual(lines.map((l) => l.split('\t')));
    // Going back to an earlier line (a caller re-splitting) must not reuse the look-ahead wrongly.
    const n = block.split(text, 0, 3, '\t', 10);
    expect(fields(block, text, n)).toEqual(['a', 'b']);
  });
});

describe('TsvColumns.split when the separator changes within a text', () => {
  it('does not carry a tab look-ahead over to another separator', () => {
    const text = 'a\tb\nc|d';
    const columns = new TsvColumns();
    expect(fields(columns, text, columns.split(text, 0, 3, '\t', 5))).toEqual(['a', 'b']);
    expect(fields(columns, text, columns.split(text, 4, 7, '|', 5))).toEqual(['c', 'd']);
  });
});
