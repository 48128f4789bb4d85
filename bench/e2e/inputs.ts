/**
 * The synthetic-but-realistic day of `pnpm bench e2e`, built from the real captures and logs in AIOPS_DATA_DIR
 * (SOURCES.md): every generated row is a real row, replicated with its time moved into the day and its hosts
 * spread over more addresses, so the field distributions (services, states, byte counts, labels, messages) stay
 * the real ones. Written under out/bench/e2e (untracked).
 */
import { loghubSyslogFields } from '@aiops/datasets/loghub-syslog';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { BackfillSeries, Sample } from '../../scripts/support/prometheus-backfill.ts';

const DAY = 86_400;

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function close(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'close');
}

/** The conn rows of the Stratosphere Zeek scenarios (labeled conn.log files), with the header of the first. */
export function realConnRows(dataDir: string): { header: string[]; rows: string[][] } {
  const root = join(dataDir, 'stratosphere-security-datasets-for-testing');
  let header: string[] = [];
  const rows: string[][] = [];
  for (const scenario of readdirSync(root).filter((d) => /^\d{3}-zeek-/.test(d)).sort()) {
    const file = join(root, scenario, 'data', 'conn.log.labeled');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    const fields = lines.find((l) => l.startsWith('#fields'));
    if (header.length === 0) header = lines.filter((l) => l.startsWith('#') && !l.startsWith('#close'));
    else if (fields !== header.find((l) => l.startsWith('#fields'))) continue; // another column set: not mixed in
    for (const l of lines) if (l && !l.startsWith('#')) rows.push(l.split('\t'));
  }
  if (rows.length === 0) throw new Error(`${root}: no conn.log.labeled found`);
  return { header, rows };
}

/** Replica k of a host: the third octet moved by k (k = 0: the address itself), so one capture becomes many hosts. */
function spreadHost(addr: string, k: number): string {
  if (k === 0) return addr;
  const parts = addr.split('.');
  if (parts.length !== 4) return addr;
  parts[2] = String((Number(parts[2]) + k) % 256);
  return parts.join('.');
}

/**
 * `count` conn rows spread evenly over [dayStart, dayStart + 1 d) in ascending time: row i is real row i mod n of
 * replica ⌊i / n⌋ (its uid suffixed with the replica, its hosts spread). Also writes the first `ceilingRows` rows
 * to a second file (the `_bulk` ceiling's input).
 */
export async function writeConnDay(dataDir: string, dir: string, dayStart: number, count: number, ceilingRows: number): Promise<{ file: string; ceilingFile: string }> {
  const { header, rows } = realConnRows(dataDir);
  const file = join(dir, 'zeek', 'conn.log');
  const ceilingFile = join(dir, 'ceiling', 'conn.log');
  const out = createWriteStream(file);
  const ceiling = createWriteStream(ceilingFile);
  const head = `${header.join('\n')}\n`;
  await write(out, head);
  await write(ceiling, head);
  const spacing = DAY / count;
  let text = '';
  for (let i = 0; i < count; i++) {
    const k = Math.floor(i / rows.length);
    const row = [...rows[i % rows.length]!];
    row[0] = (dayStart + i * spacing).toFixed(6);
    row[1] = k === 0 ? row[1]! : `${row[1]}${k.toString(36)}`;
    row[2] = spreadHost(row[2]!, k % 64);
    row[4] = spreadHost(row[4]!, (k >> 6) % 64);
    text += `${row.join('\t')}\n`;
    if (i < ceilingRows) await write(ceiling, `${row.join('\t')}\n`);
    if (text.length > 1 << 20) {
      await write(out, text);
      text = '';
    }
  }
  await write(out, text);
  await Promise.all([close(out), close(ceiling)]);
  return { file, ceilingFile };
}

export interface RawLogLine {
  '@timestamp': string;
  'host.name': string;
  'log.source': string;
  service: string;
  pid?: number;
  message: string;
}

const LOG_SOURCES: [file: string, source: string][] = [
  ['Linux/Linux_2k.log', 'syslog'],
  ['OpenSSH/OpenSSH_2k.log', 'auth'],
];

/** The real syslog lines of Loghub's Linux and OpenSSH samples (host, service, pid, message). */
export function realLogLines(dataDir: string): Omit<RawLogLine, '@timestamp'>[] {
  const out: Omit<RawLogLine, '@timestamp'>[] = [];
  for (const [file, source] of LOG_SOURCES) {
    for (const line of readFileSync(join(dataDir, 'loghub', file), 'utf8').split(/\r?\n/)) {
      const fields = loghubSyslogFields(line);
      if (fields) out.push({ 'log.source': source, ...fields });
    }
  }
  return out;
}

/** Line i of the day: real line i mod n, its host one of the datacenter's VMs (replica → host suffix), in time order. */
export function logLineOfDay(real: Omit<RawLogLine, '@timestamp'>[], i: number, count: number, dayStart: number): RawLogLine {
  const base = real[i % real.length]!;
  const k = Math.floor(i / real.length) % 32;
  return { '@timestamp': new Date((dayStart + (i * DAY) / count) * 1000).toISOString(), ...base, 'host.name': k === 0 ? base['host.name'] : `${base['host.name']}-${k}` };
}

/** CPU usage [%] of a Bitbrains GWA-T-12 VM trace (`;\t`-separated; "Timestamp [ms]" is really epoch seconds). */
function readBitbrainsCpu(file: string): Sample[] {
  return readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => {
    const f = line.split(';\t');
    return { time: Number(f[0]), value: Number(f[4]) };
  }).filter((s) => Number.isFinite(s.time) && Number.isFinite(s.value));
}

/** node_cpu_seconds_total{mode="idle"} of one CPU whose busy share is the trace's CPU %, a sample every minute. */
function idleCounter(cpu: Sample[], scrapeSeconds = 60, maxGapSeconds = 600): Sample[] {
  const out: Sample[] = [];
  let counter = 0;
  for (let i = 1; i < cpu.length; i++) {
    const [from, to] = [cpu[i - 1]!.time, cpu[i]!.time];
    if (to <= from) continue;
    const idleShare = 1 - Math.min(100, Math.max(0, cpu[i]!.value)) / 100;
    if (to - from <= maxGapSeconds) {
      for (let t = Math.floor(from / scrapeSeconds) * scrapeSeconds + scrapeSeconds; t <= to; t += scrapeSeconds) out.push({ time: t, value: counter + idleShare * (t - from) });
    }
    counter += idleShare * (to - from);
  }
  return out;
}

/**
 * `count` CPU series of 30 days ending at `end`: series i is Bitbrains VM trace i mod n (all of rnd/2013-*),
 * shifted to end at `end` and given a trend of (i mod 7) × 10 points over the month (some hosts head for
 * exhaustion, most do not), as node_exporter idle counters of instance `<prefix>vm<i>:9100`.
 */
export function cpuSeries(dataDir: string, count: number, end: number, instancePrefix: string): BackfillSeries[] {
  const root = join(dataDir, 'bitbrains-gwa-t-12-rnd', 'rnd');
  const files = readdirSync(root).sort().flatMap((month) => readdirSync(join(root, month)).filter((f) => f.endsWith('.csv')).sort().map((f) => join(root, month, f)));
  const traces = files.map(readBitbrainsCpu).filter((t) => t.length > 100);
  const series: BackfillSeries[] = [];
  for (let i = 0; i < count; i++) {
    const trace = traces[i % traces.length]!;
    const first = trace[0]!.time;
    const month = trace.filter((s) => s.time < first + 30 * DAY);
    const shift = Math.floor((end - 600 - month[month.length - 1]!.time) / 300) * 300;
    const trend = (i % 7) * 10;
    const cpu = month.map((s) => ({ time: s.time + shift, value: s.value + (trend * (s.time - first)) / (30 * DAY) }));
    series.push({ name: 'node_cpu_seconds_total', labels: { instance: `${instancePrefix}vm${i}:9100`, job: 'node-backfill', cpu: '0', mode: 'idle' }, samples: idleCounter(cpu) });
  }
  return series;
}
