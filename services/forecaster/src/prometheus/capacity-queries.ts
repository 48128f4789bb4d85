/**
 * The PromQL the forecaster reads (docs/contracts.md § "PromQL the forecaster reads"), one query per capacity
 * metric, and how each result series maps to a forecast series: host = `instance`, device = the label that tells
 * several series of one host apart (mountpoint for disk, device for network, none for CPU and memory).
 *
 * Each query reads the recording rule's name where it exists and falls back to the expression itself:
 * `<recorded> or <expression>` (@aiops/contracts capacitySeries). The recorded series keeps the expression's labels,
 * so `or` returns each series once, per step: the precomputed one since the rule runs, the expression for older
 * history (before the rule was deployed, or backfilled raw counters).
 *
 * Without an instance filter the expression part is the contract's text exactly. With one (`--instances <regex>`),
 * an `instance=~"<regex>"` matcher is added to every selector, so one ML node can take a share of the fleet and a
 * test can restrict a run to its own backfilled hosts.
 */
import { capacitySeries } from '@aiops/contracts';

export type CapacityMetric = 'cpu' | 'memory' | 'disk' | 'network';

export const CAPACITY_METRICS: readonly CapacityMetric[] = ['cpu', 'memory', 'disk', 'network'];

export interface CapacityQuery {
  metric: CapacityMetric;
  /** percent: bounded to 0..100 and checked against the 85/95 % thresholds; bytes_per_second: forecast only. */
  unit: 'percent' | 'bytes_per_second';
  /** Result label that becomes the `device` label (absent for per-host metrics). */
  deviceLabel?: 'mountpoint' | 'device';
  promql: string;
}

/** A PromQL double-quoted string: JSON's escapes (\" \\ \n \uXXXX) are valid Go/PromQL string escapes. */
function promqlString(value: string): string {
  return JSON.stringify(value);
}

/** `name{m1,m2}` or bare `name` when there is no matcher, so the unfiltered text equals the contract's. */
function selector(name: string, matchers: string[]): string {
  return matchers.length === 0 ? name : `${name}{${matchers.join(',')}}`;
}

/** Checks the regex locally so a typo fails with a clear message instead of a Prometheus bad_data error. */
export function instanceMatchers(instanceRegex: string | undefined): string[] {
  if (instanceRegex === undefined || instanceRegex === '') return [];
  try {
    new RegExp(`^(?:${instanceRegex})$`);
  } catch (err) {
    throw new Error(`--instances: not a valid regular expression "${instanceRegex}" (${(err as Error).message})`);
  }
  return [`instance=~${promqlString(instanceRegex)}`];
}

/** The raw expressions, with the instance matchers in every selector. */
function capacityExpressions(m: string[]): CapacityQuery[] {
  return [
    {
      metric: 'cpu',
      unit: 'percent',
      promql: `100 * (1 - avg by (instance) (rate(${selector('node_cpu_seconds_total', ['mode="idle"', ...m])}[5m])))`,
    },
    {
      metric: 'memory',
      unit: 'percent',
      promql: `100 * (1 - ${selector('node_memory_MemAvailable_bytes', m)} / ${selector('node_memory_MemTotal_bytes', m)})`,
    },
    {
      metric: 'disk',
      unit: 'percent',
      deviceLabel: 'mountpoint',
      promql:
        `100 * (1 - ${selector('node_filesystem_avail_bytes', ['fstype!~"tmpfs|overlay"', ...m])}` +
        ` / ${selector('node_filesystem_size_bytes', m)})`,
    },
    {
      metric: 'network',
      unit: 'bytes_per_second',
      deviceLabel: 'device',
      promql:
        `rate(${selector('node_network_receive_bytes_total', m)}[5m])` +
        ` + rate(${selector('node_network_transmit_bytes_total', m)}[5m])`,
    },
  ];
}

export function capacityQueries(instanceRegex?: string): CapacityQuery[] {
  const m = instanceMatchers(instanceRegex);
  return capacityExpressions(m).map((q) => ({ ...q, promql: `${selector(capacitySeries[q.metric].recorded, m)} or ${q.promql}` }));
}

/** Identifies one forecast series everywhere: gauges, `forecasts-*` documents, files, model records. */
export interface SeriesKey {
  host: string;
  metric: CapacityMetric;
  /** Mountpoint or network device; '' for CPU and memory (Prometheus treats an empty label as absent). */
  device: string;
}

export function seriesKeyText(key: SeriesKey): string {
  return key.device ? `${key.host} ${key.metric} ${key.device}` : `${key.host} ${key.metric}`;
}
