/**
 * End to end, the way cron runs it: a real job CLI against the real Elasticsearch writes its aiops_job_* gauges to
 * the outbox, the real pushgateway-exporter drains them into Pushgateway, and Prometheus scrapes them. A failed run
 * afterwards records its failure time and keeps the last success time (the exporter POSTs, which replaces only the
 * metric families a push carries).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deletePushgatewayGroup } from '@aiops/common';
import { PrometheusClient } from '@aiops/common';
import { eventually, runCli, stackAvailable, URLS } from '../support/stack.ts';
import { metrics } from '@aiops/contracts';

const available = await stackAvailable('elasticsearch', 'prometheus', 'pushgateway');
const instance = `it-job-${process.pid}-${Date.now()}`;
const dir = mkdtempSync(join(tmpdir(), 'aiops-job-metrics-'));
const env = {
  AIOPS_INSTANCE: instance,
  AIOPS_STATE_DIR: join(dir, 'state'),
  AIOPS_OUTBOX_DIR: join(dir, 'outbox'),
  AIOPS_ES_URLS: URLS.elasticsearch,
  AIOPS_PUSHGATEWAY_URL: URLS.pushgateway,
  AIOPS_LOG_LEVEL: 'warn',
};

async function cli(extraEnv: Record<string, string>, ...args: string[]): Promise<number> {
  return (await runCli(args, { ...env, ...extraEnv })).code;
}

const prometheus = new PrometheusClient(URLS.prometheus);
async function scraped(name: string): Promise<number | undefined> {
  const result = await prometheus.query(`${name}{job="es-retention",instance="${instance}"}`);
  if (result.resultType !== 'vector' || result.samples.length !== 1) return undefined;
  return result.samples[0]!.value ?? undefined;
}

describe.skipIf(!available)('job gauges from a cron run to Prometheus (real servers)', () => {
  afterAll(async () => {
    await deletePushgatewayGroup(URLS.pushgateway, 'es-retention', instance).catch(() => {});
  });

  it('a successful run’s last-success time reaches Prometheus through the outbox and the exporter', async () => {
    const before = Date.now() / 1000;
    expect(await cli({}, 'aiops', 'retention', '--days', '3650', '--prefix', `${instance}-`)).toBe(0);
    expect(await cli({}, 'pushgateway-exporter', 'drain')).toBe(0);
    const lastSuccess = await eventually(() => scraped(metrics.jobLastSuccessTimestamp.name), 30_000, 500);
    expect(lastSuccess).toBeGreaterThanOrEqual(Math.floor(before));
    expect(lastSuccess).toBeLessThanOrEqual(Date.now() / 1000);
    expect(await eventually(() => scraped(metrics.jobDuration.name), 30_000, 500)).toBeGreaterThan(0);
  }, 180_000);

  it('a failed run exits 1, records its failure time and keeps the last success time', async () => {
    const success = await eventually(() => scraped(metrics.jobLastSuccessTimestamp.name), 30_000, 500);
    // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    expect(await cli({ AIOPS_ES_URLS: 'http://127.0.0.1:9' }, 'aiops', 'retention', '--days', '3650', '--prefix', `${instance}-`)).toBe(1);
    expect(await cli({}, 'pushgateway-exporter', 'drain')).toBe(0);
    const failure = await eventually(() => scraped(metrics.jobLastFailureTimestamp.name), 30_000, 500);
    expect(failure).toBeGreaterThan(success);
    expect(await scraped(metrics.jobLastSuccessTimestamp.name)).toBe(success);
  }, 180_000);
});
