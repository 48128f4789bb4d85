/**
 * The one configuration schema of every service: defaults, units and reasons live here.
 * Sources, later ones winning: built-in defaults → YAML file (AIOPS_CONFIG or --config) → environment.
 * Secrets may come from `*_FILE` variables (e.g. AIOPS_ES_PASSWORD_FILE) so they never sit in env dumps.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

export const configSchema = z
  .object({
    /** Names this ML node in Pushgateway's grouping key (`instance`), so several nodes never overwrite each other. */
    instance: z.string().min(1).default(hostname()),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    elasticsearch: z
      .object({
        /** A list so a multi-node cluster is reached through any live node. */
        nodes: z.array(url).min(1).default(['http://127.0.0.1:9200']),
        apiKey: z.string().min(1).optional(),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        /** PEM CA that signed the cluster's HTTP certificate (self-signed clusters). */
        caFile: z.string().min(1).optional(),
        /** Per request, ms. Bulk requests of a few MB finish well within this on a healthy node. */
        requestTimeoutMs: z.number().int().positive().default(30_000),
        /** 0 on a single node (a replica could never be allocated and the index would stay yellow). */
        numberOfReplicas: z.number().int().min(0).default(0),
        numberOfShards: z.number().int().min(1).default(1),
        /** Documents per bulk request; with maxBulkBytes, whichever is reached first closes a batch. */
        bulkMaxDocs: z.number().int().positive().default(1_000),
        /** 5 MB: Elastic's advice for a first bulk size; far under http.max_content_length (100 MB). */
        bulkMaxBytes: z.number().int().positive().default(5 * 1024 * 1024),
        /** Bulk requests in flight per writer: with one, Elasticsearch idled while the job built the next batch
         * and the job idled while it indexed (docs/benchmarks.md, issue 18). A caller's checkpoint still waits for
         * every request of its write. */
        bulkConcurrency: z.number().int().min(1).max(16).default(2),
        /** Retries of a whole bulk request or of transient per-item failures before giving up. */
        bulkMaxRetries: z.number().int().min(0).default(8),
        /** First backoff in ms, doubled each retry and capped at 10 s: survives a ~30 s node restart. */
        bulkBackoffMs: z.number().int().positive().default(500),
        /** Documents per page when reading with point-in-time + search_after: 5,000 read 2.4× as fast as 1,000
         * (28k → 68k docs/s, docs/benchmarks.md "Foundation"), and detect and classify read every document. */
        readPageSize: z.number().int().positive().max(10_000).default(5_000),
        /** Prepended to every index family's name (e.g. `staging-` → `staging-logs-2026.11.24`); one cluster can
         * then hold several deployments or test runs. Empty = the contract's names. */
        indexNamePrefix: z
          .string()
          .regex(/^([a-z0-9][a-z0-9._-]*)?$/, 'lowercase letters, digits, ".", "_" or "-", not starting with a separator')
          .default(''),
      })
      .prefault({}),
    prometheus: z.object({ url: url.default('http://127.0.0.1:9090') }).prefault({}),
    pushgateway: z.object({ url: url.default('http://127.0.0.1:9091') }).prefault({}),
    alertmanager: z.object({ url: url.default('http://127.0.0.1:9093') }).prefault({}),
    review: z
      .object({
        /** The token of `log-classifier review serve` (≥ 16 characters); better from AIOPS_REVIEW_TOKEN_FILE. */
        token: z.string().min(1).optional(),
      })
      .prefault({}),
    paths: z
      .object({
        modelDir: z.string().min(1).default('var/models'),
        stateDir: z.string().min(1).default('var/state'),
        outboxDir: z.string().min(1).default('var/outbox'),
        deadLetterDir: z.string().min(1).default('var/dead-letter'),
      })
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Environment variable → path in the config object. */
const ENV_PATHS: Record<string, string[]> = {
  AIOPS_INSTANCE: ['instance'],
  AIOPS_LOG_LEVEL: ['logLevel'],
  AIOPS_ES_URLS: ['elasticsearch', 'nodes'],
  AIOPS_ES_API_KEY: ['elasticsearch', 'apiKey'],
  AIOPS_ES_USERNAME: ['elasticsearch', 'username'],
  AIOPS_ES_PASSWORD: ['elasticsearch', 'password'],
  AIOPS_ES_CA_FILE: ['elasticsearch', 'caFile'],
  AIOPS_ES_REPLICAS: ['elasticsearch', 'numberOfReplicas'],
  AIOPS_ES_INDEX_PREFIX: ['elasticsearch', 'indexNamePrefix'],
  AIOPS_PROMETHEUS_URL: ['prometheus', 'url'],
  AIOPS_PUSHGATEWAY_URL: ['pushgateway', 'url'],
  AIOPS_ALERTMANAGER_URL: ['alertmanager', 'url'],
  AIOPS_REVIEW_TOKEN: ['review', 'token'],
  AIOPS_MODEL_DIR: ['paths', 'modelDir'],
  AIOPS_STATE_DIR: ['paths', 'stateDir'],
  AIOPS_OUTBOX_DIR: ['paths', 'outboxDir'],
  AIOPS_DEAD_LETTER_DIR: ['paths', 'deadLetterDir'],
};
const LIST_VARS = new Set(['AIOPS_ES_URLS']);
const NUMBER_VARS = new Set(['AIOPS_ES_REPLICAS']);
const SECRET_FILE_VARS = ['AIOPS_ES_API_KEY', 'AIOPS_ES_PASSWORD', 'AIOPS_REVIEW_TOKEN'];

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function envOverrides(env: Env, issues: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of SECRET_FILE_VARS) {
    const file = env[`${name}_FILE`];
    if (file && env[name] === undefined) {
      try {
        env = { ...env, [name]: readFileSync(file, 'utf8').trim() };
      } catch (err) {
        issues.push(`${name}_FILE: cannot read ${file} (${(err as Error).message})`);
      }
    }
  }
  for (const [name, path] of Object.entries(ENV_PATHS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (LIST_VARS.has(name)) value = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (NUMBER_VARS.has(name)) value = Number(raw);
    setPath(out, path, value);
  }
  return out;
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over ?? base;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over ?? base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
  return out;
}

export interface LoadConfigOptions {
  env?: Env;
  /** YAML file; defaults to env AIOPS_CONFIG. */
  file?: string;
  /** Base for relative paths in `paths` (defaults to the current directory). */
  cwd?: string;
}

/** Loads, merges and validates the configuration; throws ConfigError naming every bad field. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const issues: string[] = [];
  const file = options.file ?? env.AIOPS_CONFIG;
  let fromFile: unknown = {};
  if (file) {
    try {
      fromFile = parseYaml(readFileSync(file, 'utf8')) ?? {};
    } catch (err) {
      throw new ConfigError(`config file ${file}: ${(err as Error).message}`, [`${file}: ${(err as Error).message}`]);
    }
  }
  const merged = deepMerge(fromFile, envOverrides(env, issues));
  const result = configSchema.safeParse(merged);
  // Cross-field rules are checked here, not with zod's refine, which would skip them when any other field fails.
  const es = (merged as { elasticsearch?: { username?: unknown; password?: unknown } }).elasticsearch;
  if (es?.username && !es.password) issues.push('elasticsearch.password: username given without password');
  if (!result.success) {
    for (const issue of result.error.issues) {
      const where = issue.path.length ? issue.path.join('.') : '(root)';
      issues.push(`${where}: ${issue.message}`);
    }
  }
  if (issues.length > 0 || !result.success) {
    const source = file ? ` (file ${file} + environment)` : ' (environment)';
    throw new ConfigError(`invalid configuration${source}:\n  - ${issues.join('\n  - ')}`, issues);
  }
  const config = result.data;
  const cwd = options.cwd ?? process.cwd();
  for (const key of Object.keys(config.paths) as (keyof Config['paths'])[]) {
    config.paths[key] = resolve(cwd, config.paths[key]);
  }
  return config;
}

/** The configuration with secrets replaced, for printing and logging. */
export function redactedConfig(config: Config): Config {
  const hide = (v: string | undefined) => (v === undefined ? undefined : '<redacted>');
  const es = { ...config.elasticsearch, apiKey: hide(config.elasticsearch.apiKey), password: hide(config.elasticsearch.password) };
  return { ...config, elasticsearch: es, review: { ...config.review, token: hide(config.review.token) } };
}
