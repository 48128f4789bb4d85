/** Synthetic series for the unit tests: daily + weekly seasonality, optional trend, seeded Gaussian noise. */
import type { Series } from './types.ts';

function seededNormal(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    // mulberry32: small, fast and reproducible across platforms.
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

export interface SyntheticOptions {
  days: number;
  stepSeconds?: number;
  level?: number;
  dailyAmplitude?: number;
  /** Units per day. */
  trendPerDay?: number;
  noise?: number;
  seed?: number;
  start?: number;
}

export function syntheticSeries(o: SyntheticOptions): Series {
  const step = o.stepSeconds ?? 300;
  const start = o.start ?? 1_372_636_800; // 2013-07-01T00:00Z, a Monday
  const normal = seededNormal(o.seed ?? 1);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = start; t < start + o.days * 86_400; t += step) {
    const day = (t - start) / 86_400;
    const weekday = Math.floor(day) % 7;
    const weekly = weekday >= 5 ? -0.4 * (o.dailyAmplitude ?? 10) : 0;
    values.push(
      (o.level ?? 40) +
        (o.dailyAmplitude ?? 10) * Math.sin(2 * Math.PI * (day % 1)) +
        weekly +
        (o.trendPerDay ?? 0) * day +
        (o.noise ?? 1) * normal(),
    );
    timestamps.push(t);
  }
  return { timestamps, values };
}
