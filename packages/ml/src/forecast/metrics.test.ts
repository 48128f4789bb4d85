import { describe, expect, it } from 'vitest';
import { coverage, durbinWatson, mape, mase, naiveScale, smape } from './metrics.ts';
import { daysToExhaustion } from './exhaustion.ts';

describe('error measures', () => {
  it('MAPE skips zero and missing actuals', () => {
    expect(mape([100, 0, null, 50], [110, 5, 7, 40])).toBeCloseTo(15, 10); // (10 % + 20 %) / 2
  });
  it('sMAPE is symmetric and bounded by 200', () => {
    expect(smape([100], [50])).toBeCloseTo(smape([50], [100]), 12);
    expect(smape([0, 1], [5, 1])).toBeCloseTo(100, 12);
  });
  it('MASE scales by the seasonal-naive in-sample error', () => {
    const train = [1, 2, 3, 1, 2, 3, 1, 2, 4]; // lag-3 naive errs only once, by 1: scale 1/6
    expect(naiveScale(train, 3)).toBeCloseTo(1 / 6, 12);
    expect(mase([5, 5], [4, 6], train, 3)).toBeCloseTo(6, 12);
  });
  it('coverage counts actuals inside the band', () => {
    expect(coverage([1, 2, 3, null], [0, 2.5, 2, 0], [2, 3, 4, 0])).toBeCloseTo(2 / 3, 12);
  });
  it('Durbin-Watson: 0 for a persistent error, about 4 for alternating errors', () => {
    expect(durbinWatson([2, 2, 2, 2])).toBe(0);
    expect(durbinWatson([1, -1, 1, -1, 1, -1])).toBeCloseTo(20 / 6, 12);
  });
});

describe('daysToExhaustion', () => {
  const day = 86_400;
  const points = [1, 2, 3, 4].map((d) => ({ time: d * day, yhat: 50, lower80: 0, upper80: 0, lower95: 0, upper95: 70 + 10 * d }));
  it('interpolates the first crossing of the upper 95 % bound', () => {
    expect(daysToExhaustion(points, 0, 95)).toBeCloseTo(2.5, 12);
    expect(daysToExhaustion(points, 0, 85)).toBeCloseTo(1.5, 12);
  });
  it('is Infinity when the bound stays below, and the first step when it starts above', () => {
    expect(daysToExhaustion(points, 0, 200)).toBe(Infinity);
    expect(daysToExhaustion(points, 0.5 * day, 60)).toBeCloseTo(0.5, 12);
  });
});
