/**
 * What Grafana (10+) sends for a dashboard's targets, built here because no Grafana server can run on this
 * machine (docs/adr/0007): template variables and $__ macros interpolated; PromQL as query_range / query;
 * Elasticsearch targets as one `_msearch` line pair — a header with the datasource's index and
 * `ignore_unavailable`, and a body with the time-range filter + Lucene `query_string` and the aggregations nested
 * in bucketAggs order (or, for raw data, a sorted `size` search). The shape follows Grafana's backend request
 * golden files (pkg/tsdb/elasticsearch/testdata_request), written from their JSON, not from its code.
 */

export interface TimeRange {
  /** epoch ms */
  from: number;
  to: number;
}

interface EsMetric {
  id: string;
  type: string;
  field?: string;
  settings?: Record<string, string>;
}

interface EsBucketAgg {
  id: string;
  type: 'date_histogram' | 'terms' | 'histogram' | 'filters' | 'geohash_grid' | 'nested';
  field?: string;
  settings?: Record<string, string>;
}

export interface EsTarget {
  refId: string;
  query?: string;
  timeField?: string;
  metrics?: EsMetric[];
  bucketAggs?: EsBucketAgg[];
}

const NICE_INTERVALS_S = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];

/** Grafana's `$__interval` for a panel: the range over its max data points, rounded up to a round interval. */
function autoIntervalSeconds(range: TimeRange, maxDataPoints = 1000, minSeconds = 15): number {
  const raw = Math.max((range.to - range.from) / 1000 / maxDataPoints, minSeconds);
  return NICE_INTERVALS_S.find((s) => s >= raw) ?? NICE_INTERVALS_S[NICE_INTERVALS_S.length - 1]!;
}

function durationText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * Replaces `${name:regex}`, `${name}` and `$name` (longest names first) and Grafana's macros. Values are used
 * verbatim (a single-valued variable); `:regex` escapes regex metacharacters as Grafana does.
 */
export function interpolate(text: string, variables: Record<string, string>, range: TimeRange, scrapeIntervalSeconds = 15): string {
  const interval = autoIntervalSeconds(range, 1000, scrapeIntervalSeconds);
  const macros: Record<string, string> = {
    __rate_interval: durationText(Math.max(interval + scrapeIntervalSeconds, 4 * scrapeIntervalSeconds)),
    __interval: durationText(interval),
    __range: durationText(Math.round((range.to - range.from) / 1000)),
  };
  const all = { ...macros, ...variables };
  let out = text.replace(/\$\{(\w+)(?::(\w+))?\}/g, (m, name: string, format?: string) => {
    const value = all[name];
    if (value === undefined) return m;
    return format === 'regex' ? value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : value;
  });
  for (const name of Object.keys(all).sort((a, b) => b.length - a.length)) out = out.split(`$${name}`).join(all[name]!);
  return out;
}

const RAW_TYPES = new Set(['raw_data', 'raw_document', 'logs']);
const METRIC_AGG: Record<string, string> = { avg: 'avg', max: 'max', min: 'min', sum: 'sum', cardinality: 'cardinality', extended_stats: 'extended_stats', percentiles: 'percentiles' };

function bucketAggregation(agg: EsBucketAgg, timeField: string, range: TimeRange): Record<string, unknown> {
  const s = agg.settings ?? {};
  switch (agg.type) {
    case 'date_histogram': {
      const interval = !s.interval || s.interval === 'auto' ? durationText(autoIntervalSeconds(range)) : s.interval;
      return {
        date_histogram: {
          field: agg.field ?? timeField,
          fixed_interval: interval,
          min_doc_count: Number(s.min_doc_count ?? 0),
          extended_bounds: { min: range.from, max: range.to },
          format: 'epoch_millis',
        },
      };
    }
    case 'terms': {
      const orderBy = s.orderBy === '_term' ? '_key' : (s.orderBy ?? '_count');
      return {
        terms: {
          field: agg.field,
          size: Number(s.size ?? 10),
          order: { [orderBy]: s.order ?? 'desc' },
          ...(s.min_doc_count !== undefined ? { min_doc_count: Number(s.min_doc_count) } : {}),
          ...(s.missing !== undefined ? { missing: s.missing } : {}),
        },
      };
    }
    case 'histogram':
      return { histogram: { field: agg.field, interval: Number(s.interval ?? 1000), min_doc_count: Number(s.min_doc_count ?? 0) } };
    default:
      throw new Error(`bucket aggregation ${agg.type} is not used by our dashboards; add it here first`);
  }
}

function metricAggregations(metrics: EsMetric[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of metrics) {
    if (m.type === 'count') continue; // doc_count of the bucket
    const op = METRIC_AGG[m.type === 'unique_count' ? 'cardinality' : m.type];
    if (!op) throw new Error(`metric ${m.type} is not used by our dashboards; add it here first`);
    out[m.id] = { [op]: { field: m.field } };
  }
  return out;
}

/** The `_msearch` body Grafana sends for one Elasticsearch target (header line + search line, NDJSON). */
export function esMsearchBody(target: EsTarget, index: string, range: TimeRange, variables: Record<string, string>): string {
  const timeField = target.timeField ?? '@timestamp';
  const rangeFilter = { range: { [timeField]: { gte: range.from, lte: range.to, format: 'epoch_millis' } } };
  const query = interpolate(target.query ?? '', variables, range).trim();
  const filter = query && query !== '*' ? [rangeFilter, { query_string: { analyze_wildcard: true, query } }] : rangeFilter;
  const metrics = target.metrics ?? [{ id: '1', type: 'count' }];
  const header = { ignore_unavailable: true, index, search_type: 'query_then_fetch' };
  let body: Record<string, unknown>;
  if (RAW_TYPES.has(metrics[0]!.type)) {
    body = {
      size: Number(metrics[0]!.settings?.size ?? 500),
      query: { bool: { filter } },
      sort: [{ [timeField]: { order: 'desc', unmapped_type: 'boolean' } }, { _doc: { order: 'desc' } }],
      docvalue_fields: [timeField],
      script_fields: {},
      fields: [{ field: timeField, format: 'strict_date_optional_time_nanos' }],
    };
  } else {
    // innermost bucket first: the metrics hang under the last bucket aggregation
    let aggs: Record<string, unknown> = metricAggregations(metrics);
    for (const agg of [...(target.bucketAggs ?? [])].reverse()) {
      const node: Record<string, unknown> = bucketAggregation(agg, timeField, range);
      if (Object.keys(aggs).length > 0) node.aggs = aggs;
      aggs = { [agg.id]: node };
    }
    body = { size: 0, query: { bool: { filter } }, ...(Object.keys(aggs).length > 0 ? { aggs } : {}) };
  }
  return `${JSON.stringify(header)}\n${JSON.stringify(body)}\n`;
}

export interface PromRequest {
  path: '/api/v1/query' | '/api/v1/query_range';
  params: Record<string, string>;
}

/** The Prometheus API call for a target: instant at the range's end, or a range with Grafana's step. */
export function promRequest(target: { expr: string; instant?: boolean; range?: boolean }, range: TimeRange, variables: Record<string, string>, scrapeIntervalSeconds = 15): PromRequest {
  const query = interpolate(target.expr, variables, range, scrapeIntervalSeconds);
  if (target.instant && !target.range) return { path: '/api/v1/query', params: { query, time: String(range.to / 1000) } };
  const step = autoIntervalSeconds(range, 1000, scrapeIntervalSeconds);
  return { path: '/api/v1/query_range', params: { query, start: String(range.from / 1000), end: String(range.to / 1000), step: String(step) } };
}
