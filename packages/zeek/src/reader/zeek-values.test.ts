import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unescapeZeek } from './zeek-escapes.ts';
import { columnConverter, isAddress, parseCountRange, parseDecimalRange } from './zeek-values.ts';

const context = { unsetField: '-', emptyField: '(empty)', setSeparator: ',' };

describe('parseDecimalRange', () => {
  it('equals Number() bit for bit on Zeek-style timestamps and intervals (fast path and slow path)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2e9, noNaN: true }), fc.integer({ min: 0, max: 9 }), (x, digits) => {
        const text = x.toFixed(digits);
        expect(parseDecimalRange(text, 0, text.length)).toBe(Number(text));
        expect(parseDecimalRange(`-${text}`, 0, text.length + 1)).toBe(Number(`-${text}`));
      }),
      { numRuns: 5_000 },
    );
    expect(parseDecimalRange('1655071198.444458', 0, 17)).toBe(1655071198.444458);
    expect(parseDecimalRange('1.5e3', 0, 5)).toBe(1500);
  });

  it('refuses what Number() would silently accept', () => {
    for (const bad of ['', ' ', '0x10', 'Infinity', '1.2.3', '-', '.', 'abc', '1 2', 'nan']) {
      expect(parseDecimalRange(bad, 0, bad.length), bad).toBeNaN();
    }
  });

  it('reads a range inside a longer string', () => {
    expect(parseDecimalRange('a\t12.5\tb', 2, 6)).toBe(12.5);
    expect(parseCountRange('x443y', 1, 4)).toBe(443);
    expect(parseCountRange('-1', 0, 2)).toBe(-1);
  });
});

describe('addresses', () => {
  it('accepts IPv4 and IPv6 and nothing else', () => {
    for (const ok of ['147.32.81.167', '0.0.0.0', 'fd2d:ab8c:225::1', '::1', 'fe80::1cf4:44d2:904a:14f7']) expect(isAddress(ok), ok).toBe(true);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '', '-', '1..2.3', ':::', '1.2.3.1234']) expect(isAddress(bad), bad).toBe(false);
  });
});

describe('column converters', () => {
  it('types each Zeek type, keeps unset (-) apart from empty ((empty))', () => {
    expect(columnConverter('count')('42', 'f', context)).toBe(42);
    expect(columnConverter('int')('-7', 'f', context)).toBe(-7);
    expect(columnConverter('port')('65535', 'f', context)).toBe(65535);
    expect(columnConverter('bool')('T', 'f', context)).toBe(true);
    expect(columnConverter('string')('-', 'f', context)).toBeNull();
    expect(columnConverter('string')('(empty)', 'f', context)).toBe('');
    expect(columnConverter('set[string]')('(empty)', 'f', context)).toEqual([]);
    expect(columnConverter('set[string]')('-', 'f', context)).toBeNull();
    expect(columnConverter('vector[interval]')('2230.000000,41830.5', 'f', context)).toEqual([2230, 41830.5]);
    expect(columnConverter('set[addr]')('1.2.3.4,::1', 'f', context)).toEqual(['1.2.3.4', '::1']);
    expect(columnConverter('string')('a\\x09b\\x2c', 'f', context)).toBe('a\tb,');
  });

  it('names the field, the type and the value when a value does not fit', () => {
    expect(() => columnConverter('port')('70000', 'id.orig_p', context)).toThrow('field id.orig_p: not a port: "70000"');
    expect(() => columnConverter('count')('12a', 'orig_bytes', context)).toThrow('field orig_bytes: not a count: "12a"');
    expect(() => columnConverter('addr')('999.1.1.1', 'id.resp_h', context)).toThrow('field id.resp_h: not an IP address');
    expect(() => columnConverter('bool')('yes', 'local_orig', context)).toThrow('not a bool');
    expect(() => columnConverter('vector[count]')('1,x', 'v', context)).toThrow('field v: not a count: "x"');
  });
});

describe('unescapeZeek', () => {
  it('decodes \\xNN (runs of them as UTF-8 when valid) and \\\\', () => {
    expect(unescapeZeek('plain')).toBe('plain');
    expect(unescapeZeek('\\x09')).toBe('\t');
    expect(unescapeZeek('caf\\xc3\\xa9')).toBe('café');
    expect(unescapeZeek('\\xff\\xfe')).toBe('\u00ff\u00fe');
    expect(unescapeZeek('a\\\\b')).toBe('a\\b');
    expect(unescapeZeek('bad \\xZZ end\\')).toBe('bad \\xZZ end\\');
  });
});
