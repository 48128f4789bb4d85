/**
 * Integration tests run against the real dev stack (scripts/dev-stack.sh up). When a server is down they skip
 * with one loud line, unless REQUIRE_INTEGRATION=1, where a missing server fails the run.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEV_STACK = resolve(REPO_ROOT, 'scripts/dev-stack.sh');
export const STACK_DIR = process.env.AIOPS_STACK_DIR ?? resolve(REPO_ROOT, '.stack');

export const URLS = {
  elasticsearch: process.env.AIOPS_ES_URLS?.split(',')[0] ?? 'http://127.0.0.1:9200',
  prometheus: process.env.AIOPS_PROMETHEUS_URL ?? 'http://127.0.0.1:9090',
  pushgateway: process.env.AIOPS_PUSHGATEWAY_URL ?? 'http://127.0.0.1:9091',
  alertmanager: process.env.AIOPS_ALERTMANAGER_URL ?? 'http://127.0.0.1:9093',
  nodeExporter: process.env.AIOPS_NODE_EXPORTER_URL ?? 'http://127.0.0.1:9100',
} as const;

export type StackComponent = keyof typeof URLS;

/** The three nodes of `scripts/dev-stack.sh up es-cluster`: AIOPS_ES_CLUSTER_URLS, else AIOPS_ES_CLUSTER_PORT (9202)
 * and the two ports after it, as scripts/dev-stack/es-cluster.sh numbers them. */
export const ES_CLUSTER_URLS: string[] = process.env.AIOPS_ES_CLUSTER_URLS
  ? process.env.AIOPS_ES_CLUSTER_URLS.split(',')
  : [0, 1, 2].map((k) => `http://127.0.0.1:${Number(process.env.AIOPS_ES_CLUSTER_PORT ?? 9202) + k}`);

const READY_PATH: Record<StackComponent, string> = {
  elasticsearch: '/_cluster/health',
  prometheus: '/-/ready',
  pushgateway: '/-/ready',
  alertmanager: '/-/ready',
  nodeExporter: '/metrics',
};

export const integrationRequired = process.env.REQUIRE_INTEGRATION === '1';

async function answers(component: StackComponent): Promise<boolean> {
  try {
    const res = await fetch(URLS[component] + READY_PATH[component], { signal: AbortSignal.timeout(3_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Resolves to true when every named server answers. Otherwise: throws under REQUIRE_INTEGRATION=1, else prints
 * one loud line and resolves to false (use with `describe.skipIf(!(await stackAvailable(...)))`).
 */
export async function stackAvailable(...components: StackComponent[]): Promise<boolean> {
  const down: string[] = [];
  for (const c of components) if (!(await answers(c))) down.push(`${c} (${URLS[c]})`);
  if (down.length === 0) return true;
  const msg = `dev stack not reachable: ${down.join(', ')} — start it with scripts/dev-stack.sh up`;
  if (integrationRequired) throw new Error(`${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING INTEGRATION TESTS: ${msg}\n`);
  return false;
}

/** Runs scripts/dev-stack.sh with the given arguments (e.g. `restart elasticsearch`). */
export async function devStack(...args: string[]): Promise<string> {
  return devStackWith({}, ...args);
}

/** devStack with extra environment (e.g. `AIOPS_ES_INDEX_PREFIX` for `restart rsyslog`); undefined unsets a name. */
export async function devStackWith(env: Record<string, string | undefined>, ...args: string[]): Promise<string> {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  const { stdout } = await promisify(execFile)('bash', [DEV_STACK, ...args], { timeout: 240_000, env: merged });
  return stdout;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 1_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `pnpm -s <args>` from the repo root the way cron does (e.g. `aiops retention …`); never throws on exit code. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)('pnpm', ['-s', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The dev stack's rsyslog (scripts/dev-stack/rsyslog.sh): its syslog port is 5514 + the Elasticsearch port - 9200 unless set. */
function rsyslogPort(name: 'AIOPS_RSYSLOG_TCP_PORT' | 'AIOPS_RSYSLOG_UDP_PORT'): number {
  const set = process.env[name] ?? (name === 'AIOPS_RSYSLOG_UDP_PORT' ? process.env.AIOPS_RSYSLOG_TCP_PORT : undefined);
  if (set) return Number(set);
  return 5514 + Number(new URL(URLS.elasticsearch).port || 9200) - 9200;
}
export const RSYSLOG = {
  tcpPort: rsyslogPort('AIOPS_RSYSLOG_TCP_PORT'),
  udpPort: rsyslogPort('AIOPS_RSYSLOG_UDP_PORT'),
  filesDir: resolve(STACK_DIR, 'rsyslog/files'),
  refusedFile: resolve(STACK_DIR, 'rsyslog/refused.jsonl'),
} as const;
