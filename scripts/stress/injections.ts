/**
 * The failures the stress run injects, each as the real thing would reach the platform:
 *   disk      the loop-mounted filesystem (created by stress_test.sh, watched by the dev node_exporter) filled to
 *             FILL_PERCENT with one preallocated file; its history before the run (which the forecaster needs:
 *             at least 2 days) is backfilled into Prometheus as node_exporter's own filesystem series
 *   cpu       stress-ng on every CPU for CPU_SECONDS, at nice 19 (other users of the machine keep priority)
 *   logs      a flood of real Linux/OpenSSH syslog lines (Loghub, data/loghub) over TCP syslog into the dev
 *             rsyslog, with critical kernel lines (oom-killer, EXT4-fs errors) among them
 *   network   the conn.log of zeek-injection.ts, written into the folder zeek-ingest follows
 */
import { mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { backfillIntoPrometheus, type Sample } from '../support/prometheus-backfill.ts';
import { background, bundle, runCommand, type StressContext } from './context.ts';
import { injectedTraffic, type InjectedTraffic } from './zeek-injection.ts';

export const FILL_PERCENT = 91;
export const CPU_SECONDS = 45;

// ------------------------------------------------------------------------------------------------ disk
/** Used share as node_exporter's series give it: 100 * (1 - avail / size), bytes from statfs. */
export function diskUsage(dir: string): { size: number; avail: number; percent: number } {
  const s = statfsSync(dir);
  const size = s.blocks * s.bsize;
  const avail = s.bavail * s.bsize;
  return { size, avail, percent: 100 * (1 - avail / size) };
}

export async function fillDisk(ctx: StressContext): Promise<number> {
  const { size, avail } = diskUsage(ctx.mount.dir);
  const bytes = Math.max(0, Math.ceil(avail - size * (1 - FILL_PERCENT / 100)));
  const r = await runCommand('fallocate', ['-l', String(bytes), join(ctx.mount.dir, 'stress-fill.bin')], process.env, ctx.repoRoot);
  if (r.code !== 0) throw new Error(`fallocate on ${ctx.mount.dir}: ${r.stderr}`);
  return diskUsage(ctx.mount.dir).percent;
}

/**
 * Three days before now, one sample a minute, of the loop filesystem's node_filesystem_{size,avail}_bytes with the
 * labels node_exporter gives it (job="node", the scraped instance): used share rising from 40 % to 88 %, with a
 * daily wave. The forecaster reads it back through its contract PromQL; the live scrapes continue it at 91 %.
 */
export async function backfillDiskHistory(ctx: StressContext, now: number): Promise<void> {
  const { size } = diskUsage(ctx.mount.dir);
  const labels = { instance: ctx.nodeInstance, job: 'node', device: ctx.mount.device, fstype: 'ext4', mountpoint: ctx.mount.dir };
  const start = Math.floor((now - 3 * 86_400) / 60) * 60 + 60;
  const end = Math.floor((now - 120) / 60) * 60;
  const avail: Sample[] = [];
  const sizes: Sample[] = [];
  for (let t = start; t <= end; t += 60) {
    const progress = (t - start) / (end - start);
    const used = 40 + 48 * progress + 1.5 * Math.sin((2 * Math.PI * t) / 86_400);
    avail.push({ time: t, value: Math.round(size * (1 - used / 100)) });
    sizes.push({ time: t, value: size });
  }
  const dataDir = join(ctx.stackDir, 'prometheus', 'data');
  await backfillIntoPrometheus(
    [
      { name: 'node_filesystem_avail_bytes', labels, samples: avail },
      { name: 'node_filesystem_size_bytes', labels, samples: sizes },
    ],
    'gauge',
    dataDir,
  );
}

// ------------------------------------------------------------------------------------------------ cpu
export function spikeCpu(ctx: StressContext): number {
  return background(ctx, 'stress-ng', 'nice', ['-n', '19', 'stress-ng', '--cpu', '0', '--cpu-method', 'matrixprod', '--timeout', `${CPU_SECONDS}s`, '--quiet']);
}

// ------------------------------------------------------------------------------------------------ logs
/** Critical kernel lines a failing host writes; each run numbers them so the check finds exactly these. */
export function criticalLines(ctx: StressContext, copies: number): { service: string; message: string; severity: number }[] {
  const lines: { service: string; message: string; severity: number }[] = [];
  for (let i = 0; i < copies; i++) {
    const pid = 20_000 + i * 7;
    const up = (4_000 + i * 3.25).toFixed(6);
    lines.push(
      { service: 'kernel', severity: 4, message: `[${up}] java invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=${i}` },
      { service: 'kernel', severity: 3, message: `[${up}] Out of memory: Killed process ${pid} (java) total-vm:${8_000_000 + i}kB, anon-rss:${4_000_000 + i}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9000kB oom_score_adj:0` },
      { service: 'kernel', severity: 2, message: `[${up}] EXT4-fs error (device ${ctx.mount.device.replace('/dev/', '')}): ext4_find_entry:1463: inode #${2 + i}: comm ls: reading directory lblock 0` },
      { service: 'kernel', severity: 2, message: `[${up}] EXT4-fs (${ctx.mount.device.replace('/dev/', '')}): Remounting filesystem read-only` },
    );
  }
  return lines;
}

interface LoghubRow {
  Component: string;
  PID: string;
  Content: string;
}

/** The real benign lines of the flood: Loghub Linux and OpenSSH (data/loghub), as (service, pid, message). */
function loghubLines(repoRoot: string): { service: string; pid: string; message: string }[] {
  return ['data/loghub/Linux/Linux_2k.log_structured.csv', 'data/loghub/OpenSSH/OpenSSH_2k.log_structured.csv'].flatMap((f) =>
    (parse(readFileSync(join(repoRoot, f), 'utf8'), { columns: true, skip_empty_lines: true }) as LoghubRow[]).map((r) => ({
      service: r.Component.replace(/[^\w.()-]/g, '') || 'app',
      pid: /^\d+$/.test(r.PID) ? r.PID : '-',
      message: r.Content,
    })),
  );
}

/**
 * Sends the flood as RFC 5424 syslog over TCP (newline-framed) to the dev rsyslog: every benign line, then the
 * critical ones spread among the last of them. Returns what was sent.
 */
export async function floodLogs(ctx: StressContext, critical: { service: string; message: string; severity: number }[]): Promise<{ sent: number; lastAt: number }> {
  const benign = loghubLines(ctx.repoRoot).map((l) => ({ ...l, facility: /sshd|su|pam/.test(l.service) ? 10 : 3, severity: 6 }));
  const all: { service: string; pid: string; message: string; facility: number; severity: number }[] = [...benign];
  critical.forEach((c, i) => all.splice(Math.floor(((i + 1) * benign.length) / (critical.length + 1)), 0, { ...c, pid: '-', facility: 0 }));
  const socket = connect({ host: '127.0.0.1', port: ctx.rsyslogTcpPort });
  await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
  let lastAt = 0;
  for (const l of all) {
    lastAt = Date.now();
    const line = `<${l.facility * 8 + l.severity}>1 ${new Date(lastAt).toISOString()} ${ctx.logHost} ${l.service} ${l.pid} - - ${l.message.replace(/\n/g, ' ')}\n`;
    if (!socket.write(line)) await new Promise((r) => socket.once('drain', r));
  }
  await new Promise<void>((r) => socket.end(r));
  return { sent: all.length, lastAt };
}

// ------------------------------------------------------------------------------------------------ network
export function zeekDir(ctx: StressContext): string {
  return join(ctx.work, 'zeek');
}

/** Starts zeek-ingest following the run's Zeek log folder (as it follows zeekctl's logs on the sensor). */
export const ZEEK_FOLLOWER = 'zeek-ingest-follow';

export function followZeekLogs(ctx: StressContext, env: NodeJS.ProcessEnv): number {
  mkdirSync(zeekDir(ctx), { recursive: true });
  return background(ctx, ZEEK_FOLLOWER, process.execPath, [bundle(ctx, 'zeek-ingest'), 'run', '--dir', zeekDir(ctx), '--follow', '1', '--index-prefix', `${ctx.prefix}zeek`], env);
}

/** Writes the capture (benign + injected) into the followed folder as conn.log, the way Zeek appends its log. */
export function injectConnections(ctx: StressContext, now: number, endsSecondsAgo: number): InjectedTraffic {
  const traffic = injectedTraffic(ctx.repoRoot, now, endsSecondsAgo, 16);
  writeFileSync(join(zeekDir(ctx), 'conn.log'), traffic.text);
  return traffic;
}
