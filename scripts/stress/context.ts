/**
 * What one stress run knows about itself: its id, its work folder (under the dev stack's folder), the servers'
 * URLs (the same AIOPS_* variables the tests read, loopback only), the loop mount scripts/stress_test.sh created,
 * the detectors switched off, its deadline, and the jobs' environment (every index under the run's own prefix,
 * every gauge under the run's own instance). Also the manifest of what the run changed on the servers, which
 * cleanup.ts undoes (the bash trap runs it even when run.ts died).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DETECTORS = ['network', 'logs', 'capacity'] as const;
export type Detector = (typeof DETECTORS)[number];

export interface StressContext {
  repoRoot: string;
  stackDir: string;
  run: string;
  work: string;
  /** Index prefix of every family this run writes (`<run>-`), so cleanup removes exactly its indices. */
  prefix: string;
  /** The ML node's `instance` label of this run's gauges (Pushgateway grouping key). */
  instance: string;
  /** The syslog host name of the flooded lines. */
  logHost: string;
  urls: { elasticsearch: string; prometheus: string; pushgateway: string; alertmanager: string; nodeExporter: string };
  /** node_exporter's `instance` label as Prometheus scrapes it (the dev stack's job `node`). */
  nodeInstance: string;
  rsyslogTcpPort: number;
  mount: { dir: string; device: string };
  disabled: Set<Detector>;
  /** Epoch ms after which every check that has not passed fails. */
  deadline: number;
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run scripts/stress_test.sh, not this file`);
  return v;
}

/**
 * Only loopback: the stress run never talks to another address. No default port: scripts/stress_test.sh exports
 * every URL as scripts/dev-stack.sh derives it from the AIOPS_* port variables.
 */
function loopback(name: string): string {
  const url = required(name).split(',')[0]!;
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`${name}=${url}: the stress run talks to loopback only`);
  return url.replace(/\/$/, '');
}

export function loadContext(): StressContext {
  const repoRoot = resolve(import.meta.dirname, '../..');
  const run = required('AIOPS_STRESS_RUN');
  const urls = {
    elasticsearch: loopback('AIOPS_ES_URLS'),
    prometheus: loopback('AIOPS_PROMETHEUS_URL'),
    pushgateway: loopback('AIOPS_PUSHGATEWAY_URL'),
    alertmanager: loopback('AIOPS_ALERTMANAGER_URL'),
    nodeExporter: loopback('AIOPS_NODE_EXPORTER_URL'),
  };
  const disabled = new Set((process.env.AIOPS_STRESS_DISABLE ?? '').split(',').filter(Boolean) as Detector[]);
  for (const d of disabled) if (!DETECTORS.includes(d)) throw new Error(`unknown detector ${d} (known: ${DETECTORS.join(', ')})`);
  return {
    repoRoot,
    stackDir: required('AIOPS_STACK_DIR'),
    run,
    work: required('AIOPS_STRESS_WORK'),
    prefix: `${run}-`,
    instance: `${run}-ml`,
    logHost: `${run}-host`,
    urls,
    nodeInstance: new URL(urls.nodeExporter).host,
    rsyslogTcpPort: Number(required('AIOPS_RSYSLOG_TCP_PORT')),
    mount: { dir: required('AIOPS_STRESS_MOUNT'), device: required('AIOPS_STRESS_LOOP_DEVICE') },
    disabled,
    deadline: Number(required('AIOPS_STRESS_DEADLINE')),
  };
}

/** The environment of every job the run starts: the run's own prefix, instance, state, outbox and models. */
export function jobEnv(ctx: StressContext): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AIOPS_ES_URLS: ctx.urls.elasticsearch,
    AIOPS_ES_INDEX_PREFIX: ctx.prefix,
    AIOPS_PROMETHEUS_URL: ctx.urls.prometheus,
    AIOPS_PUSHGATEWAY_URL: ctx.urls.pushgateway,
    AIOPS_INSTANCE: ctx.instance,
    AIOPS_STATE_DIR: join(ctx.work, 'state'),
    AIOPS_OUTBOX_DIR: join(ctx.work, 'outbox'),
    AIOPS_MODEL_DIR: join(ctx.work, 'models'),
    AIOPS_DEAD_LETTER_DIR: join(ctx.work, 'dead-letter'),
    AIOPS_LOG_LEVEL: 'warn',
  };
}

export const log = (msg: string): void => void process.stderr.write(`stress_test: ${msg}\n`);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------ the manifest
/** Something the run changed that cleanup must undo: `alertmanager`, `rules`, `rsyslog`. */
export function recordChange(ctx: StressContext, what: string): void {
  appendFileSync(join(ctx.work, 'changed'), `${what}\n`);
}
export function changes(work: string): Set<string> {
  const f = join(work, 'changed');
  return new Set(existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
}
/** A process group the trap must stop (stress-ng, the zeek-ingest follower). */
export function recordProcess(ctx: StressContext, pid: number, what: string): void {
  appendFileSync(join(ctx.work, 'pids'), `${pid} ${what}\n`);
}

// ------------------------------------------------------------------------------------------------ processes
export interface CliResult {
  code: number;
  stderr: string;
  seconds: number;
}

/** Runs a command to its end (stdout discarded, stderr kept), never throwing on its exit code. */
export function runCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20_000)));
    child.on('error', (err) => done({ code: -1, stderr: String(err), seconds: (Date.now() - started) / 1000 }));
    child.on('close', (code) => done({ code: code ?? -1, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

type Service = 'zeek-ingest' | 'anomaly-scorer' | 'forecaster' | 'log-classifier' | 'pushgateway-exporter' | 'aiops';

/** A service's compiled bundle (`pnpm build`), the file cron runs (scripts/cron_setup.sh): `node <this>`. */
export function bundle(ctx: StressContext, service: Service): string {
  return join(ctx.repoRoot, service === 'aiops' ? 'packages/common/dist/cli.js' : `services/${service}/dist/cli.js`);
}

/** The jobs log JSON (pino) at level warn in a run: the messages of their warnings, to read beside the table. */
function warnings(stderr: string): string {
  const msgs = stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      try {
        const j = JSON.parse(l) as Record<string, unknown>;
        const { level: _l, time: _t, pid: _p, hostname: _h, name: _n, service: _s, msg, ...rest } = j;
        return `${String(msg)} ${JSON.stringify(rest).slice(0, 300)}`;
      } catch {
        return l.slice(0, 300);
      }
    });
  return msgs.length === 0 ? '' : `; warnings: ${msgs.slice(0, 5).join(' | ')}${msgs.length > 5 ? ` (+${msgs.length - 5})` : ''}`;
}

/** One job's CLI as cron runs it (`node services/<service>/dist/cli.js …`); throws with its stderr on failure. */
export async function job(ctx: StressContext, service: Service, ...args: string[]): Promise<CliResult> {
  const r = await runCommand(process.execPath, [bundle(ctx, service), ...args], jobEnv(ctx), ctx.repoRoot);
  if (r.code !== 0) throw new Error(`${service} ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-1500)}`);
  log(`${service} ${args[0] ?? ''}: ${r.seconds.toFixed(1)} s${warnings(r.stderr)}`);
  return r;
}

/** Where a background process's output goes (`<work>/<what>.log`), to show when a cycle fails. */
export const backgroundLog = (ctx: StressContext, what: string): string => join(ctx.work, `${what.replace(/[^\w.-]+/g, '_')}.log`);

/** The last lines of a background process's output. */
export function backgroundTail(ctx: StressContext, what: string, chars = 1500): string {
  const f = backgroundLog(ctx, what);
  return existsSync(f) ? readFileSync(f, 'utf8').slice(-chars) : '';
}

/** Starts a long-running process in its own process group, recorded for the trap; returns its PID. */
export function background(ctx: StressContext, what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const out = openSync(backgroundLog(ctx, what), 'a');
  const child = spawn(cmd, args, { cwd: ctx.repoRoot, env, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  if (!child.pid) throw new Error(`could not start ${cmd}`);
  recordProcess(ctx, child.pid, what);
  child.unref();
  return child.pid;
}
