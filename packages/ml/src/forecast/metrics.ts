/**
 * Forecast error measures. MAPE and sMAPE are in percent. MAPE explodes where actuals sit near zero (an idle
 * VM's 0.3 % CPU), so MASE — the error relative to the seasonal-naive forecast's in-sample error — decides model
 * choice, and sMAPE is reported beside both. Pairs with a missing actual are left out.
 */

type Maybe = number | null;

function pairs(actual: Maybe[], predicted: number[]): [number, number][] {
  const out: [number, number][] = [];
  actual.forEach((a, i) => {
    if (a !== null && Number.isFinite(a) && Number.isFinite(predicted[i])) out.push([a, predicted[i]!]);
  });
  return out;
}

export function mape(actual: Maybe[], predicted: number[]): number {
  const ps = pairs(actual, predicted).filter(([a]) => a !== 0);
  return ps.length ? (100 * ps.reduce((s, [a, f]) => s + Math.abs((a - f) / a), 0)) / ps.length : NaN;
}

export function smape(actual: Maybe[], predicted: number[]): number {
  const ps = pairs(actual, predicted);
  if (!ps.length) return NaN;
  return (100 * ps.reduce((s, [a, f]) => s + (a === 0 && f === 0 ? 0 : (2 * Math.abs(a - f)) / (Math.abs(a) + Math.abs(f))), 0)) / ps.length;
}

/** Mean absolute error of the in-sample seasonal-naive forecast (lag `season`, or 1 when history is shorter). */
export function naiveScale(train: Maybe[], season: number): number {
  const lag = train.length > season ? season : 1;
  let sum = 0;
  let n = 0;
  for (let i = lag; i < train.length; i++) {
    const a = train[i];
    const b = train[i - lag];
    if (a !== null && a !== undefined && b !== null && b !== undefined) {
      sum += Math.abs(a - b);
      n++;
    }
  }
  return n ? sum / n : NaN;
}

export function mase(actual: Maybe[], predicted: number[], train: Maybe[], season: number): number {
  const ps = pairs(actual, predicted);
  const scale = naiveScale(train, season);
  if (!ps.length || !(scale > 0)) return NaN;
  return ps.reduce((s, [a, f]) => s + Math.abs(a - f), 0) / ps.length / scale;
}

/** Share of observed actuals inside [lower, upper]. */
export function coverage(actual: Maybe[], lower: number[], upper: number[]): number {
  let inside = 0;
  let n = 0;
  actual.forEach((a, i) => {
    if (a === null || !Number.isFinite(a)) return;
    n++;
    if (a >= lower[i]! && a <= upper[i]!) inside++;
  });
  return n ? inside / n : NaN;
}

/**
 * Durbin-Watson statistic of consecutive residuals: ≈ 2 when uncorrelated, → 0 when the forecast errs the same
 * way for long stretches (a missed level shift or trend), → 4 when errors alternate.
 */
export function durbinWatson(residuals: Maybe[]): number {
  const e = residuals.filter((r): r is number => r !== null && Number.isFinite(r));
  let num = 0;
  let den = 0;
  for (let i = 0; i < e.length; i++) {
    den += e[i]! ** 2;
    if (i > 0) num += (e[i]! - e[i - 1]!) ** 2;
  }
  return den > 0 ? num / den : NaN;
}
