import { describe, expect, it } from 'vitest';
import { percentile } from './percentile.ts';

describe('percentile', () => {
  it('matches numpy.percentile (linear) on a fixed input', () => {
    // np.percentile([3, 1, 4, 1, 5, 9, 2, 6], p) with numpy 2.4: p=0 → 1, 10 → 1, 25 → 1.75, 50 → 3.5,
    // 73 → 5.109999999999999 (numpy's upper-side interpolation; a + (b − a)·t would give 5.11), 100 → 9.
    const v = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(percentile(v, 0)).toBe(1);
    expect(percentile(v, 10)).toBe(1);
    expect(percentile(v, 25)).toBe(1.75);
    expect(percentile(v, 50)).toBe(3.5);
    expect(percentile(v, 73)).toBe(5.109999999999999);
    expect(percentile(v, 100)).toBe(9);
  });

  it('refuses empty input, NaN and p outside [0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1, NaN], 50)).toThrow(/NaN/);
    expect(() => percentile([1], 101)).toThrow(/\[0, 100\]/);
  });
});
