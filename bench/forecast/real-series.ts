/**
 * The real series the forecast evaluation and benchmark run on, read from AIOPS_DATA_DIR (default ../shared/data
 * overrides; see its SOURCES.md): Bitbrains GWA-T-12 VMs (5-min, ~91 days), the Azure V2 and Google 2019
 * aggregates (5-min, 30 / 28 days).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Series } from '@aiops/ml';
import { externalDataDir } from '@aiops/datasets';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const DATA = externalDataDir();

export type Kind = 'cpu' | 'memory' | 'disk' | 'network';

export interface RealSeries {
  name: string;
  kind: Kind;
  /** A percentage in [0, 100]. */
  bounded: boolean;
  unit: string;
  source: string;
  series: Series;
}

interface BitbrainsRow {
  t: number;
  cpuPct: number;
  memPct: number;
  diskKBs: number;
  netKBs: number;
}

const bitbrainsCache = new Map<string, BitbrainsRow[]>();

/** One VM's three monthly files, in time order (rows repeating an earlier timestamp are dropped). */
export function bitbrainsRows(vm: string): BitbrainsRow[] {
  const cached = bitbrainsCache.get(vm);
  if (cached) return cached;
  const rows: BitbrainsRow[] = [];
  for (const month of ['2013-7', '2013-8', '2013-9']) {
    const file = join(DATA, 'bitbrains-gwa-t-12-rnd/rnd', month, `${vm}.csv`);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    lines.slice(1).forEach((line, i) => {
      const f = line.split(';\t').map(Number);
      if (f.length !== 11 || f.some((v) => !Number.isFinite(v))) throw new Error(`${file}:${i + 2}: expected 11 numeric fields`);
      if (rows.length && f[0]! <= rows[rows.length - 1]!.t) return;
      // Memory as a share of the provisioned memory; disk and network as read + write / received + sent.
      rows.push({ t: f[0]!, cpuPct: f[4]!, memPct: (100 * f[6]!) / f[5]!, diskKBs: f[7]! + f[8]!, netKBs: f[9]! + f[10]! });
    });
  }
  bitbrainsCache.set(vm, rows);
  return rows;
}

export function bitbrains(vm: string, kind: Kind): RealSeries {
  const rows = bitbrainsRows(vm);
  const pick = { cpu: (r: BitbrainsRow) => r.cpuPct, memory: (r: BitbrainsRow) => r.memPct, disk: (r: BitbrainsRow) => r.diskKBs, network: (r: BitbrainsRow) => r.netKBs }[kind];
  return {
    name: `bitbrains-${vm}-${kind}`,
    kind,
    bounded: kind === 'cpu' || kind === 'memory',
    unit: kind === 'cpu' || kind === 'memory' ? '%' : 'KB/s',
    source: `Bitbrains GWA-T-12 Rnd VM ${vm}`,
    series: { timestamps: rows.map((r) => r.t), values: rows.map(pick) },
  };
}

/** The aggregates carry offsets (Azure) or row numbers (Google) only; placed at an arbitrary Monday, 2019-07-01. */
const AGGREGATE_ORIGIN = Date.UTC(2019, 6, 1) / 1000;

function csvColumns(file: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(join(DATA, file), 'utf8').trim().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',').map(Number)) };
}

export function azureCpu(): RealSeries {
  const { header, rows } = csvColumns('datacenter-traces-aggregated/azure_v2/vm_cpu_readings_month_aggregated_cpu_mem.csv');
  const t = header.indexOf('timestamp');
  const cpu = header.indexOf('cpu_usage');
  return {
    name: 'azure-v2-cpu',
    kind: 'cpu',
    bounded: false,
    unit: 'CPU (sum over VMs)',
    source: 'Azure Public Dataset V2, CPU summed over all VMs',
    series: { timestamps: rows.map((r) => AGGREGATE_ORIGIN + r[t]!), values: rows.map((r) => r[cpu]!) },
  };
}

export function google(kind: 'cpu' | 'memory'): RealSeries {
  const { header, rows } = csvColumns('datacenter-traces-aggregated/google2019/instance_usage_grouped_300_seconds_month.csv');
  const col = header.indexOf(kind === 'cpu' ? 'avg_cpu' : 'avg_mem');
  return {
    name: `google-2019-${kind}`,
    kind,
    bounded: true,
    unit: '%',
    source: `Google cluster trace 2019, cluster-wide ${kind === 'cpu' ? 'avg_cpu' : 'avg_mem'} × 100`,
    series: { timestamps: rows.map((_, i) => AGGREGATE_ORIGIN + 300 * i), values: rows.map((r) => 100 * r[col]!) },
  };
}

/** The evaluation's set: CPU and memory of five VMs (the seed's three busy ones first), disk, network, aggregates. */
export function evaluationSeries(): RealSeries[] {
  return [
    ...['333', '270', '488', '231', '303'].flatMap((vm) => [bitbrains(vm, 'cpu'), bitbrains(vm, 'memory')]),
    bitbrains('333', 'disk'),
    bitbrains('303', 'disk'),
    bitbrains('333', 'network'),
    bitbrains('231', 'network'),
    azureCpu(),
    google('cpu'),
    google('memory'),
  ];
}

/** The first `days` of a series. */
export function headDays(s: Series, days: number): Series {
  const end = s.timestamps[0]! + days * 86_400;
  const n = s.timestamps.findIndex((t) => t >= end);
  return n < 0 ? s : { timestamps: s.timestamps.slice(0, n), values: s.values.slice(0, n) };
}
