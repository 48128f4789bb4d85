/**
 * Every query of the five committed dashboards (infrastructure/grafana/dashboards/*.json), executed against the dev
 * stack loaded with the three ML jobs' real outputs (tests/support/ml-outputs.ts), as Grafana would send it for the
 * dashboard's own default time range: PromQL through Prometheus' HTTP API, Elasticsearch targets as `_msearch`
 * (tests/support/grafana-requests.ts) against this run's index families. Template variables are resolved the way
 * Grafana resolves them (label_values, Elasticsearch terms), preferring this run's values. Each query must answer
 * without error, and with data, except for the panels listed in MAY_BE_EMPTY with the reason the loaded data
 * cannot fill them. No Grafana server runs here (docs/adr/0007).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobs, metrics } from '@aiops/contracts';
import { datasourceByUid, DASHBOARDS, esMsearchBody, indexPattern, interpolate, promRequest, type EsTarget, type TimeRange } from '@aiops/mixin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchClient, deletePushgatewayGroup, type Client } from '@aiops/common';
import { datasetsAvailable } from '@aiops/datasets';
import { esTestRun } from '../support/es-test-run.ts';
import { DATASETS, MlOutputs } from '../support/ml-outputs.ts';
import { eventually, REPO_ROOT, stackAvailable, URLS } from '../support/stack.ts';

const available = (await stackAvailable('elasticsearch', 'prometheus', 'pushgateway')) && datasetsAvailable(...DATASETS);
// AIOPS_DASHBOARDS_RUN=<run id>: reuse the data an earlier run of this file kept (developing the dashboards
// without reloading for six minutes); without it, a fresh run loads everything and removes it afterwards.
const reuse = process.env.AIOPS_DASHBOARDS_RUN;
const run = esTestRun(reuse);
const outputs = new MlOutputs(run);
const end = Math.floor((Date.now() / 1000 - 60) / 300) * 300;

/** dashboard / panel title → why the loaded data leaves it empty (it must still answer without error). */
const MAY_BE_EMPTY: Record<string, string> = {
  'capacity/Disk: history and forecast': 'the Bitbrains traces carry no filesystem usage: no disk series for the backfilled hosts',
  'capacity/Disk (latest)': 'no disk series for the backfilled hosts',
  'capacity/Disk: days to exhaustion': 'no disk forecast for the backfilled hosts',
  'network/Network alerts': 'only while a network alert is pending or firing',
  'network/Host alerts': 'host alerts are rare by design (host contamination 0.001): the loaded capture may raise none',
  'logs/Agreement in spot checks': 'needs spot-check labels from the review page',
  'logs/Macro-F1: reviewed vs held-out': 'needs an imported review sheet',
};

interface Target extends EsTarget {
  datasource: { type: string; uid: string };
  expr?: string;
  instant?: boolean;
  range?: boolean;
}
interface Panel {
  title: string;
  /** Grafana's relative time override: the panel shows the last `timeFrom` up to now, whatever the dashboard's range. */
  timeFrom?: string;
  targets?: Target[];
}
interface Variable {
  name: string;
  datasource: { type: string; uid: string };
  query: string;
}
interface Dashboard {
  uid: string;
  time: { from: string; to: string };
  panels: Panel[];
  templating: { list?: Variable[] };
  annotations: { list?: { name: string; expr?: string; datasource: { uid: string } }[] };
}

const dashboards = Object.keys(DASHBOARDS).map((name) => ({
  name,
  json: JSON.parse(readFileSync(join(REPO_ROOT, `infrastructure/grafana/dashboards/${name}.json`), 'utf8')) as Dashboard,
}));

/** Grafana's relative times (now, now-24h, now+30d), against the test's clock. */
function timeRange(time: { from: string; to: string }): TimeRange {
  const at = (t: string) => {
    const m = /^now(?:([+-])(\d+)([mhd]))?$/.exec(t);
    if (!m) throw new Error(`unsupported time ${t}`);
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[3] as 'm' | 'h' | 'd'] ?? 0;
    return Date.now() + (m[1] === '-' ? -1 : 1) * Number(m[2] ?? 0) * unit;
  };
  return { from: at(time.from), to: at(time.to) };
}

function esIndex(uid: string): string {
  const ds = datasourceByUid(uid);
  if (!ds || ds.kind !== 'elasticsearch') throw new Error(`no Elasticsearch datasource with uid ${uid}`);
  return indexPattern(ds, run.prefixes);
}

async function prometheus(path: string, params: Record<string, string>): Promise<{ status: string; error?: string; data: { result: { values?: unknown[] }[] } }> {
  const res = await fetch(`${URLS.prometheus}${path}`, { method: 'POST', body: new URLSearchParams(params) });
  return (await res.json()) as never;
}

interface MsearchResponse {
  error?: unknown;
  status?: number;
  _shards?: { failed: number };
  hits?: { hits: unknown[] };
  aggregations?: Record<string, unknown>;
}

async function msearch(body: string): Promise<MsearchResponse> {
  const res = await fetch(`${URLS.elasticsearch}/_msearch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  const json = (await res.json()) as { responses?: MsearchResponse[]; error?: unknown };
  if (!res.ok || !json.responses) throw new Error(`_msearch HTTP ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return json.responses[0]!;
}

/** Some bucket with documents, or some metric with a value. */
function aggregationsHaveData(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(aggregationsHaveData);
  if (!node || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  if (typeof o.doc_count === 'number' && o.doc_count > 0 && !Object.values(o).some((v) => v && typeof v === 'object')) return true;
  if ('value' in o && o.value !== null && typeof o.value !== 'object') return true;
  return Object.values(o).some(aggregationsHaveData);
}

async function resolveVariables(d: Dashboard, range: TimeRange): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const v of d.templating.list ?? []) {
    let options: string[];
    if (v.datasource.type === 'prometheus') {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(v.query);
      if (!m) throw new Error(`${d.uid}: variable ${v.name}: unsupported query ${v.query}`);
      const params = new URLSearchParams({ 'match[]': interpolate(m[1]!, values, range), start: String(range.from / 1000), end: String(range.to / 1000) });
      const body = (await (await fetch(`${URLS.prometheus}/api/v1/label/${m[2]}/values?${params}`)).json()) as { data: string[] };
      options = body.data;
    } else {
      const q = JSON.parse(v.query) as { find: string; field: string; size?: number };
      const ds = datasourceByUid(v.datasource.uid)!;
      const timeField = ds.kind === 'elasticsearch' ? ds.timeField : '@timestamp';
      const header = JSON.stringify({ ignore_unavailable: true, index: esIndex(v.datasource.uid), search_type: 'query_then_fetch' });
      const search = JSON.stringify({ size: 0, query: { bool: { filter: { range: { [timeField]: { gte: range.from, lte: range.to, format: 'epoch_millis' } } } } }, aggs: { '1': { terms: { field: q.field, size: q.size ?? 500, order: { _key: 'asc' } } } } });
      const r = await msearch(`${header}\n${search}\n`);
      options = ((r.aggregations?.['1'] as { buckets: { key: string }[] } | undefined)?.buckets ?? []).map((b) => String(b.key));
    }
    values[v.name] = options.find((o) => o.includes(run.run)) ?? options[0] ?? '';
  }
  return values;
}

describe.skipIf(!available)('dashboard queries on the dev stack with the ML jobs\' outputs', () => {
  let client: Client;

  beforeAll(async () => {
    client = createElasticsearchClient(run.config.elasticsearch);
    if (reuse) return;
    await outputs.setup(client);
    await outputs.capacity(end); // first: Prometheus picks the backfilled blocks up within a minute
    await outputs.network(client);
    await outputs.logs(client);
    // Both backfills (counters, then gauges) must be loaded before the forecaster extracts: Prometheus picks each
    // block folder up at its own reload, so the memory series can lag the CPU ones by a minute.
    for (const metric of ['node_cpu_seconds_total', 'node_memory_MemTotal_bytes', 'node_network_receive_bytes_total']) {
      await eventually(async () => {
        const r = await prometheus('/api/v1/query', { query: `count(${metric}{instance=~"${run.run}-.*"} offset 29d)` });
        return r.data.result.length > 0 ? true : undefined;
      }, 150_000, 3_000);
    }
    await outputs.forecast(end);
    await outputs.drain();
    await eventually(async () => {
      const r = await prometheus('/api/v1/query', { query: `${metrics.jobLastSuccessTimestamp.name}{instance="${outputs.instance}",job="${jobs.forecast.name}"}` });
      return r.data.result.length > 0 ? true : undefined;
    }, 30_000, 1_000);
  }, 900_000);

  afterAll(async () => {
    if (reuse || process.env.AIOPS_KEEP_DATA === '1') {
      console.info(`kept the loaded data: rerun with AIOPS_DASHBOARDS_RUN=${run.run}`);
      return void (await client.close());
    }
    for (const job of Object.values(jobs).map((j) => j.name)) {
      await deletePushgatewayGroup(URLS.pushgateway, job, outputs.instance).catch(() => {});
    }
    await run.cleanup(client).catch(() => {});
    await client.close();
  });

  for (const { name, json } of dashboards) {
    it(`${name}: every panel query answers without error, with data where the loaded outputs have some`, async () => {
      const dashboardRange = timeRange(json.time);
      const variables = await resolveVariables(json, dashboardRange);
      for (const [v, value] of Object.entries(variables)) expect(value, `${name}: variable ${v} has no value`).not.toBe('');
      const empty: string[] = [];
      let queries = 0;
      for (const panel of json.panels) {
        const key = `${name}/${panel.title}`;
        const range = panel.timeFrom ? timeRange({ from: `now-${panel.timeFrom}`, to: 'now' }) : dashboardRange;
        let hasData = false;
        for (const target of panel.targets ?? []) {
          queries++;
          if (target.datasource.type === 'prometheus') {
            const req = promRequest({ expr: target.expr!, instant: target.instant, range: target.range }, range, variables);
            const r = await prometheus(req.path, req.params);
            expect(r.status, `${key} ${target.refId}: ${r.error} — ${req.params.query}`).toBe('success');
            hasData ||= r.data.result.length > 0;
          } else {
            const body = esMsearchBody(target, esIndex(target.datasource.uid), range, variables);
            const r = await msearch(body);
            expect(r.error, `${key} ${target.refId}: ${JSON.stringify(r.error)} — ${body}`).toBeUndefined();
            expect(r._shards?.failed ?? 0, `${key} ${target.refId}: shard failures`).toBe(0);
            hasData ||= (r.hits?.hits.length ?? 0) > 0 && !r.aggregations ? true : aggregationsHaveData(r.aggregations);
          }
        }
        if (!hasData) empty.push(key);
      }
      for (const a of json.annotations.list ?? []) {
        if (!a.expr) continue;
        const req = promRequest({ expr: a.expr, range: true }, dashboardRange, variables);
        expect((await prometheus(req.path, req.params)).status, `${name}: annotation ${a.name}`).toBe('success');
      }
      expect(queries).toBeGreaterThan(5);
      const unexpected = empty.filter((k) => !(k in MAY_BE_EMPTY));
      const filled = Object.keys(MAY_BE_EMPTY).filter((k) => k.startsWith(`${name}/`) && !empty.includes(k));
      if (filled.length > 0) console.info(`${name}: listed as possibly empty but with data: ${filled.join(', ')}`);
      expect(unexpected, `${name}: panels without data (variables ${JSON.stringify(variables)})`).toEqual([]);
      console.info(`${name}: ${queries} queries, ${json.panels.length - empty.length}/${json.panels.length} panels with data; empty as expected: ${empty.join(', ') || 'none'}`);
    }, 120_000);
  }
});
