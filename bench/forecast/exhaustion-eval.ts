/**
 * Days to exhaustion on series that really fill up: ours (the forecast's upper 95 % bound, as published, and its
 * yhat) against the node_exporter mixin's predict_linear over the last 6 h. Truth: the first hour, after the
 * cutoff, whose mean reaches the threshold. Both capped at the 30-day horizon (the gauge is +Inf beyond it).
 */
import { join } from 'node:path';
import { daysToExhaustion, forecastSeries, isSkipped, type ForecastPoint, type ForecastResult } from '@aiops/ml';
import { resample } from '@aiops/ml';
import type { Series } from '@aiops/ml';
import { plotExhaustion } from './plots.ts';
import { bitbrains } from './real-series.ts';
import { capacity } from '@aiops/contracts';
import type { ExhaustionCase, FillSeries } from './exhaustion-case.ts';

export type { ExhaustionCase, FillSeries };

const DAY = 86_400;
const HORIZON_DAYS = 30;
const THRESHOLD = capacity.exhaustionPercent.warning;


/** Centered rolling mean over `window` seconds (the slow part of a series). */
function rollingMean(s: Series, window: number): number[] {
  const out: number[] = [];
  let lo = 0;
  let hi = 0;
  let sum = 0;
  const v = s.values as number[];
  for (let i = 0; i < v.length; i++) {
    while (hi < v.length && s.timestamps[hi]! <= s.timestamps[i]! + window / 2) sum += v[hi++]!;
    while (s.timestamps[lo]! < s.timestamps[i]! - window / 2) sum -= v[lo++]!;
    out.push(sum / (hi - lo));
  }
  return out;
}

export function fillSeries(): FillSeries[] {
  const cpu270 = bitbrains('270', 'cpu').series;
  const mem303 = bitbrains('303', 'memory').series;
  const cpu333 = bitbrains('333', 'cpu').series;
  const trend270 = rollingMean(cpu270, 3 * DAY);
  const slow333 = rollingMean(cpu333, 3 * DAY);
  const mean303 = (mem303.values as number[]).reduce((a, b) => a + b, 0) / mem303.values.length;
  const n = Math.min(cpu270.timestamps.length, cpu333.timestamps.length);
  return [
    { name: 'bitbrains-270-cpu', how: 'real: VM 270 CPU grows from ~3 % to ~85 % over three months', series: cpu270 },
    {
      name: 'trend270+noise333',
      how: "made: VM 270 CPU's 3-day rolling mean (a real trend) + VM 333 CPU's deviations from its own 3-day mean (real noise), time of VM 270",
      series: {
        timestamps: cpu270.timestamps.slice(0, n),
        values: trend270.slice(0, n).map((t, i) => Math.min(100, Math.max(0, t + (cpu333.values[i] as number) - slow333[i]!))),
      },
    },
    {
      name: 'mem303+1%/day',
      how: 'made: VM 303 memory (real noise, ~17 %) re-centred at 40 % plus a linear 1 %/day',
      series: { timestamps: mem303.timestamps, values: (mem303.values as number[]).map((v, i) => v - mean303 + 40 + (mem303.timestamps[i]! - mem303.timestamps[0]!) / DAY) },
    },
    {
      name: 'mem303+0.6%/day',
      how: 'made: the same noise plus 0.6 %/day',
      series: { timestamps: mem303.timestamps, values: (mem303.values as number[]).map((v, i) => v - mean303 + 40 + (0.6 * (mem303.timestamps[i]! - mem303.timestamps[0]!)) / DAY) },
    },
  ];
}

/** Prometheus predict_linear: least-squares line over the window's raw samples, extrapolated from `now`. */
export function predictLinearDays(s: Series, now: number, windowSeconds: number, threshold: number): number {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < s.timestamps.length; i++) {
    const t = s.timestamps[i]!;
    const v = s.values[i];
    if (t <= now - windowSeconds || t > now || v === null || v === undefined) continue;
    const x = t - now;
    n++; sx += x; sy += v; sxx += x * x; sxy += x * v;
  }
  if (n < 2) return NaN;
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const atNow = (sy - slope * sx) / n;
  if (atNow >= threshold) return 0;
  return slope > 0 ? (threshold - atNow) / slope / DAY : Infinity;
}


const cap = (d: number) => Math.min(d, HORIZON_DAYS);

export async function evaluateExhaustion(imgDir: string): Promise<{ fills: FillSeries[]; cases: ExhaustionCase[] }> {
  const fills = fillSeries();
  const cases: ExhaustionCase[] = [];
  for (const fill of fills) {
    const hourly = resample(fill.series.timestamps, fill.series.values as number[], 3600);
    const start = fill.series.timestamps[0]!;
    const end = fill.series.timestamps[fill.series.timestamps.length - 1]!;
    const crossing = hourly.values.findIndex((v) => v !== null && v >= THRESHOLD);
    const crossingTime = crossing < 0 ? Infinity : hourly.start + crossing * 3600;
    let plotted = false;
    for (let cutoff = start + 21 * DAY; cutoff < Math.min(crossingTime, end); cutoff += 3 * DAY) {
      // Truth unknown when the data ends within the horizon without a crossing.
      if (crossingTime === Infinity && cutoff + HORIZON_DAYS * DAY > end) break;
      const from = fill.series.timestamps.findIndex((t) => t >= cutoff - 21 * DAY);
      const to = fill.series.timestamps.findIndex((t) => t >= cutoff);
      const train = { timestamps: fill.series.timestamps.slice(from, to), values: fill.series.values.slice(from, to) };
      const result = await forecastSeries(train, { horizonDays: HORIZON_DAYS, bounded: true });
      if (isSkipped(result)) throw new Error(`${fill.name}: ${result.reason}`);
      const last = train.timestamps[train.timestamps.length - 1]!;
      const yhatPoints: ForecastPoint[] = result.points.map((p) => ({ ...p, upper95: p.yhat }));
      const c: ExhaustionCase = {
        series: fill.name,
        cutoffDay: (cutoff - start) / DAY,
        truth: (crossingTime - last) / DAY,
        upper95: result.daysToExhaustion[`${THRESHOLD}`],
        yhat: daysToExhaustion(yhatPoints, last, THRESHOLD),
        linear: predictLinearDays(train, last, 6 * 3600, THRESHOLD),
        model: result.model,
      };
      cases.push(c);
      if (!plotted && c.truth < HORIZON_DAYS && c.truth > 7) {
        plotted = true;
        await plotExhaustion(join(imgDir, `forecast-exhaustion-${fill.name.replace(/[^a-z0-9-]+/gi, '_')}.svg`), fill, train, result as ForecastResult, c, THRESHOLD);
      }
    }
  }
  return { fills, cases };
}

export function exhaustionMarkdown({ fills, cases }: { fills: FillSeries[]; cases: ExhaustionCase[] }): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '∞');
  const summary = (pick: (c: ExhaustionCase) => number) => {
    const errors = cases.map((c) => Math.abs(cap(pick(c)) - cap(c.truth)));
    const within = cases.filter((c) => c.truth <= HORIZON_DAYS);
    const beyond = cases.filter((c) => c.truth > HORIZON_DAYS);
    const late = within.filter((c) => pick(c) > c.truth).length;
    return {
      mae: errors.reduce((a, b) => a + b, 0) / errors.length,
      detected: `${within.filter((c) => pick(c) <= HORIZON_DAYS).length}/${within.length}`,
      late: `${late}/${within.length}`,
      falseAlarm: `${beyond.filter((c) => pick(c) <= HORIZON_DAYS).length}/${beyond.length}`,
    };
  };
  const methods: [string, (c: ExhaustionCase) => number][] = [
    ['ours: upper 95 % bound (published gauge)', (c) => c.upper95],
    ['ours: yhat', (c) => c.yhat],
    ['predict_linear over 6 h (node_exporter mixin)', (c) => c.linear],
  ];
  return [
    `Threshold ${THRESHOLD} %, horizon ${HORIZON_DAYS} days; a cutoff every 3 days from day 21 until the crossing, each fitted on the 21 days before it. Series:`,
    '',
    ...fills.map((x) => `- \`${x.name}\` — ${x.how}`),
    '',
    '| method | MAE, days (capped at 30) | crossings within 30 d seen | said later than the truth | false alarms (truth > 30 d) |',
    '|---|---|---|---|---|',
    ...methods.map(([name, pick]) => {
      const s = summary(pick);
      return `| ${name} | ${s.mae.toFixed(1)} | ${s.detected} | ${s.late} | ${s.falseAlarm} |`;
    }),
    '',
    '<details><summary>Every cutoff</summary>',
    '',
    '| series | cutoff day | truth | ours upper95 | ours yhat | predict_linear 6 h | model |',
    '|---|---|---|---|---|---|---|',
    ...cases.map((c) => `| ${c.series} | ${c.cutoffDay.toFixed(0)} | ${f(c.truth)} | ${f(c.upper95)} | ${f(c.yhat)} | ${f(c.linear)} | ${c.model} |`),
    '',
    '</details>',
  ].join('\n');
}
