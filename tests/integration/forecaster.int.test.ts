/**
 * The forecaster's Prometheus side end to end on the dev stack, with real data:
 *   30 days of two Bitbrains VMs' CPU % (../shared/data/bitbrains-gwa-t-12-rnd) — VM 333 with an added linear
 *   trend of +65 points over the 30 days (so its forecast crosses 95 % within days), VM 269 as it is (≈ 4 %) —
 *   are backfilled with promtool as node_exporter-shaped `node_cpu_seconds_total{mode="idle"}` counters (so the
 *   contract's own PromQL, rate(...[5m]), runs on them unchanged, rather than pre-recorded names that would bypass
 *   it) → `forecaster forecast` (real core) → metrics outbox → `pushgateway-exporter drain` → Pushgateway →
 *   Prometheus: days_to_exhaustion read back through PromQL, the capacity alert rule evaluated by Prometheus, and
 *   the curves in forecasts-* (a per-test index prefix).
 *
 * The alert rules are loaded as infrastructure/prometheus/rules/capacity.rules.yml with only their `for:`
 * durations set to 0s (the `for:` timing is pinned by the promtool unit tests, forecaster-rules.int.test.ts), so
 * "fires" can be seen within the test instead of after 30 minutes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElasticsearchClient, deletePushgatewayGroup, PrometheusClient } from '@aiops/common';
import { datasetsAvailable } from '@aiops/datasets';
import { esTestRun } from '../support/es-test-run.ts';
import {
  backfillIntoPrometheus,
  idleCounterFromCpuPercent,
  readBitbrainsCpu,
  DATA_DIR,
  type BackfillSeries,
  type Sample,
} from '../support/prometheus-backfill.ts';
import { eventually, REPO_ROOT, runCli, STACK_DIR, stackAvailable, URLS } from '../support/stack.ts';

const BITBRAINS = join(DATA_DIR, 'bitbrains-gwa-t-12-rnd/rnd/2013-8');
const DAY = 86_400;

const available = (await stackAvailable('elasticsearch', 'prometheus', 'pushgateway')) && datasetsAvailable('bitbrains-gwa-t-12-rnd');

const es = esTestRun();
const mlNode = `${es.run}-ml`;
const hosts = { crossing: `${es.run}-vm333:9100`, flat: `${es.run}-vm269:9100` };
const dir = mkdtempSync(join(tmpdir(), 'aiops-forecaster-'));
const rulesCopy = join(STACK_DIR, 'prometheus', 'rules', `${es.run}-capacity.rules.yml`);
// The window every run of this test uses: the same --end, hence the same run id.
const end = Math.floor((Date.now() / 1000 - 60) / 300) * 300;
const env = {
  AIOPS_INSTANCE: mlNode,
  AIOPS_STATE_DIR: join(dir, 'state'),
  AIOPS_OUTBOX_DIR: join(dir, 'outbox'),
  AIOPS_MODEL_DIR: join(dir, 'models'),
  AIOPS_DEAD_LETTER_DIR: join(dir, 'dead-letter'),
  AIOPS_ES_URLS: URLS.elasticsearch,
  AIOPS_ES_INDEX_PREFIX: `${es.run}-`,
  AIOPS_PROMETHEUS_URL: URLS.prometheus,
  AIOPS_PUSHGATEWAY_URL: URLS.pushgateway,
  AIOPS_LOG_LEVEL: 'warn',
};
const prometheus = new PrometheusClient(URLS.prometheus);
const instances = `${es.run}-.*`;

/** The trace's first 30 days moved (5-minute aligned) to end 10 minutes before `end`, plus a linear trend. */
function thirtyDaysOf(vm: string, trendPoints: number): Sample[] {
  const trace = readBitbrainsCpu(join(BITBRAINS, `${vm}.csv`));
  const first = trace[0]!.time;
  const month = trace.filter((s) => s.time < first + 30 * DAY);
  const shift = Math.floor((end - 600 - month[month.length - 1]!.time) / 300) * 300;
  return month.map((s) => ({
    time: s.time + shift,
    value: Math.min(100, Math.max(0, s.value + (trendPoints * (s.time - first)) / (30 * DAY))),
  }));
}

const cpu = { crossing: [] as Sample[], flat: [] as Sample[] };

async function vector(query: string) {
  const r = await prometheus.query(query);
  return r.resultType === 'vector' ? r.samples : [];
}

async function reloadPrometheus(): Promise<void> {
  const res = await fetch(`${URLS.prometheus}/-/reload`, { method: 'POST' });
  expect(res.status).toBe(200);
}

interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
}
async function alertsOf(host: string): Promise<ApiAlert[]> {
  const body = (await (await fetch(`${URLS.prometheus}/api/v1/alerts`)).json()) as { data: { alerts: ApiAlert[] } };
  return body.data.alerts.filter((a) => a.labels.host === host);
}

describe.skipIf(!available)('forecaster on Prometheus: backfill → forecast → gauges → alert → forecasts-*', () => {
  beforeAll(async () => {
    cpu.crossing = thirtyDaysOf('333', 65);
    cpu.flat = thirtyDaysOf('269', 0);
    const series: BackfillSeries[] = Object.entries(hosts).map(([which, instance]) => ({
      name: 'node_cpu_seconds_total',
      labels: { instance, job: 'node-backfill', cpu: '0', mode: 'idle' },
      samples: idleCounterFromCpuPercent(cpu[which as keyof typeof cpu]),
    }));
    const blocks = await backfillIntoPrometheus(series, 'counter');
    expect(blocks.length).toBeGreaterThan(300); // 2 h blocks over 30 days
    // Prometheus picks moved-in blocks up at its next reload (about once a minute).
    const expected = series.reduce((n, s) => n + s.samples.length, 0);
    await eventually(async () => {
      const [sample] = await vector(`sum(count_over_time(node_cpu_seconds_total{instance=~"${instances}"}[31d]))`);
      return sample?.value === expected ? true : undefined;
    }, 150_000, 3_000);

    const rules = readFileSync(join(REPO_ROOT, 'infrastructure/prometheus/rules/capacity.rules.yml'), 'utf8');
    writeFileSync(rulesCopy, rules.replace(/^(\s+)for: .+$/gm, '$1for: 0s'));
    await reloadPrometheus();

    const setup = await runCli(['aiops', 'setup'], env);
    expect(setup.code, setup.stderr).toBe(0);
  }, 240_000);

  afterAll(async () => {
    rmSync(rulesCopy, { force: true });
    await reloadPrometheus().catch(() => {});
    for (const job of ['forecaster', 'forecaster-extract']) await deletePushgatewayGroup(URLS.pushgateway, job, mlNode).catch(() => {});
    const client = createElasticsearchClient(es.config.elasticsearch);
    await es.cleanup(client).catch(() => {});
    await client.close();
  });

  it('extract reads the backfilled CPU % back through the contract PromQL, close to the real trace', async () => {
    const out = join(dir, 'extract');
    const r = await runCli(['forecaster', 'extract', '--out', out, '--end', String(end), '--instances', instances], env);
    expect(r.code, r.stderr).toBe(0);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { series: { file: string; host: string; metric: string; gridPoints: number; observedPoints: number }[] };
    expect(index.series.map((s) => `${s.host} ${s.metric}`).sort()).toEqual([`${hosts.crossing} cpu`, `${hosts.flat} cpu`].sort());
    for (const s of index.series) {
      expect(s.gridPoints).toBe(30 * 288 + 1);
      expect(s.observedPoints).toBeGreaterThan(8_000); // the real trace's own gaps stay gaps
      const rows = readFileSync(join(out, s.file), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number) as [number, number]);
      // What rate(idle[5m]) must give at grid time t: the busy share between the backfilled counter samples at
      // t - 5m and t (the trace's own CPU %, averaged over those 5 minutes).
      const trace = s.host === hosts.crossing ? cpu.crossing : cpu.flat;
      const counter = new Map(idleCounterFromCpuPercent(trace).map((p) => [p.time, p.value]));
      const errors: number[] = [];
      for (const [t, v] of rows) {
        const [now, before] = [counter.get(t), counter.get(t - 300)];
        if (now !== undefined && before !== undefined) errors.push(Math.abs(v - 100 * (1 - (now - before) / 300)));
      }
      errors.sort((a, b) => a - b);
      expect(errors.length).toBeGreaterThan(8_000);
      expect(errors[Math.floor(errors.length * 0.99)]).toBeLessThan(1e-6);
      // And the series as a whole is the trace's: same mean CPU % within a tenth of a point.
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(Math.abs(mean(rows.map(([, v]) => v)) - mean(trace.map((p) => p.value)))).toBeLessThan(0.1);
    }
  }, 120_000);

  it('forecast publishes days to exhaustion: < 7 days for the trending VM, +Inf for the quiet one', async () => {
    const r = await runCli(['forecaster', 'forecast', '--end', String(end), '--instances', instances], env);
    expect(r.code, r.stderr).toBe(0);
    const drain = await runCli(['pushgateway-exporter', 'drain'], env);
    expect(drain.code, drain.stderr).toBe(0);
    const days = await eventually(async () => {
      const samples = await vector(`aiops_capacity_days_to_exhaustion{job="forecaster",instance="${mlNode}",threshold="95"}`);
      return samples.length === 2 ? Object.fromEntries(samples.map((s) => [s.labels.host, s.value])) : undefined;
    }, 30_000, 1_000);
    expect(days[hosts.crossing]).toBeGreaterThanOrEqual(0);
    expect(days[hosts.crossing]).toBeLessThan(7);
    expect(days[hosts.flat]).toBe(Infinity);
    console.info(`days to 95 %: trending VM 333 ${days[hosts.crossing]!.toFixed(2)}, quiet VM 269 ${days[hosts.flat]}`);
    const [at7d] = await vector(`aiops_capacity_forecast{instance="${mlNode}",host="${hosts.crossing}",horizon="7d",bound="upper95"}`);
    expect(at7d?.value).toBeGreaterThan(95);
    const [lastSuccess] = await vector(`aiops_job_last_success_timestamp_seconds{job="forecaster",instance="${mlNode}"}`);
    expect(lastSuccess?.value).toBeGreaterThan(end);
  }, 180_000);

  it('the critical capacity alert fires for the trending VM and not for the quiet one', async () => {
    const firing = await eventually(async () => {
      const alerts = (await alertsOf(hosts.crossing)).filter((a) => a.labels.alertname === 'CapacityExhaustion' && a.labels.severity === 'critical' && a.state === 'firing');
      return alerts.length === 1 ? alerts[0] : undefined;
    }, 60_000, 1_000);
    expect(firing.labels).toMatchObject({ severity: 'critical', metric: 'cpu', threshold: '95', job: 'forecaster', instance: mlNode });
    expect(firing.annotations.summary).toMatch(new RegExp(`^cpu on ${hosts.crossing} may reach 95 % in \\d+\\.\\d days$`));
    // Prometheus evaluates every 5 s in the dev stack: by now the quiet VM's +Inf has been evaluated many times.
    expect(await alertsOf(hosts.flat)).toEqual([]);
    const [alertsSeries] = await vector(`ALERTS{alertname="CapacityExhaustion",severity="critical",host="${hosts.crossing}",alertstate="firing"}`);
    expect(alertsSeries?.value).toBe(1);
  }, 90_000);

  it('writes the curves to forecasts-*, one document per series × step, and a rerun of the same run adds nothing', async () => {
    const client = createElasticsearchClient(es.config.elasticsearch);
    try {
      const index = `${es.run}-forecasts-*`;
      await client.indices.refresh({ index });
      const count = async () => (await client.count({ index })).count;
      const first = await count();
      expect(first).toBe(2 * 30 * 24); // hourly points over 30 days, two series
      const indices = await client.cat.indices({ index, h: 'index', format: 'json' });
      const day = new Date(end * 1000).toISOString().slice(0, 10).replace(/-/g, '.');
      expect(indices.map((i) => i.index)).toEqual([`${es.run}-forecasts-${day}`]);

      const crossing = await client.search<Record<string, unknown>>({
        index,
        size: 1,
        query: { bool: { filter: [{ term: { host: hosts.crossing } }, { range: { yhat_upper_95: { gte: 95 } } }] } },
        sort: [{ target_time: 'asc' }],
      });
      const doc = crossing.hits.hits[0]!._source!;
      expect(doc).toMatchObject({ metric: 'cpu', device: '', run_id: new Date(end * 1000).toISOString().replace('.000Z', 'Z') });
      expect(Date.parse(doc.target_time as string) / 1000 - end).toBeLessThan(7 * DAY);
      expect(Object.keys(doc).sort()).toEqual(
        ['@timestamp', 'device', 'host', 'metric', 'model', 'run_id', 'target_time', 'yhat', 'yhat_lower_80', 'yhat_lower_95', 'yhat_upper_80', 'yhat_upper_95'].sort(),
      );

      const again = await runCli(['forecaster', 'forecast', '--end', String(end), '--instances', instances], env);
      expect(again.code, again.stderr).toBe(0);
      await client.indices.refresh({ index });
      expect(await count()).toBe(first);
      const log = readFileSync(join(env.AIOPS_MODEL_DIR, 'forecaster', 'training_log.csv'), 'utf8').trim().split('\n');
      expect(log).toHaveLength(3); // header + one row per run
      expect(log[1]).toMatch(/,forecast,.*,2,2,0,/);
    } finally {
      await client.close();
    }
  }, 180_000);
});
