import type { ForecastPoint } from './types.ts';
import { DAY } from './series-prep.ts';

/**
 * Days from the last observation until the forecast's upper 95 % bound first reaches `threshold` (the cautious
 * reading: capacity runs out when it plausibly could), interpolated linearly between the two steps around the
 * crossing; 0 if the first step is already there, Infinity if the bound stays below it within the horizon.
 */
export function daysToExhaustion(points: ForecastPoint[], lastObservedTime: number, threshold: number): number {
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!(p.upper95 >= threshold)) continue;
    if (i === 0) return Math.max(0, (p.time - lastObservedTime) / DAY);
    const prev = points[i - 1]!;
    const fraction = (threshold - prev.upper95) / (p.upper95 - prev.upper95);
    return Math.max(0, (prev.time + fraction * (p.time - prev.time) - lastObservedTime) / DAY);
  }
  return Infinity;
}
