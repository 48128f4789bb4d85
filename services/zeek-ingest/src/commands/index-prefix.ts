import { InvalidArgumentError } from 'commander';

/** Indices are <prefix>-<log path>-YYYY.MM.DD; in Elasticsearch mode behind elasticsearch.indexNamePrefix. */
export const DEFAULT_INDEX_PREFIX = 'zeek';

export function indexPrefix(value: string): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(value)) throw new InvalidArgumentError('expected a lowercase index name start, e.g. "zeek"');
  return value;
}
