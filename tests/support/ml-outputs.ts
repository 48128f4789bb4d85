/**
 * Loads the dev stack with the three ML jobs' real outputs, under one test run's index prefix and ML-node
 * instance, the way production produces them (the jobs' own CLIs):
 *   network  a real Zeek conn.log (Stratosphere 011-zeek-mixed, 9,048 connections over a day), its timestamps moved
 *            so the capture ends 10 minutes ago → zeek-ingest → anomaly-scorer train + detect → anomalies-*;
 *   logs     real syslog/auth lines (Loghub Linux + OpenSSH, 4k lines) stamped over the last ~70 minutes →
 *            logs-* → log-classifier train + classify → logs-classified-*;
 *   capacity 30 days of two real Bitbrains VMs (VM 333's CPU with a +65-point trend) backfilled as node_exporter
 *            series — CPU as node_cpu_seconds_total{mode="idle"}, memory as MemTotal/MemAvailable, network as
 *            receive/transmit byte counters (the traces carry no filesystem usage: no disk) → forecaster forecast
 *            → gauges + forecasts-*;
 * and finally pushgateway-exporter drains every gauge snapshot into Pushgateway.
 */
import { loghubSyslogFields } from '@aiops/datasets/loghub-syslog';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, dailyIndexName, documentId, setupElasticsearch, writeBulk, type Client } from '@aiops/common';
import { externalDataDir } from '@aiops/datasets';
import type { EsTestRun } from './es-test-run.ts';
import { backfillIntoPrometheus, idleCounterFromCpuPercent, readBitbrainsCpu, type BackfillSeries, type Sample } from './prometheus-backfill.ts';
import { runCli, URLS } from './stack.ts';

/** The large data sets this load reads (AIOPS_DATA_DIR): check them with datasetsAvailable(...DATASETS). */
export const DATASETS = ['stratosphere-security-datasets-for-testing', 'loghub', 'bitbrains-gwa-t-12-rnd'];
const data = (...parts: string[]) => join(externalDataDir(), ...parts);
const CONN_LOG = data('stratosphere-security-datasets-for-testing/011-zeek-mixed/data/conn.log.labeled');
const LOG_FILES = { syslog: data('loghub/Linux/Linux_2k.log'), auth: data('loghub/OpenSSH/OpenSSH_2k.log') };
const BITBRAINS = data('bitbrains-gwa-t-12-rnd/rnd/2013-8');
const DAY = 86_400;

export class MlOutputs {
  readonly work = mkdtempSync(join(tmpdir(), 'aiops-ml-outputs-'));
  readonly instance: string;
  readonly hosts: { crossing: string; flat: string };
  private readonly logger = createLogger('ml-outputs', 'warn');

  constructor(private readonly run: EsTestRun) {
    this.instance = `${run.run}-ml`;
    this.hosts = { crossing: `${run.run}-vm333:9100`, flat: `${run.run}-vm269:9100` };
    writeFileSync(join(this.work, 'config.yml'), 'elasticsearch:\n  readPageSize: 1000\n  bulkMaxDocs: 1000\n');
  }

  env(): Record<string, string> {
    return {
      AIOPS_CONFIG: join(this.work, 'config.yml'),
      AIOPS_ES_URLS: URLS.elasticsearch,
      AIOPS_ES_INDEX_PREFIX: `${this.run.run}-`,
      AIOPS_PROMETHEUS_URL: URLS.prometheus,
      AIOPS_PUSHGATEWAY_URL: URLS.pushgateway,
      AIOPS_INSTANCE: this.instance,
      AIOPS_STATE_DIR: join(this.work, 'state'),
      AIOPS_OUTBOX_DIR: join(this.work, 'outbox'),
      AIOPS_MODEL_DIR: join(this.work, 'models'),
      AIOPS_DEAD_LETTER_DIR: join(this.work, 'dead-letter'),
      AIOPS_LOG_LEVEL: 'warn',
    };
  }

  private async cli(...args: string[]): Promise<void> {
    const res = await runCli(args, this.env());
    if (res.code !== 0) throw new Error(`pnpm ${args.join(' ')} exited ${res.code}\n${res.stderr.slice(-3000)}`);
  }

  async setup(client: Client): Promise<void> {
    await setupElasticsearch(client, this.run.config, this.logger);
  }

  /** The capture moved so that it ends 10 minutes ago; returns the new time range (ISO). */
  async network(client: Client): Promise<{ from: string; until: string }> {
    const lines = readFileSync(CONN_LOG, 'utf8').split('\n');
    const ts = lines.filter((l) => l && !l.startsWith('#')).map((l) => Number(l.slice(0, l.indexOf('\t'))));
    const [min, max] = [Math.min(...ts), Math.max(...ts)];
    const shift = Math.floor(Date.now() / 1000 - 600 - max);
    const moved = lines.map((l) => {
      if (!l || l.startsWith('#')) return l;
      const tab = l.indexOf('\t');
      return `${(Number(l.slice(0, tab)) + shift).toFixed(6)}${l.slice(tab)}`;
    });
    const dir = join(this.work, 'zeek');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'conn.log'), moved.join('\n'));
    await this.cli('zeek-ingest', 'run', '--dir', dir, '--index-prefix', `${this.run.run}-zeek`);
    await client.indices.refresh({ index: `${this.run.run}-zeek-conn-*` });
    const range = { from: new Date(Math.floor(min + shift) * 1000).toISOString(), until: new Date(Math.ceil(max + shift + 1) * 1000).toISOString() };
    const models = join(this.work, 'models');
    await this.cli('anomaly-scorer', 'train', '--from', range.from, '--until', range.until, '--model-dir', models);
    await this.cli('anomaly-scorer', 'detect', '--model', models, '--initial-since', range.from, '--context', '86400', '--lag', '0');
    await client.indices.refresh({ index: `${this.run.run}-anomalies-*`, allow_no_indices: true });
    return range;
  }

  async logs(client: Client): Promise<number> {
    const start = Date.now() - 70 * 60 * 1000;
    let i = 0;
    const docs = Object.entries(LOG_FILES).flatMap(([source, file]) =>
      readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .map(loghubSyslogFields)
        .filter((f) => f !== undefined)
        .map((f) => ({ '@timestamp': new Date(start + i++ * 1000).toISOString(), 'log.source': source, ...f })),
    );
    await writeBulk(
      client,
      this.run.config,
      this.logger,
      docs.map((doc, n) => ({ index: dailyIndexName(this.run.prefixes.logs, doc['@timestamp']), id: documentId('dashboards', n), document: doc })),
      { job: 'dashboards-it', refresh: true },
    );
    const model = join(this.work, 'log-model.json');
    await this.cli('log-classifier', 'train', '--out', model);
    await this.cli('log-classifier', 'classify', '--model', model, '--lag', '0');
    await client.indices.refresh({ index: `${this.run.prefixes.logsClassified}-*`, allow_no_indices: true });
    return docs.length;
  }

  /** Backfills two VMs (30 days ending 10 minutes before `end`) as node_exporter series. */
  async capacity(end: number): Promise<void> {
    const counters: BackfillSeries[] = [];
    const gauges: BackfillSeries[] = [];
    for (const [which, vm, trend] of [['crossing', '333', 65], ['flat', '269', 0]] as const) {
      const file = join(BITBRAINS, `${vm}.csv`);
      const cpu = readBitbrainsCpu(file);
      const first = cpu[0]!.time;
      const inMonth = (t: number) => t < first + 30 * DAY;
      const last = cpu.filter((s) => inMonth(s.time)).at(-1)!.time;
      const shift = Math.floor((end - 600 - last) / 300) * 300;
      const labels = { instance: this.hosts[which], job: 'node-backfill' };
      const month = cpu.filter((s) => inMonth(s.time));
      counters.push({
        name: 'node_cpu_seconds_total',
        labels: { ...labels, cpu: '0', mode: 'idle' },
        samples: idleCounterFromCpuPercent(month.map((s) => ({ time: s.time + shift, value: Math.min(100, Math.max(0, s.value + (trend * (s.time - first)) / (30 * DAY))) }))),
      });
      const rows = readBitbrainsColumns(file).filter((r) => inMonth(r.time)).map((r) => ({ ...r, time: r.time + shift }));
      const KB = 1024;
      gauges.push(
        { name: 'node_memory_MemTotal_bytes', labels, samples: everyMinute(rows.map((r) => ({ time: r.time, value: r.memoryCapacityKb * KB }))) },
        { name: 'node_memory_MemAvailable_bytes', labels, samples: everyMinute(rows.map((r) => ({ time: r.time, value: (r.memoryCapacityKb - r.memoryUsageKb) * KB }))) },
      );
      counters.push(
        { name: 'node_network_receive_bytes_total', labels: { ...labels, device: 'eth0' }, samples: counterFromRates(rows.map((r) => ({ time: r.time, value: r.networkReceivedKbps * KB }))) },
        { name: 'node_network_transmit_bytes_total', labels: { ...labels, device: 'eth0' }, samples: counterFromRates(rows.map((r) => ({ time: r.time, value: r.networkTransmittedKbps * KB }))) },
      );
    }
    await backfillIntoPrometheus(counters, 'counter');
    await backfillIntoPrometheus(gauges, 'gauge');
  }

  async forecast(end: number): Promise<void> {
    await this.cli('forecaster', 'forecast', '--end', String(end), '--instances', `${this.run.run}-.*`);
  }

  async drain(): Promise<void> {
    await this.cli('pushgateway-exporter', 'drain');
  }
}

interface BitbrainsRow {
  time: number;
  memoryCapacityKb: number;
  memoryUsageKb: number;
  networkReceivedKbps: number;
  networkTransmittedKbps: number;
}

/** Memory and network columns of a Bitbrains GWA-T-12 trace (`;\t`-separated, epoch seconds, one row per 5 minutes). */
function readBitbrainsColumns(file: string): BitbrainsRow[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line, i) => {
      const f = line.split(';\t').map(Number);
      const row = { time: f[0]!, memoryCapacityKb: f[5]!, memoryUsageKb: f[6]!, networkReceivedKbps: f[9]!, networkTransmittedKbps: f[10]! };
      if (Object.values(row).some((v) => !Number.isFinite(v))) throw new Error(`${file}:${i + 2}: a memory or network column is not a number`);
      return row;
    });
}

/** A gauge sampled every minute, each trace value held until the next (a scrape sees the last value). */
function everyMinute(samples: Sample[], maxGapSeconds = 600): Sample[] {
  const out: Sample[] = [];
  for (let i = 1; i < samples.length; i++) {
    const [from, to] = [samples[i - 1]!.time, samples[i]!.time];
    if (to - from > maxGapSeconds) continue;
    for (let t = Math.floor(from / 60) * 60 + 60; t <= to; t += 60) out.push({ time: t, value: samples[i]!.value });
  }
  return out;
}

/** A byte counter whose rate over each trace interval (t[i-1], t[i]] is the trace's rate at t[i], sampled every minute. */
function counterFromRates(rates: Sample[], maxGapSeconds = 600): Sample[] {
  const out: Sample[] = [];
  let counter = 0;
  for (let i = 1; i < rates.length; i++) {
    const [from, to] = [rates[i - 1]!.time, rates[i]!.time];
    const rate = Math.max(0, rates[i]!.value);
    if (to - from > maxGapSeconds) continue;
    for (let t = Math.floor(from / 60) * 60 + 60; t <= to; t += 60) out.push({ time: t, value: counter + rate * (t - from) });
    counter += rate * (to - from);
  }
  return out;
}
