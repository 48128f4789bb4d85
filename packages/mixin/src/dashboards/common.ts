/**
 * Query and panel factories shared by the five dashboards (grafana-foundation-sdk's example layout: common.ts holds
 * the factories, one module per dashboard assembles them).
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as commonSdk from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as elasticsearch from '@grafana/grafana-foundation-sdk/elasticsearch';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS, type ElasticsearchDatasource } from './datasources.ts';

const DASHBOARD_TAG = 'aiops';

/** Stable uids: links between dashboards and from the runbook use them. */
export const UIDS = {
  overview: 'aiops-overview',
  capacity: 'aiops-capacity',
  network: 'aiops-network',
  logs: 'aiops-logs',
  host: 'aiops-host',
} as const;

export const PROMETHEUS_REF = { type: 'prometheus', uid: PROMETHEUS.uid };
export function esRef(ds: ElasticsearchDatasource) {
  return { type: 'elasticsearch', uid: ds.uid };
}

// ------------------------------------------------------------------------------------------------- Prometheus
export interface PromOptions {
  legend?: string;
  instant?: boolean;
  refId?: string;
  /** Table-shaped result (format: table) for table panels. */
  table?: boolean;
}

export function promQuery(expr: string, options: PromOptions = {}): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder().datasource(PROMETHEUS_REF).expr(expr).refId(options.refId ?? 'A');
  if (options.legend !== undefined) q.legendFormat(options.legend);
  if (options.instant) q.instant();
  else q.range();
  if (options.table) q.format(prometheus.PromQueryFormat.Table);
  return q;
}

// ---------------------------------------------------------------------------------------------- Elasticsearch
type Metric = cog.Builder<elasticsearch.MetricAggregation>;
type Bucket = cog.Builder<elasticsearch.BucketAggregation>;

/**
 * The SDK's metric builders (CountBuilder, AverageBuilder, MaxBuilder, RawDataBuilder, 0.0.21) emit
 * `type: "unknown"`: Grafana would send no aggregation for them. The metrics are written by hand.
 */
function metric(value: elasticsearch.MetricAggregation): Metric {
  return { build: () => value };
}

export function count(id = '1'): Metric {
  return metric({ type: 'count', id } as elasticsearch.MetricAggregation);
}

export function average(field: string, id: string): Metric {
  return metric({ type: 'avg', id, field } as elasticsearch.MetricAggregation);
}

export function maximum(field: string, id: string): Metric {
  return metric({ type: 'max', id, field } as elasticsearch.MetricAggregation);
}

export function rawData(size = 500, id = '1'): Metric {
  return metric({ type: 'raw_data', id, settings: { size: String(size) } } as elasticsearch.MetricAggregation);
}

export function dateHistogram(field: string, interval = 'auto', id = '2'): Bucket {
  return new elasticsearch.DateHistogramBuilder().id(id).field(field).settings({ interval, min_doc_count: '0' });
}

export function terms(field: string, size: number, id = '3', orderBy = '_count'): Bucket {
  return new elasticsearch.TermsBuilder()
    .id(id)
    .field(field)
    .settings({ size: String(size), order: elasticsearch.TermsOrder.Desc, orderBy, min_doc_count: '1' });
}

export function histogram(field: string, interval: number, id = '2'): Bucket {
  return new elasticsearch.HistogramBuilder().id(id).field(field).settings({ interval: String(interval), min_doc_count: '0' });
}

export interface EsQuery {
  /** Lucene query string ('' = all documents). */
  query: string;
  metrics: Metric[];
  buckets?: Bucket[];
  refId?: string;
  alias?: string;
}

export function esQuery(ds: ElasticsearchDatasource, q: EsQuery): elasticsearch.DataqueryBuilder {
  const b = new elasticsearch.DataqueryBuilder()
    .datasource(esRef(ds))
    .refId(q.refId ?? 'A')
    .query(q.query)
    .timeField(ds.timeField)
    .metrics(q.metrics)
    .bucketAggs(q.buckets ?? []);
  if (q.alias) b.alias(q.alias);
  return b;
}

// --------------------------------------------------------------------------------------------------- layout
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Links in every dashboard's header: the other aiops dashboards, keeping the time range and variables. */
function dashboardLinks(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('AIOps dashboards')
    .type(dashboard.DashboardLinkType.Dashboards)
    .tags([DASHBOARD_TAG])
    .asDropdown(true)
    .keepTime(true)
    .includeVars(false);
}

export function dashboardUrl(uid: string, params = ''): string {
  return `/d/${uid}${params ? `?${params}` : ''}`;
}

/** A dashboard with the house settings: tag, UTC, refresh, link menu. */
export function baseDashboard(uid: string, title: string, description: string, from: string): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([DASHBOARD_TAG])
    .timezone('utc')
    .refresh('1m')
    .time({ from, to: 'now' })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .readonly()
    .link(dashboardLinks());
}

export const CATEGORY_COLORS: Record<string, string> = {
  critical: 'red',
  warning: 'orange',
  informational: 'blue',
  noise: 'gray',
};

// --------------------------------------------------------------------------------------------------- panels

type Target = cog.Builder<cog.Dataquery>;

interface PanelOptions {
  description: string;
  unit?: string;
  /** A header link to another dashboard (or any URL). */
  link?: { title: string; url: string };
}

function panelLinks(options: PanelOptions) {
  return options.link ? [new dashboard.DashboardLinkBuilder(options.link.title).url(options.link.url).type(dashboard.DashboardLinkType.Link)] : [];
}

export function thresholds(...steps: [value: number | null, color: string][]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

export interface StatOptions extends PanelOptions {
  /** How the panel reduces each series to one number: lastNotNull for gauges, sum for counts per bucket. */
  reduce?: 'lastNotNull' | 'sum' | 'max' | 'min';
  sparkline?: boolean;
  noValue?: string;
  thresholds?: dashboard.ThresholdsConfigBuilder;
}

export function statPanel(title: string, box: Box, targets: Target[], options: StatOptions): stat.PanelBuilder {
  const p = new stat.PanelBuilder()
    .title(title)
    .description(options.description)
    .gridPos(box)
    .targets(targets)
    .links(panelLinks(options))
    .reduceOptions(new commonSdk.ReduceDataOptionsBuilder().calcs([options.reduce ?? 'lastNotNull']).values(false))
    .graphMode(options.sparkline ? commonSdk.BigValueGraphMode.Area : commonSdk.BigValueGraphMode.None)
    .colorMode(commonSdk.BigValueColorMode.Value);
  if (options.unit) p.unit(options.unit);
  if (options.noValue) p.noValue(options.noValue);
  if (options.thresholds) p.thresholds(options.thresholds);
  return p;
}

export interface TimeseriesOptions extends PanelOptions {
  stacked?: boolean;
  bars?: boolean;
  /** Series name → colour (e.g. the log categories). */
  colors?: Record<string, string>;
  thresholds?: dashboard.ThresholdsConfigBuilder;
  min?: number;
  max?: number;
}

export function timeseriesPanel(title: string, box: Box, targets: Target[], options: TimeseriesOptions): timeseries.PanelBuilder {
  const p = new timeseries.PanelBuilder()
    .title(title)
    .description(options.description)
    .gridPos(box)
    .targets(targets)
    .links(panelLinks(options))
    .legend(new commonSdk.VizLegendOptionsBuilder().showLegend(true).displayMode(commonSdk.LegendDisplayMode.List).placement(commonSdk.LegendPlacement.Bottom))
    .tooltip(new commonSdk.VizTooltipOptionsBuilder().mode(commonSdk.TooltipDisplayMode.Multi).sort(commonSdk.SortOrder.Descending));
  if (options.unit) p.unit(options.unit);
  if (options.min !== undefined) p.min(options.min);
  if (options.max !== undefined) p.max(options.max);
  if (options.stacked) p.stacking(new commonSdk.StackingConfigBuilder().mode(commonSdk.StackingMode.Normal)).fillOpacity(60);
  if (options.bars) p.drawStyle(commonSdk.GraphDrawStyle.Bars).fillOpacity(80);
  if (options.thresholds) {
    p.thresholds(options.thresholds).thresholdsStyle(new commonSdk.GraphThresholdsStyleConfigBuilder().mode(commonSdk.GraphThresholdsStyleMode.Dashed));
  }
  for (const [name, color] of Object.entries(options.colors ?? {})) {
    p.overrideByName(name, [{ id: 'color', value: { mode: 'fixed', fixedColor: color } }]);
  }
  return p;
}
