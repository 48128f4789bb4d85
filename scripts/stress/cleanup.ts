/**
 * Undoes what a stress run changed on the dev stack's servers, from its manifest (context.ts): the dev
 * Alertmanager config, the production rules, rsyslog's index prefix; and removes what it wrote: its indices and
 * index templates (`<run>-*`), its Pushgateway groups (instance `<run>-ml`), and its series in Prometheus (the
 * loop mount's, the run's gauges) through the admin API. Every step is tried; the exit code is 1 if one failed.
 * scripts/stress_test.sh runs it from its trap (then stops the processes, unmounts, detaches the loop device).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changes, loadContext, log, runCommand, type StressContext } from './context.ts';
import { devAlertmanagerConfig, generatedRulesDir, reloadAlertmanager, reloadPrometheus } from './servers.ts';

async function step(what: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    log(`cleanup: ${what} failed: ${String(err).slice(0, 500)}`);
    return false;
  }
}

async function ok(res: Response, what: string): Promise<void> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
}

async function restoreServers(ctx: StressContext, changed: Set<string>): Promise<boolean[]> {
  const done: boolean[] = [];
  if (changed.has('alertmanager')) {
    done.push(await step('restoring the dev Alertmanager config', async () => {
      copyFileSync(join(ctx.work, 'dev-alertmanager.yml'), devAlertmanagerConfig(ctx.stackDir));
      await reloadAlertmanager(ctx);
    }));
  }
  if (changed.has('rules')) {
    done.push(await step('restoring the production rules', async () => {
      const dir = generatedRulesDir(ctx.stackDir);
      mkdirSync(dir, { recursive: true });
      const src = join(ctx.repoRoot, 'infrastructure/prometheus/rules');
      for (const f of readdirSync(src).filter((n) => n.endsWith('.rules.yml'))) copyFileSync(join(src, f), join(dir, f));
      await reloadPrometheus(ctx);
    }));
  }
  if (changed.has('rsyslog')) {
    done.push(await step('restarting rsyslog with its own index prefix', async () => {
      const f = join(ctx.work, 'rsyslog-prefix');
      const prefix = existsSync(f) ? readFileSync(f, 'utf8') : '';
      const r = await runCommand('bash', ['scripts/dev-stack.sh', 'restart', 'rsyslog'], { ...process.env, AIOPS_ES_INDEX_PREFIX: prefix }, ctx.repoRoot);
      if (r.code !== 0) throw new Error(r.stderr.slice(-500));
    }));
  }
  return done;
}

async function removeData(ctx: StressContext): Promise<boolean[]> {
  const es = ctx.urls.elasticsearch;
  return [
    await step('deleting the run\'s indices', async () => ok(await fetch(`${es}/${ctx.run}-*?expand_wildcards=all&ignore_unavailable=true&allow_no_indices=true`, { method: 'DELETE' }), 'DELETE indices')),
    await step('deleting the run\'s index templates', async () => {
      const res = await fetch(`${es}/_index_template/*${ctx.run}*`);
      const json = (await res.json()) as { index_templates?: { name: string }[] };
      for (const t of json.index_templates ?? []) await ok(await fetch(`${es}/_index_template/${t.name}`, { method: 'DELETE' }), `DELETE template ${t.name}`);
    }),
    await step('deleting the run\'s Pushgateway groups', async () => {
      const json = (await (await fetch(`${ctx.urls.pushgateway}/api/v1/metrics`)).json()) as { data: { labels: Record<string, string> }[] };
      const jobs = new Set(json.data.filter((g) => g.labels.instance === ctx.instance).map((g) => g.labels.job!));
      for (const j of jobs) await ok(await fetch(`${ctx.urls.pushgateway}/metrics/job/${encodeURIComponent(j)}/instance/${encodeURIComponent(ctx.instance)}`, { method: 'DELETE' }), `DELETE group ${j}`);
    }),
    await step('deleting the run\'s series from Prometheus (admin API)', async () => {
      const params = new URLSearchParams();
      params.append('match[]', `{instance="${ctx.instance}"}`);
      params.append('match[]', `{mountpoint="${ctx.mount.dir}"}`);
      await ok(await fetch(`${ctx.urls.prometheus}/api/v1/admin/tsdb/delete_series?${params}`, { method: 'POST' }), 'delete_series (is Prometheus started with --web.enable-admin-api?)');
    }),
  ];
}

const ctx = loadContext();
const results = [...(await restoreServers(ctx, changes(ctx.work))), ...(await removeData(ctx))];
process.exit(results.every(Boolean) ? 0 : 1);
