/** The evaluation's SVG plots (Vega-Lite through bench/lib/plot.ts, no browser). */
import type { TopLevelSpec } from 'vega-lite';
import type { BacktestReport } from '@aiops/ml';
import type { ForecastResult, Series } from '@aiops/ml';
import { resample } from '@aiops/ml';
import { writeSvg } from '@aiops/plots';
import type { ExhaustionCase, FillSeries } from './exhaustion-case.ts';
import type { RealSeries } from './real-series.ts';

const iso = (t: number) => new Date(t * 1000).toISOString();

/** The last held-out fold: a week of hourly history, the forecast with its bands, the actuals; residuals below. */
export async function plotBacktest(path: string, s: RealSeries, report: BacktestReport): Promise<void> {
  const fold = report.folds[report.folds.length - 1]!;
  const hourly = resample(s.series.timestamps, s.series.values as number[], report.stepSeconds);
  const from = fold.cutoff - 7 * 86_400;
  const history = hourly.values
    .map((v, i) => ({ t: hourly.start + i * hourly.step, v }))
    .filter((p) => p.t >= from && p.t < fold.cutoff && p.v !== null)
    .map((p) => ({ time: iso(p.t), value: p.v, series: 'history' }));
  const actual = fold.forecast.map((p, i) => ({ time: iso(p.time), value: fold.actual[i], series: 'actual' })).filter((p) => p.value !== null);
  const forecast = fold.forecast.map((p) => ({ time: iso(p.time), value: p.yhat, series: `forecast (${fold.model})` }));
  const bands = fold.forecast.map((p) => ({ time: iso(p.time), lower80: p.lower80, upper80: p.upper80, lower95: p.lower95, upper95: p.upper95 }));
  const residuals = fold.forecast.map((p, i) => ({ time: iso(p.time), residual: fold.actual[i] === null ? null : fold.actual[i]! - p.yhat }));
  const x = { field: 'time', type: 'temporal', title: null } as const;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${s.name}: last held-out fold, MAPE ${fold.mape.toFixed(1)} %, cov95 ${fold.coverage95.toFixed(2)} (all folds: MAPE ${report.mape.toFixed(1)} %)`,
    vconcat: [
      {
        width: 720,
        height: 240,
        layer: [
          { data: { values: bands }, mark: { type: 'area', opacity: 0.18, color: '#4c78a8' }, encoding: { x, y: { field: 'lower95', type: 'quantitative', title: s.unit }, y2: { field: 'upper95' } } },
          { data: { values: bands }, mark: { type: 'area', opacity: 0.3, color: '#4c78a8' }, encoding: { x, y: { field: 'lower80', type: 'quantitative' }, y2: { field: 'upper80' } } },
          {
            data: { values: [...history, ...actual, ...forecast] },
            mark: { type: 'line', strokeWidth: 1.2 },
            encoding: {
              x,
              y: { field: 'value', type: 'quantitative' },
              color: { field: 'series', type: 'nominal', scale: { range: ['#222222', '#e45756', '#4c78a8'] }, legend: { orient: 'top', title: null } },
            },
          },
        ],
      },
      {
        width: 720,
        height: 100,
        data: { values: residuals },
        mark: { type: 'bar', color: '#888888' },
        encoding: { x, y: { field: 'residual', type: 'quantitative', title: `residual (DW ${fold.durbin_watson.toFixed(2)})` } },
      },
    ],
  };
  await writeSvg(path, spec);
}

/** One cutoff of a filling series: history, the 30-day forecast bands, what really happened, predict_linear's line. */
export async function plotExhaustion(path: string, fill: FillSeries, train: Series, result: ForecastResult, c: ExhaustionCase, threshold: number): Promise<void> {
  const last = train.timestamps[train.timestamps.length - 1]!;
  const hourly = resample(fill.series.timestamps, fill.series.values as number[], 3600);
  const points = hourly.values
    .map((v, i) => ({ t: hourly.start + i * hourly.step, v }))
    .filter((p) => p.v !== null && p.t >= last - 14 * 86_400 && p.t <= last + 30 * 86_400)
    .map((p) => ({ time: iso(p.t), value: p.v, series: p.t <= last ? 'history (hourly)' : 'what happened' }));
  const forecast = result.points.map((p) => ({ time: iso(p.time), value: p.yhat, series: `forecast (${result.model})` }));
  const bands = result.points.map((p) => ({ time: iso(p.time), lower95: p.lower95, upper95: p.upper95 }));
  const x = { field: 'time', type: 'temporal', title: null } as const;
  const f = (d: number) => (Number.isFinite(d) ? `${d.toFixed(1)} d` : '∞');
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${fill.name}, cutoff day ${c.cutoffDay.toFixed(0)}: truth ${f(c.truth)}, ours (upper 95 %) ${f(c.upper95)}, predict_linear 6 h ${f(c.linear)}`,
    width: 720,
    height: 260,
    layer: [
      { data: { values: bands }, mark: { type: 'area', opacity: 0.2, color: '#4c78a8' }, encoding: { x, y: { field: 'lower95', type: 'quantitative', title: '%' }, y2: { field: 'upper95' } } },
      {
        data: { values: [...points, ...forecast] },
        mark: { type: 'line', strokeWidth: 1.1 },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, color: { field: 'series', type: 'nominal', legend: { orient: 'top', title: null } } },
      },
      { data: { values: [{ threshold }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#e45756' }, encoding: { y: { field: 'threshold', type: 'quantitative' } } },
    ],
  };
  await writeSvg(path, spec);
}
