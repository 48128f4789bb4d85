/**
 * The p-th percentile (0 ≤ p ≤ 100) with linear interpolation between the two nearest ranks: numpy's default
 * `np.percentile(values, p)`, including its way of interpolating (from the upper value when the fraction ≥ 0.5), so
 * IsolationForest's contamination offset equals scikit-learn's bit for bit on the same scores.
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) throw new Error('percentile: no values');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile: p must be in [0, 100], got ${p}`);
  const sorted = Float64Array.from(values).sort();
  if (Number.isNaN(sorted[sorted.length - 1])) throw new Error('percentile: values contain NaN');
  const position = (p / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const fraction = position - below;
  const a = sorted[below]!;
  const b = sorted[Math.min(below + 1, sorted.length - 1)]!;
  const difference = b - a;
  return fraction >= 0.5 ? b - difference * (1 - fraction) : a + difference * fraction;
}
