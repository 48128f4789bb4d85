/**
 * The stress run's side of the dev stack's servers: what it loads before injecting (the production Alertmanager
 * configuration pointed at its own loopback receiver, the stress profile of the generated rules, rsyslog writing
 * under the run's index prefix) and the small HTTP reads its checks make (Elasticsearch searches, Prometheus
 * queries and alerts). cleanup.ts undoes the loads.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileRuleFiles } from '@aiops/mixin';
import { parse, stringify } from 'yaml';
import { recordChange, runCommand, type StressContext } from './context.ts';

async function post(url: string, what: string): Promise<void> {
  const res = await fetch(url, { method: 'POST' });
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
}

export const reloadAlertmanager = (ctx: StressContext): Promise<void> => post(`${ctx.urls.alertmanager}/-/reload`, 'Alertmanager reload');
export const reloadPrometheus = (ctx: StressContext): Promise<void> => post(`${ctx.urls.prometheus}/-/reload`, 'Prometheus reload');

export const devAlertmanagerConfig = (stackDir: string): string => join(stackDir, 'alertmanager', 'alertmanager.yml');
export const generatedRulesDir = (stackDir: string): string => join(stackDir, 'prometheus', 'rules', 'generated');

/**
 * infrastructure/alertmanager/alertmanager.yml as production runs it (routes, inhibition, templates), except: the
 * receivers' URL files hold this run's loopback receiver URLs (/slack, /discord), and group_wait/group_interval are
 * 1 s/2 s instead of 10–30 s/5 m.
 */
export async function loadAlertmanagerConfig(ctx: StressContext, receiverUrl: (path: string) => string): Promise<void> {
  const config = parse(readFileSync(join(ctx.repoRoot, 'infrastructure/alertmanager/alertmanager.yml'), 'utf8'));
  const secrets = join(ctx.work, 'alertmanager-secrets');
  mkdirSync(secrets, { recursive: true });
  writeFileSync(join(secrets, 'slack_webhook_url'), `${receiverUrl('/slack')}\n`);
  writeFileSync(join(secrets, 'discord_webhook_url'), `${receiverUrl('/discord')}\n`);
  for (const r of config.receivers) {
    for (const s of r.slack_configs) s.api_url_file = join(secrets, String(s.api_url_file).split('/').pop() ?? '');
  }
  const shorten = (route: Record<string, unknown>) => Object.assign(route, { group_wait: '1s', group_interval: '2s' });
  shorten(config.route);
  config.route.routes.forEach(shorten);
  config.templates = [join(ctx.repoRoot, 'infrastructure/alertmanager/templates/*.tmpl')];
  const dev = devAlertmanagerConfig(ctx.stackDir);
  copyFileSync(dev, join(ctx.work, 'dev-alertmanager.yml'));
  recordChange(ctx, 'alertmanager');
  writeFileSync(dev, stringify(config));
  await reloadAlertmanager(ctx);
}

/** The stress profile of the mixin's rules (every `for:` shortened) in place of the production copies. */
export async function loadStressRules(ctx: StressContext): Promise<void> {
  recordChange(ctx, 'rules');
  const dir = generatedRulesDir(ctx.stackDir);
  mkdirSync(dir, { recursive: true });
  for (const f of profileRuleFiles('stress')) writeFileSync(join(dir, f.path), f.content);
  await reloadPrometheus(ctx);
}

/** rsyslog restarted to write `<prefix>logs-YYYY.MM.DD` (the shipper's index prefix is read at its start). */
export async function pointRsyslogAtRun(ctx: StressContext): Promise<void> {
  // the prefix it ran with (cleanup restarts it so), from the environment file the dev stack wrote at its start
  const env = readFileSync(join(ctx.stackDir, 'rsyslog', 'rsyslog.env'), 'utf8');
  writeFileSync(join(ctx.work, 'rsyslog-prefix'), /^AIOPS_RSYSLOG_INDEX_PREFIX=(.*)$/m.exec(env)?.[1] ?? '');
  recordChange(ctx, 'rsyslog');
  const r = await runCommand('bash', ['scripts/dev-stack.sh', 'restart', 'rsyslog'], { ...process.env, AIOPS_ES_INDEX_PREFIX: ctx.prefix }, ctx.repoRoot);
  if (r.code !== 0) throw new Error(`dev-stack.sh restart rsyslog: ${r.stderr.slice(-1000)}`);
}

// ------------------------------------------------------------------------------------------------ reads
export async function esSearch<T>(ctx: StressContext, index: string, body: Record<string, unknown>): Promise<{ total: number; hits: T[] }> {
  const res = await fetch(`${ctx.urls.elasticsearch}/${index}/_search?ignore_unavailable=true&allow_no_indices=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ track_total_hits: true, ...body }),
  });
  const json = (await res.json()) as { hits?: { total: { value: number }; hits: { _source: T }[] }; error?: unknown };
  if (!res.ok || !json.hits) throw new Error(`search ${index}: HTTP ${res.status} ${JSON.stringify(json.error ?? json).slice(0, 300)}`);
  return { total: json.hits.total.value, hits: json.hits.hits.map((h) => h._source) };
}

export async function esCount(ctx: StressContext, index: string, query: Record<string, unknown> = { match_all: {} }): Promise<number> {
  await fetch(`${ctx.urls.elasticsearch}/${index}/_refresh?ignore_unavailable=true&allow_no_indices=true`, { method: 'POST' });
  return (await esSearch(ctx, index, { size: 0, query })).total;
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}
export async function promQuery(ctx: StressContext, query: string): Promise<PromSample[]> {
  const res = await fetch(`${ctx.urls.prometheus}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query }) });
  const json = (await res.json()) as { status: string; error?: string; data: { result: PromSample[] } };
  if (json.status !== 'success') throw new Error(`query ${query}: ${json.error}`);
  return json.data.result;
}

export interface PromAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}
export async function promAlerts(ctx: StressContext): Promise<PromAlert[]> {
  const json = (await (await fetch(`${ctx.urls.prometheus}/api/v1/alerts`)).json()) as { data: { alerts: PromAlert[] } };
  return json.data.alerts;
}
