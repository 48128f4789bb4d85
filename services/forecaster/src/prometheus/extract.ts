/**
 * Extraction: every capacity query of capacity-queries.ts over the history window through the common
 * PrometheusClient (chunked query_range, gaps and NaN kept as null), one series per host × metric × device.
 * Hosts, mountpoints and devices come from the results; nothing is configured per host.
 */
import type { Logger, PrometheusClient, RangeSeries } from '@aiops/common';
import { capacityQueries, seriesKeyText, type CapacityQuery, type SeriesKey } from './capacity-queries.ts';

export interface ExtractedSeries extends SeriesKey {
  unit: CapacityQuery['unit'];
  /** Epoch seconds on the grid start, start + step, … ≤ end. */
  timestamps: number[];
  /** null = a gap (no sample or NaN at that grid point); never filled in. */
  values: (number | null)[];
}

export interface ExtractWindow {
  /** Epoch seconds; aligned down to the step so that reruns in the same step ask for the same grid. */
  end: number;
  days: number;
  stepSeconds: number;
}

export const DEFAULT_HISTORY_DAYS = 30;
export const DEFAULT_STEP_SECONDS = 300;

/** The window ending at the last step boundary at or before `nowSeconds`. */
export function historyWindow(nowSeconds: number, days = DEFAULT_HISTORY_DAYS, stepSeconds = DEFAULT_STEP_SECONDS): ExtractWindow {
  if (!(days > 0)) throw new Error(`history days must be > 0, got ${days}`);
  if (!(stepSeconds > 0)) throw new Error(`step must be > 0 seconds, got ${stepSeconds}`);
  return { end: Math.floor(nowSeconds / stepSeconds) * stepSeconds, days, stepSeconds };
}

export interface ToSeriesResult {
  series: ExtractedSeries[];
  /** Result series that could not be keyed (no instance label) or repeated a key; logged, not forecast. */
  dropped: { labels: Record<string, string>; reason: string }[];
}

/** A result series' labels without the metric name, as PromQL's set operators match them. */
function labelsText(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).filter(([k]) => k !== '__name__').sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Keys one query's result series; pure. `recorded or expression` returns one series in two halves that differ only
 * by `__name__` (the recorded half keeps it, the computed half has none): those are merged on the shared grid, the
 * recorded value first. A key seen twice with other labels (e.g. one host scraped by two jobs) keeps the first.
 */
export function toExtractedSeries(query: CapacityQuery, results: RangeSeries[]): ToSeriesResult {
  const out: ToSeriesResult = { series: [], dropped: [] };
  const seen = new Map<string, { labels: string; series: ExtractedSeries }>();
  for (const r of results) {
    const host = r.labels.instance;
    if (!host) {
      out.dropped.push({ labels: r.labels, reason: `${query.metric}: result series without an instance label` });
      continue;
    }
    const device = query.deviceLabel ? (r.labels[query.deviceLabel] ?? '') : '';
    const key: SeriesKey = { host, metric: query.metric, device };
    const text = seriesKeyText(key);
    const first = seen.get(text);
    if (first && first.labels === labelsText(r.labels) && first.series.values.length === r.values.length) {
      first.series.values = first.series.values.map((v, i) => v ?? r.values[i] ?? null);
      continue;
    }
    if (first) {
      out.dropped.push({ labels: r.labels, reason: `${text}: a second result series with the same host and device (kept the first)` });
      continue;
    }
    const series: ExtractedSeries = { ...key, unit: query.unit, timestamps: r.timestamps, values: r.values };
    seen.set(text, { labels: labelsText(r.labels), series });
    out.series.push(series);
  }
  return out;
}

export interface ExtractOptions {
  window: ExtractWindow;
  /** Regex on `instance` (see capacityQueries). */
  instances?: string;
  logger?: Logger;
  signal?: AbortSignal;
}

export async function extractCapacitySeries(client: PrometheusClient, options: ExtractOptions): Promise<ExtractedSeries[]> {
  const { window } = options;
  const start = window.end - window.days * 86_400;
  const all: ExtractedSeries[] = [];
  for (const query of capacityQueries(options.instances)) {
    options.signal?.throwIfAborted();
    const results = await client.queryRange(query.promql, { start, end: window.end, stepSeconds: window.stepSeconds });
    const { series, dropped } = toExtractedSeries(query, results);
    for (const d of dropped) options.logger?.warn({ labels: d.labels }, d.reason);
    options.logger?.info({ metric: query.metric, series: series.length }, 'extracted');
    all.push(...series);
  }
  return all;
}

/** Points that carry a usable value: the rest are gaps (missing, NaN, or ±Inf, which no forecast can use). */
export function observedPoints(series: Pick<ExtractedSeries, 'values'>): number {
  return series.values.reduce<number>((n, v) => (v !== null && Number.isFinite(v) ? n + 1 : n), 0);
}
