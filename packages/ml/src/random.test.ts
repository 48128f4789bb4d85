import { describe, expect, it } from 'vitest';
import { SeededRandom, sampleWithoutReplacement } from './random.ts';

describe('SeededRandom', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws uniform floats in [0, 1) and unbiased integers', () => {
    const r = new SeededRandom(1);
    const counts = new Array<number>(6).fill(0);
    let sum = 0;
    for (let i = 0; i < 60_000; i++) {
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
      counts[r.nextInt(6)]!++;
    }
    expect(sum / 60_000).toBeCloseTo(0.5, 2);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400); // ~4 sd of a binomial(60k, 1/6)
  });

  it('refuses a non-integer seed and an invalid bound', () => {
    expect(() => new SeededRandom(1.5)).toThrow(/integer/);
    expect(() => new SeededRandom(1).nextInt(0)).toThrow(/bound/);
  });
});

describe('sampleWithoutReplacement', () => {
  it('draws k distinct values in range, each value about equally often', () => {
    const r = new SeededRandom(3);
    const hits = new Array<number>(20).fill(0);
    for (let t = 0; t < 2000; t++) {
      const s = sampleWithoutReplacement(20, 5, r);
      expect(new Set(s).size).toBe(5);
      for (const v of s) {
        expect(v >= 0 && v < 20).toBe(true);
        hits[v]!++;
      }
    }
    for (const h of hits) expect(Math.abs(h - 500)).toBeLessThan(100); // expected 2000·5/20
  });

  it('refuses k > n', () => {
    expect(() => sampleWithoutReplacement(3, 4, new SeededRandom(0))).toThrow(/cannot draw 4/);
  });
});
