import { describe, expect, it } from 'vitest';
import { columns, parseCsv } from './csv.ts';
import { parseLinuxLogLines } from './linux-logs.ts';
import { loghubTemplateSplit, stratifiedTemplateFolds, stratifiedTemplateSplit } from './split.ts';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, and numbers rows by line', () => {
    const t = parseCsv('a,b\n"x, y","say ""hi"""\n"multi\nline",2\n', 'f.csv');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      { line: 2, values: ['x, y', 'say "hi"'] },
      { line: 3, values: ['multi\nline', '2'] },
    ]);
  });

  it('names the file, line and field of bad input', () => {
    expect(() => parseCsv('a,b\n1,2,3\n', 'labels.csv')).toThrow('labels.csv:2: 3 fields, the header has 2');
    expect(() => parseCsv('a\n"open\n', 'x.csv')).toThrow('x.csv:2: unterminated quoted field');
    expect(() => columns(parseCsv('a\n1\n', 'y.csv'), 'y.csv', ['label'])).toThrow('y.csv:1: missing column label');
  });
});

describe('template splits', () => {
  const labels = new Map<string, string>();
  for (let i = 0; i < 50; i++) labels.set(`S/E${i}`, i < 10 ? 'critical' : 'noise');

  it('holds out about 20 % of each class, reproducibly', () => {
    const test = stratifiedTemplateSplit(labels, 0.2, 1);
    expect([...test].filter((t) => labels.get(t) === 'critical')).toHaveLength(2);
    expect([...test].filter((t) => labels.get(t) === 'noise')).toHaveLength(8);
    expect(stratifiedTemplateSplit(labels, 0.2, 1)).toEqual(test);
    expect(stratifiedTemplateSplit(labels, 0.2, 2)).not.toEqual(test);
  });

  it('puts every template in exactly one fold, each fold with some of every class', () => {
    const folds = stratifiedTemplateFolds(labels, 3, 7);
    expect(folds.size).toBe(50);
    for (let f = 0; f < 3; f++) {
      const members = [...folds].filter(([, fold]) => fold === f).map(([t]) => labels.get(t));
      expect(new Set(members)).toEqual(new Set(['critical', 'noise']));
    }
  });

  it('holds out Loghub templates only: every Linux-server line trains, and the held-out set is the Loghub-only one', () => {
    const loghub = [...labels].flatMap(([template, label]) => [0, 1].map((k) => ({ template, label, message: `${template} line ${k}` })));
    const linux = parseLinuxLogLines(`source,message,label\n${Array.from({ length: 30 }, (_, i) => `pi,kernel: line ${i},${i < 5 ? 'critical' : 'noise'}`).join('\n')}\n`, 'lines.csv');
    const split = loghubTemplateSplit([...loghub, ...linux], 0.2, 1);
    expect(split.heldOut).toEqual(stratifiedTemplateSplit(labels, 0.2, 1));
    expect(split.train.filter((l) => l.template.startsWith('linux/'))).toHaveLength(30);
    expect(split.test).toHaveLength(2 * split.heldOut.size);
    expect(split.test.every((l) => split.heldOut.has(l.template))).toBe(true);
    expect(split.train.length + split.test.length).toBe(loghub.length + linux.length);
  });
});
