/**
 * `setupElasticsearch` against the real server: templates installed, a rerun changes nothing, a daily index gets
 * our mappings even where a data-stream template at the built-in priority also matches, retention deletes only
 * old daily indices. Every name carries this run's prefix (`it-<hex>-…`) and is deleted afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@aiops/common';
import {
  buildIndexTemplates,
  createElasticsearchClient,
  dailyIndexName,
  deleteIndicesOlderThan,
  documentId,
  hasIlm,
  setupElasticsearch,
  writeBulk,
  type Client,
} from '@aiops/common';
import { esTestRun } from '../support/es-test-run.ts';
import { stackAvailable } from '../support/stack.ts';

const available = await stackAvailable('elasticsearch');
const testRun = esTestRun();
const { run: RUN, prefixes } = testRun;
const logger = createLogger('es-setup-test', 'silent');
const config = testRun.config;
/** Stands in for a stock cluster's `logs-*-*` data-stream template (this build ships none) for our prefix. */
const BUILT_IN_IMITATION = `${RUN}-imitation-of-builtin-logs`;

describe.skipIf(!available)('Elasticsearch setup (real server)', () => {
  let client: Client;

  beforeAll(() => {
    client = createElasticsearchClient(config.elasticsearch);
  });

  afterAll(async () => {
    await testRun.cleanup(client);
    await client.close();
  });

  it('installs every template on the first run and reports the rerun as unchanged', async () => {
    const first = await setupElasticsearch(client, config, logger, { prefixes });
    expect(first.templates.map((t) => [t.name, t.action])).toEqual(buildIndexTemplates({ prefixes, numberOfShards: 1, numberOfReplicas: 0 }).map((t) => [t.name, 'created']));
    const installed = await client.indices.getIndexTemplate({ name: `aiops-${RUN}-*` });
    expect(installed.index_templates).toHaveLength(16);
    for (const t of installed.index_templates) {
      // the catch-all for other Zeek paths sits below the families of their own
      expect(t.index_template.priority).toBe(t.name.endsWith('-zeek-other') ? 150 : 200);
      expect(t.index_template._meta).toMatchObject({ managed_by: 'aiops', version: 1 });
    }
    const second = await setupElasticsearch(client, config, logger, { prefixes });
    expect(new Set(second.templates.map((t) => t.action))).toEqual(new Set(['unchanged']));
  });

  it('maps a Zeek path of its own (files) from its family, any other (known_hosts) with strings as keywords', async () => {
    await setupElasticsearch(client, config, logger, { prefixes });
    const files = `${RUN}-zeek-files-2026.12.03`;
    const other = `${RUN}-zeek-known_hosts-2026.12.03`;
    await client.index({ index: files, id: 'f1', document: { ts: 1764738000.5, fuid: 'F1', mime_type: 'text/plain', seen_bytes: 12, tx_hosts: ['10.77.0.20'] }, refresh: true });
    await client.index({ index: other, id: 'k1', document: { ts: 1764738000.5, host: '10.77.0.20', note: '2026-12-03 looks like a date', n: 3 }, refresh: true });
    const mapping = await client.indices.getMapping({ index: [files, other] });
    expect(mapping[files]!.mappings.properties).toMatchObject({ fuid: { type: 'keyword' }, seen_bytes: { type: 'long' }, tx_hosts: { type: 'ip' } });
    expect(mapping[other]!.mappings.properties).toMatchObject({ ts: { type: 'date' }, host: { type: 'keyword' }, note: { type: 'keyword' }, n: { type: 'long' } });
    const found = await client.count({ index: other, query: { term: { note: '2026-12-03 looks like a date' } } });
    expect(found.count).toBe(1); // a keyword matches the whole value
  });

  it('reports a changed setting as updated, and the change back as updated again', async () => {
    const changed = { ...config, elasticsearch: { ...config.elasticsearch, numberOfShards: 2 } };
    expect(new Set((await setupElasticsearch(client, changed, logger, { prefixes })).templates.map((t) => t.action))).toEqual(new Set(['updated']));
    const template = await client.indices.getIndexTemplate({ name: `aiops-${RUN}-logs` });
    expect(template.index_templates[0]!.index_template.template?.settings?.index?.number_of_shards).toBe('2');
    expect(new Set((await setupElasticsearch(client, config, logger, { prefixes })).templates.map((t) => t.action))).toEqual(new Set(['updated']));
  });

  it('skips the ILM policy on a cluster without ILM (this build) and says so in the report', async () => {
    const report = await setupElasticsearch(client, config, logger, { prefixes });
    expect(report.ilm.available).toBe(await hasIlm(client));
    if (!report.ilm.available) {
      const template = await client.indices.getIndexTemplate({ name: `aiops-${RUN}-logs` });
      expect(template.index_templates[0]!.index_template.template?.settings?.index?.lifecycle).toBeUndefined();
    }
  });

  it('gives logs-classified-<day> our mappings as a plain index, outranking a data-stream template at priority 100', async () => {
    await client.indices.putIndexTemplate({
      name: BUILT_IN_IMITATION,
      index_patterns: [`${prefixes.logs}-*-*`],
      priority: 100,
      data_stream: {},
      template: { mappings: { properties: { '@timestamp': { type: 'date' } } } },
    });
    const name = dailyIndexName(prefixes.logsClassified, '2026-11-24T12:00:00Z');
    // Simulated first: should ours ever lose, a real write would create a data stream this build cannot delete.
    const simulated = await client.indices.simulateIndexTemplate({ name });
    expect(simulated.overlapping?.map((o) => o.name)).toContain(BUILT_IN_IMITATION);
    expect(simulated.template.mappings?.properties?.ml_category).toEqual({ type: 'keyword' });

    const doc = { '@timestamp': '2026-11-24T12:00:00Z', message: 'disk full', ml_category: 'critical', ml_confidence: 0.93, ml_review: false };
    const result = await writeBulk(client, config, logger, [{ index: name, id: documentId('x'), document: doc }], { job: RUN, refresh: true });
    expect(result).toMatchObject({ written: 1, deadLettered: 0 });
    const resolved = await client.indices.resolveIndex({ name });
    expect(resolved).toMatchObject({ indices: [{ name }], data_streams: [] });
    const mapping = await client.indices.getMapping({ index: name });
    const props = mapping[name]!.mappings.properties!;
    expect(props.ml_category).toEqual({ type: 'keyword' });
    expect(props.ml_confidence).toEqual({ type: 'float' });
    expect(props.message).toEqual({ type: 'text' });
    expect(mapping[name]!.mappings.dynamic).toBe('false');
    const hits = await client.search({ index: name, query: { term: { ml_category: 'critical' } } });
    expect(hits.hits.hits).toHaveLength(1);
    await client.indices.deleteIndexTemplate({ name: BUILT_IN_IMITATION });
  });

  it('retention deletes only the family’s daily indices older than N days, nothing that does not parse', async () => {
    const names = [
      `${prefixes.logs}-2026.10.01`,
      `${prefixes.logs}-2026.10.24`,
      `${prefixes.logs}-2026.10.25`,
      `${prefixes.logs}-2026.11.24`,
      `${prefixes.logs}-restored`,
      `${prefixes.logsClassified}-2026.10.01`,
      `${prefixes.forecasts}-2026.10.01`,
    ];
    for (const index of names) await client.indices.create({ index });
    const deleted = await deleteIndicesOlderThan(client, prefixes.logs, 30, new Date('2026-11-24T08:00:00Z'));
    expect(deleted).toEqual([`${prefixes.logs}-2026.10.01`, `${prefixes.logs}-2026.10.24`, `${prefixes.logsClassified}-2026.10.01`]);
    const left = (await client.cat.indices({ index: `${RUN}-*`, h: 'index', format: 'json' })).map((r) => r.index);
    expect(left).toEqual(expect.arrayContaining([`${prefixes.logs}-2026.10.25`, `${prefixes.logs}-2026.11.24`, `${prefixes.logs}-restored`, `${prefixes.forecasts}-2026.10.01`]));
    for (const gone of deleted) expect(left).not.toContain(gone);
    // A rerun finds nothing more to delete.
    expect(await deleteIndicesOlderThan(client, prefixes.logs, 30, new Date('2026-11-24T08:00:00Z'))).toEqual([]);
  });
});
