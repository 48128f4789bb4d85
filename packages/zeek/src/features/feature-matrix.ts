/**
 * Zeek conn records → a row-major feature matrix (Float64Array, rows × columns) with its column names, the input
 * of the Isolation Forest. Two feature sets:
 * - `basic`: per-connection features only (connection-features.ts); a row depends on its record alone.
 * - `aggregates`: basic + per-originator/responder/pair context at the connection's time (window-aggregates.ts);
 *   a row depends on the records before it, so score a contiguous stretch of traffic, not a sample of it.
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

export function featureNames(featureSet: FeatureSet): readonly string[] {
  return featureSet === 'basic' ? CONNECTION_FEATURE_NAMES : [...CONNECTION_FEATURE_NAMES, ...AGGREGATE_FEATURE_NAMES];
}

export function isFeatureSet(value: string): value is FeatureSet {
  return (FEATURE_SETS as readonly string[]).includes(value);
}

export function buildFeatureMatrix(records: readonly ConnRecord[], options: FeatureOptions): FeatureMatrix {
  const names = featureNames(options.featureSet);
  const columns = names.length;
  const data = new Float64Array(records.length * columns);
  records.forEach((record, i) => writeConnectionFeatures(record, data, i * columns));
  if (options.featureSet === 'aggregates') {
    writeAggregateFeatures(records, data, columns, CONNECTION_FEATURE_NAMES.length, options);
  }
  return { data, rows: records.length, columns, names };
}

/** Row i of the matrix as a fresh array (for explanations and tests). */
export function featureRow(matrix: FeatureMatrix, row: number): number[] {
  return Array.from(matrix.data.subarray(row * matrix.columns, (row + 1) * matrix.columns));
}
