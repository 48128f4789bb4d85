/**
 * One integration test file's private corner of the shared dev Elasticsearch: a random run id that prefixes every
 * index family and template it creates, a config pointing at the dev node, and a cleanup that removes them all.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '@aiops/common';
import { DEFAULT_INDEX_PREFIXES, type Client, type IndexPrefixes } from '@aiops/common';
import { URLS } from './stack.ts';

export interface EsTestRun {
  run: string;
  prefixes: IndexPrefixes;
  config: Config;
  /** Deletes every index and index template whose name carries the run id. */
  cleanup(client: Client): Promise<void>;
}

/** `run`: reuse a given id (a test's developer mode that keeps its data between runs); default a fresh random one.
 * `env`: more configuration (e.g. another cluster's AIOPS_ES_URLS and AIOPS_ES_REPLICAS). */
export function esTestRun(run = `it-${randomBytes(3).toString('hex')}`, env: Record<string, string> = {}): EsTestRun {
  const prefixes = Object.fromEntries(
    Object.entries(DEFAULT_INDEX_PREFIXES).map(([family, prefix]) => [family, `${run}-${prefix}`]),
  ) as unknown as IndexPrefixes;
  const config = loadConfig({
    env: { AIOPS_ES_URLS: URLS.elasticsearch, AIOPS_ES_INDEX_PREFIX: `${run}-`, AIOPS_DEAD_LETTER_DIR: mkdtempSync(join(tmpdir(), `${run}-dl-`)), ...env },
  });
  const cleanup = async (client: Client): Promise<void> => {
    const rows = await client.cat.indices({ index: `${run}-*`, h: 'index', format: 'json', expand_wildcards: ['open', 'closed'] });
    const names = rows.map((r) => r.index).filter((n): n is string => Boolean(n));
    if (names.length > 0) await client.indices.delete({ index: names });
    const templates = await client.indices.getIndexTemplate({ name: `*${run}*` }).catch(() => ({ index_templates: [] }));
    for (const t of templates.index_templates) await client.indices.deleteIndexTemplate({ name: t.name });
  };
  return { run, prefixes, config, cleanup };
}
