import { describe, expect, it } from 'vitest';
import { parseDuration } from '@aiops/common';
import { formatForecastCsv, parseSeriesCsv, parseTimestamp } from './series-csv.ts';

describe('parseSeriesCsv', () => {
  it('reads epoch seconds or ISO times, a header, gaps as null', () => {
    const text = 'timestamp,value\n1372629804,27.3\n2013-06-30T22:08:24Z,\n2013-06-30 22:13:24,NaN\n1372630704,5\n';
    expect(parseSeriesCsv(text, 'a.csv')).toEqual({
      timestamps: [1372629804, 1372630104, 1372630404, 1372630704],
      values: [27.3, null, null, 5],
    });
  });
  it('names file, line and field for bad input', () => {
    expect(() => parseSeriesCsv('timestamp,value\n1,2\nyesterday,3\n', 's.csv')).toThrow('s.csv:3: field "timestamp": "yesterday" is neither ISO 8601 nor epoch seconds');
    expect(() => parseSeriesCsv('1,2\n2,abc\n', 's.csv')).toThrow('s.csv:2: field "value": "abc" is not a number');
    expect(() => parseSeriesCsv('1,2\n2,3,4\n', 's.csv')).toThrow('s.csv:2: expected 2 fields "timestamp,value", found 3');
    expect(() => parseSeriesCsv('5,2\n5,3\n', 's.csv')).toThrow('s.csv:2: field "timestamp": 5 is not after the previous row');
    expect(() => parseSeriesCsv('timestamp,value\n', 's.csv')).toThrow('s.csv: no data rows');
  });
  it('an extraction file: the header required, the header alone an all-gap series', () => {
    const extraction = { requireHeader: true, allowEmpty: true };
    expect(parseSeriesCsv('timestamp,value\n', 'e.csv', extraction)).toEqual({ timestamps: [], values: [] });
    expect(parseSeriesCsv('timestamp,value\n0,1\n600,2\n', 'e.csv', extraction)).toEqual({ timestamps: [0, 600], values: [1, 2] });
    expect(() => parseSeriesCsv('0,1\n600,2\n', 'e.csv', extraction)).toThrow('e.csv:1: expected the header "timestamp,value", got "0,1"');
    expect(() => parseSeriesCsv('', 'e.csv', extraction)).toThrow('e.csv:1: expected the header');
    expect(() => parseSeriesCsv('timestamp,value\n0,Infinity\n', 'e.csv', extraction)).toThrow('e.csv:2: field "value": "Infinity" is not a number');
  });
  it('parses ISO with offsets and dates alone as UTC', () => {
    expect(parseTimestamp('2013-07-01T02:00:00+02:00')).toBe(Date.UTC(2013, 6, 1) / 1000);
    expect(parseTimestamp('2013-07-01')).toBe(Date.UTC(2013, 6, 1) / 1000);
    expect(parseTimestamp('July 1')).toBeUndefined();
  });
});

describe('formatForecastCsv', () => {
  it('writes the contract header and one ISO-timed row per point', () => {
    const csv = formatForecastCsv([{ time: 1372636800, yhat: 1.5, lower80: 1, upper80: 2, lower95: 0.5, upper95: 2.5 }]);
    expect(csv).toBe('timestamp,yhat,lower80,upper80,lower95,upper95\n2013-07-01T00:00:00.000Z,1.5,1,2,0.5,2.5\n');
  });
});

describe('parseDuration', () => {
  it('reads units and plain seconds, refuses the rest', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('3600')).toBe(3600);
    expect(() => parseDuration('0d')).toThrow(/positive duration/);
    expect(() => parseDuration('soon')).toThrow(/positive duration/);
  });
});
