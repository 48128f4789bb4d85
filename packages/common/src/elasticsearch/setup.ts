/**
 * `aiops setup`: installs the index templates of the contract (and an ILM policy where the cluster has ILM), and
 * can run any number of times. Each template carries `_meta.version` and a hash of its content, so a rerun tells
 * created / updated / unchanged apart without comparing against Elasticsearch's normalised form of a template
 * (which expands dotted field names and turns numbers into strings).
 */
import { createHash } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { buildIndexTemplates, configuredPrefixes, MANAGED_BY, type IndexPrefixes, type IndexTemplateBody } from './index-templates.ts';
import { findTemplateConflicts } from './template-conflicts.ts';

export { deleteIndicesOlderThan, indicesOlderThan, parseDailyIndexDate } from './retention.ts';

export type SetupAction = 'created' | 'updated' | 'unchanged' | 'kept-newer';

export interface TemplateSetupResult {
  name: string;
  index_patterns: string[];
  version: number;
  action: SetupAction;
}

export interface SetupReport {
  templates: TemplateSetupResult[];
  ilm: { available: false } | { available: true; policy: string; action: SetupAction };
}

export interface SetupOptions {
  prefixes?: Partial<IndexPrefixes>;
  /** Age after which ILM deletes an index (only where the cluster has ILM; elsewhere run the retention command). */
  retentionDays?: number;
  ilmPolicyName?: string;
}

export const DEFAULT_RETENTION_DAYS = 30;
export const ILM_POLICY_NAME = 'aiops-daily-retention';

/** JSON with object keys sorted at every level: equal content, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

export interface InstalledMeta {
  managed_by?: unknown;
  version?: unknown;
  content_hash?: unknown;
}

/** What to do with a template (or policy) given what the cluster holds; pure. */
export function planAction(installed: InstalledMeta | undefined | null, version: number, hash: string): SetupAction {
  if (!installed) return 'created';
  if (installed.managed_by === MANAGED_BY && typeof installed.version === 'number' && installed.version > version) {
    // A newer release installed it: an older `setup` (a stale cron host) must not roll the mappings back.
    return 'kept-newer';
  }
  return installed.content_hash === hash && installed.version === version ? 'unchanged' : 'updated';
}

function isNotFound(err: unknown): boolean {
  return err instanceof errors.ResponseError && err.statusCode === 404;
}

/**
 * Whether the cluster runs ILM, and why not. The minimal distribution has no such module and answers
 * `GET _ilm/status` with 405 (no GET handler); a 403 (no privilege to see it) also means we cannot use it. A cluster
 * that does not answer at all is an error, not "no ILM".
 */
export async function ilmStatus(client: Client): Promise<{ available: boolean; detail: string }> {
  try {
    const status = await client.ilm.getStatus();
    return { available: true, detail: `ILM ${status.operation_mode}` };
  } catch (err) {
    if (err instanceof errors.ResponseError && err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      return { available: false, detail: `GET _ilm/status answered ${err.statusCode}` };
    }
    throw err;
  }
}

export async function hasIlm(client: Client): Promise<boolean> {
  return (await ilmStatus(client)).available;
}

async function installIlmPolicy(client: Client, name: string, retentionDays: number, logger: Logger): Promise<SetupAction> {
  const policy = { phases: { delete: { min_age: `${retentionDays}d`, actions: { delete: {} } } } };
  const hash = contentHash(policy);
  let installed: InstalledMeta | undefined;
  try {
    const existing = await client.ilm.getLifecycle({ name });
    installed = existing[name]?.policy._meta as InstalledMeta | undefined;
    installed ??= {};
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const action = planAction(installed, 1, hash);
  if (action === 'created' || action === 'updated') {
    await client.ilm.putLifecycle({ name, policy: { ...policy, _meta: { managed_by: MANAGED_BY, version: 1, content_hash: hash } } });
    logger.info({ policy: name, retentionDays, action }, 'ILM policy installed');
  }
  return action;
}

async function installedTemplateMeta(client: Client, name: string): Promise<InstalledMeta | undefined> {
  try {
    const res = await client.indices.getIndexTemplate({ name });
    const found = res.index_templates.find((t) => t.name === name);
    return found ? ((found.index_template._meta as InstalledMeta | undefined) ?? {}) : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Installs every template of the contract (and the ILM policy where available); safe to run any number of times. */
export async function setupElasticsearch(client: Client, config: Config, logger: Logger, options: SetupOptions = {}): Promise<SetupReport> {
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const policyName = options.ilmPolicyName ?? ILM_POLICY_NAME;
  const { available: ilmAvailable, detail } = await ilmStatus(client);
  let ilm: SetupReport['ilm'] = { available: false };
  if (ilmAvailable) {
    ilm = { available: true, policy: policyName, action: await installIlmPolicy(client, policyName, retentionDays, logger) };
  } else {
    logger.info({ ilm: detail }, 'no ILM on this cluster: no lifecycle policy installed; retention is `aiops retention --days N`');
  }

  const templates = buildIndexTemplates({
    prefixes: options.prefixes ?? configuredPrefixes(config.elasticsearch),
    numberOfShards: config.elasticsearch.numberOfShards,
    numberOfReplicas: config.elasticsearch.numberOfReplicas,
    lifecyclePolicy: ilmAvailable ? policyName : undefined,
  });
  const conflicts = findTemplateConflicts(templates.map((t) => ({ name: t.name, ...t.body })));
  if (conflicts.length > 0) throw new Error(`index templates conflict:\n  - ${conflicts.join('\n  - ')}`);

  const results: TemplateSetupResult[] = [];
  for (const { name, body } of templates) {
    const hash = contentHash(body);
    const action = planAction(await installedTemplateMeta(client, name), body.version, hash);
    if (action === 'created' || action === 'updated') {
      const withHash: IndexTemplateBody & { _meta: IndexTemplateBody['_meta'] & { content_hash: string } } = {
        ...body,
        _meta: { ...body._meta, content_hash: hash },
      };
      try {
        await client.indices.putIndexTemplate({ name, ...withHash });
      } catch (err) {
        const reason = err instanceof errors.ResponseError ? JSON.stringify(err.body) : (err as Error).message;
        throw new Error(`index template ${name} (${body.index_patterns.join(',')}): PUT refused: ${reason}`, { cause: err });
      }
    }
    if (action === 'kept-newer') logger.warn({ template: name, version: body.version }, 'a newer version of the template is installed; left as is');
    else logger.info({ template: name, patterns: body.index_patterns, version: body.version, action }, 'index template');
    results.push({ name, index_patterns: body.index_patterns, version: body.version, action });
  }
  return { templates: results, ilm };
}
