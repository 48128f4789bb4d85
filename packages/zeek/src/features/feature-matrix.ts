/**
 * Zeek conn records → a row-major feature matrix (Float64Array, rows × columns) with its column names, the input
 * of the Isolation Forest. Two feature sets:
 * - `basic`: per-connection features only (connection-features.ts); a row depends on its record alone.
 * - `aggregates`: 8 of the per-connection columns + per-originator/responder/pair context at the connection's time
 *   (window-aggregates.ts); a row depends on the records before it, so score a contiguous stretch of traffic, not a
 *   sample of it. Fewer columns than basic + context on purpose: a forest picks a random column per split, so every
 *   weakly relevant column dilutes the ones that carry an attack. The per-connection columns left out were measured
 *   on the validation rotation (docs/evaluation/network.md) to carry nothing the context does not: packet counts
 *   (follow the bytes), duration_unset and conn_state_failed (follow conn_state_progress), the http/other/none
 *   service flags, day_of_week (a few training days cover a few weekdays only).
 */
import type { ConnRecord } from '../conn-record.ts';
import { CONNECTION_FEATURE_NAMES, writeConnectionFeatures } from './connection-features.ts';
import { AGGREGATE_FEATURE_NAMES, writeAggregateFeatures, type AggregateOptions } from './window-aggregates.ts';

export const FEATURE_SETS = ['basic', 'aggregates'] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];

export interface FeatureOptions extends AggregateOptions {
  featureSet: FeatureSet;
}

export interface FeatureMatrix {
  /** Row-major: row i, column j at data[i * columns + j]. Row i belongs to records[i]. */
  data: Float64Array;
  rows: number;
  columns: number;
  names: readonly string[];
}

/** The per-connection columns the `aggregates` set keeps (see the header). */
export const AGGREGATES_CONNECTION_COLUMNS = [
  'log_duration',
  'log_orig_bytes',
  'log_resp_bytes',
  'log_orig_ip_bytes_per_s',
  'service_dns',
  'service_ssl',
  'conn_state_progress',
  'hour_of_day',
] as const satisfies readonly (typeof CONNECTION_FEATURE_NAMES)[number][];

const KEPT_CONNECTION_INDICES = AGGREGATES_CONNECTION_COLUMNS.map((name) => CONNECTION_FEATURE_NAMES.indexOf(name));

export function featureNames(featureSet: FeatureSet): readonly string[] {
  return featureSet === 'basic' ? CONNECTION_FEATURE_NAMES : [...AGGREGATES_CONNECTION_COLUMNS, ...AGGREGATE_FEATURE_NAMES];
}

export function isFeatureSet(value: string): value is FeatureSet {
  return (FEATURE_SETS as readonly string[]).includes(value);
}

export function buildFeatureMatrix(records: readonly ConnRecord[], options: FeatureOptions): FeatureMatrix {
  const names = featureNames(options.featureSet);
  const columns = names.length;
  const data = new Float64Array(records.length * columns);
  if (options.featureSet === 'basic') {
    records.forEach((record, i) => writeConnectionFeatures(record, data, i * columns));
  } else {
    const scratch = new Float64Array(CONNECTION_FEATURE_NAMES.length);
    records.forEach((record, i) => {
      writeConnectionFeatures(record, scratch, 0);
      KEPT_CONNECTION_INDICES.forEach((from, to) => (data[i * columns + to] = scratch[from]!));
    });
    writeAggregateFeatures(records, data, columns, AGGREGATES_CONNECTION_COLUMNS.length, options);
  }
  return { data, rows: records.length, columns, names };
}

/** Row i of the matrix as a fresh array (for explanations and tests). */
export function featureRow(matrix: FeatureMatrix, row: number): number[] {
  return Array.from(matrix.data.subarray(row * matrix.columns, (row + 1) * matrix.columns));
}
