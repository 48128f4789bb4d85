/**
 * ansible/site.yml against six real Debian hosts (podman containers from scripts/test-hosts.sh, SSH on the
 * internal bridge 10.213.0.0/24): the run succeeds, the platform answers from outside (node_exporter on telem-a/b,
 * Prometheus on obs-server scraping them and evaluating the repository's rules, logs reaching the log server,
 * the ML node running a job from cron whose gauges reach obs-server's Pushgateway, and holding a first log
 * classifier model), a second run changes nothing,
 * cron_setup.sh installs / reinstalls unchanged / uninstalls on ml-node, and the teardown leaves nothing behind.
 * Secrets come from an ansible-vault file encrypted here with a throw-away password file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metrics } from '@aiops/contracts';
import { eventually, REPO_ROOT } from '../support/stack.ts';
import { ansibleEnv, ansiblePlaybook, HOST_IP, onHost, run, testHosts, testHostsAvailable, type RecapLine } from '../support/test-hosts.ts';

const available = testHostsAvailable('ansible-vault');
const RULES_DIR = resolve(REPO_ROOT, 'infrastructure/prometheus/rules');
const PROVISIONING_DIR = resolve(REPO_ROOT, 'infrastructure/grafana/provisioning');
const PROMETHEUS = `http://${HOST_IP['obs-server']}:9090`;
const PUSHGATEWAY = `http://${HOST_IP['obs-server']}:9091`;

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

async function promQuery(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const body = await getJson<{ data: { result: { metric: Record<string, string>; value: [number, string] }[] } }>(
    `${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  return body.data.result;
}

function filesUnder(dir: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

function expectClean(recap: Map<string, RecapLine>): void {
  expect([...recap.keys()].sort()).toEqual(Object.keys(HOST_IP).sort());
  for (const [host, line] of recap) {
    expect({ host, failed: line.failed, unreachable: line.unreachable }).toEqual({ host, failed: 0, unreachable: 0 });
  }
}

describe.skipIf(!available)('ansible site.yml on the six podman test hosts', () => {
  let env: Record<string, string> = {};
  let vaultArgs: string[] = [];
  let secretDir = '';
  let ipForwardBefore = '';
  const slackUrl = `http://${HOST_IP['obs-server']}:5001/slack-${randomBytes(4).toString('hex')}`;
  const discordUrl = `http://${HOST_IP['obs-server']}:5001/discord-${randomBytes(4).toString('hex')}/slack`;
  const timings: Record<string, number> = {};
  // the checks after the first run read what it installed: when it failed, they fail at once with its failures
  // instead of each waiting out its timeout for a server that was never started
  let siteFailure: string | undefined = 'site.yml has not run';
  const needSite = (): void => {
    if (siteFailure) throw new Error(`the first site.yml run failed, nothing to check: ${siteFailure}`);
  };

  beforeAll(async () => {
    // fresh hosts: whatever an earlier run left installed would hide a missing task
    const stale = await testHosts('down');
    if (stale.code !== 0) throw new Error(`scripts/test-hosts.sh down (before the run) failed: ${stale.stdout}${stale.stderr.slice(-2000)}`);
    ipForwardBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
    let t = Date.now();
    const up = await testHosts('up');
    timings.up = Date.now() - t;
    if (up.code !== 0) throw new Error(`scripts/test-hosts.sh up failed (${up.code}): ${up.stderr.slice(-3000)}`);
    t = Date.now();
    env = await ansibleEnv(['artifacts']);
    timings.artifacts = Date.now() - t;
    // a throw-away vault: password file and encrypted secrets made here, never committed
    secretDir = mkdtempSync(join(tmpdir(), 'aiops-vault-'));
    const passwordFile = join(secretDir, 'vault-password');
    const vaultFile = join(secretDir, 'vault.yml');
    writeFileSync(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
    writeFileSync(vaultFile, `vault_alertmanager_slack_webhook_url: "${slackUrl}"\nvault_alertmanager_discord_webhook_url: "${discordUrl}"\nvault_ml_node_es_password: "test-${randomBytes(6).toString('hex')}"\n`, { mode: 0o600 });
    const enc = await run('ansible-vault', ['encrypt', '--vault-password-file', passwordFile, vaultFile], { env });
    if (enc.code !== 0) throw new Error(`ansible-vault encrypt failed: ${enc.stderr}`);
    expect(readFileSync(vaultFile, 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256/);
    vaultArgs = ['-e', `@${vaultFile}`, '--vault-password-file', passwordFile];
  }, 900_000);

  afterAll(async () => {
    if (secretDir) rmSync(secretDir, { recursive: true, force: true });
    await testHosts('down'); // a no-op when the teardown test ran
    console.info(`ansible-site timings (ms): ${JSON.stringify(timings)}`);
  }, 300_000);

  it('site.yml runs on all six hosts without a failure', async () => {
    const t = Date.now();
    const r = await ansiblePlaybook('site.yml', env, vaultArgs);
    timings.firstRun = Date.now() - t;
    if (r.code !== 0) console.error(r.stdout.slice(-6000));
    siteFailure = r.failures;
    expect(r.code, r.failures).toBe(0);
    expectClean(r.recap);
    expect(Math.max(...[...r.recap.values()].map((l) => l.changed))).toBeGreaterThan(0);
    siteFailure = undefined;
  }, 1_500_000);

  it('node_exporter answers on telem-a and telem-b', async () => {
    needSite();
    for (const host of ['telem-a', 'telem-b'] as const) {
      const res = await fetch(`http://${HOST_IP[host]}:9100/metrics`, { signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/^node_cpu_seconds_total\{cpu="0",mode="idle"\} \d/m);
      expect(text).not.toMatch(/collector="systemd"/);
    }
  });

  it('Prometheus on obs-server scrapes every host with instance = the inventory name', async () => {
    needSite();
    const up = await eventually(async () => {
      const result = await promQuery('up{job="node"}');
      return result.length === 6 && result.every((s) => s.value[1] === '1') ? result : undefined;
    }, 90_000, 2_000);
    expect(up.map((s) => s.metric.instance).sort()).toEqual(Object.keys(HOST_IP).sort());
    const cpu = await promQuery('count by (instance) (node_cpu_seconds_total{mode="idle",instance=~"telem-a|telem-b"})');
    expect(cpu.map((s) => s.metric.instance).sort()).toEqual(['telem-a', 'telem-b']);
  }, 120_000);

  it('Prometheus loaded the repository rule files and evaluates them', async () => {
    needSite();
    const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.rules.yml')).sort();
    expect(ruleFiles.length).toBeGreaterThan(0);
    type Group = { name: string; file: string; lastEvaluation: string; rules: { health: string; name: string }[] };
    const groups = await eventually(async () => {
      const body = await getJson<{ data: { groups: Group[] } }>(`${PROMETHEUS}/api/v1/rules`);
      const evaluated = body.data.groups.every((g) => !g.lastEvaluation.startsWith('0001'));
      return body.data.groups.length > 0 && evaluated ? body.data.groups : undefined;
    }, 90_000, 2_000);
    expect([...new Set(groups.map((g) => g.file.split('/').pop()))].sort()).toEqual(ruleFiles);
    for (const g of groups) for (const rule of g.rules) expect({ rule: rule.name, health: rule.health }).toEqual({ rule: rule.name, health: 'ok' });
  }, 120_000);

  it("Alertmanager runs the repository's alertmanager.yml; the receivers' URLs from the vault, in files readable by root and prometheus only", async () => {
    needSite();
    const status = await getJson<{ config: { original: string } }>(`http://${HOST_IP['obs-server']}:9093/api/v2/status`);
    const repoConfig = readFileSync(resolve(REPO_ROOT, 'infrastructure/alertmanager/alertmanager.yml'), 'utf8');
    const deployed = await onHost('obs-server', 'cat /etc/alertmanager/alertmanager.yml /etc/alertmanager/templates/aiops.tmpl', env);
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toBe(repoConfig + readFileSync(resolve(REPO_ROOT, 'infrastructure/alertmanager/templates/aiops.tmpl'), 'utf8'));
    // the running configuration is the repository's: its receivers, reading the URLs from the secret files
    expect(status.config.original).toContain('name: slack-discord-critical');
    expect(status.config.original).toContain('api_url_file: /etc/alertmanager/secrets/discord_webhook_url');
    expect(status.config.original).not.toContain(slackUrl);
    const secrets = await onHost('obs-server', 'cd /etc/alertmanager/secrets && stat -c %n:%a:%U:%G slack_webhook_url discord_webhook_url && cat slack_webhook_url discord_webhook_url', env);
    expect(secrets.code).toBe(0);
    expect(secrets.stdout).toBe(`slack_webhook_url:640:root:prometheus\ndiscord_webhook_url:640:root:prometheus\n${slackUrl}\n${discordUrl}\n`);
    expect(await fetch(`${PUSHGATEWAY}/-/ready`).then((r) => r.status)).toBe(200);
  });

  it('Grafana provisioning landed (install skipped): datasources and every file of the repository tree', async () => {
    needSite();
    const ds = await onHost('obs-server', 'cat /etc/grafana/provisioning/datasources/aiops.yml', env);
    expect(ds.code).toBe(0);
    expect(ds.stdout).toContain(`url: http://${HOST_IP['obs-server']}:9090`);
    expect(ds.stdout).toContain(`url: http://${HOST_IP['log-server']}:9200`);
    const expected = filesUnder(PROVISIONING_DIR).sort();
    const listing = await onHost('obs-server', 'cd /etc/grafana/provisioning && find . -type f | sed "s|^./||" | sort', env);
    const landed = listing.stdout.split('\n').filter(Boolean);
    for (const f of expected) expect(landed).toContain(f);
    expect(landed).toContain('dashboards/aiops.yml');
  });

  it('a line logged on telem-a reaches the log server through rsyslog', async () => {
    needSite();
    const marker = `aiops-ansible-test-${randomBytes(4).toString('hex')}`;
    expect((await onHost('telem-a', `logger -t aiops-test ${marker}`, env)).code).toBe(0);
    const line = await eventually(async () => {
      const r = await onHost('log-server', `grep -h ${marker} /var/log/remote/telem-a/syslog.log || true`, env);
      return r.stdout.trim() || undefined;
    }, 60_000, 2_000);
    expect(line).toContain('aiops-test');
  }, 90_000);

  it('net-sensor: the capture NIC is promiscuous and the Zeek configs landed (install skipped)', async () => {
    needSite();
    const link = await onHost('net-sensor', 'ip -o link show dev eth0 && cat /opt/zeek/etc/node.cfg /opt/zeek/etc/networks.cfg', env);
    expect(link.code).toBe(0);
    expect(link.stdout).toMatch(/<[^>]*PROMISC[^>]*>/);
    expect(link.stdout).toContain('interface=eth0');
    expect(link.stdout).toContain('10.213.0.0/24');
  });

  it('ml-node runs a job from cron, and its gauges reach Prometheus through the exporter drain', async () => {
    needSite();
    // training-forecast runs every minute in the test inventory; exporter-drain pushes its job gauges to obs-server
    const series = await eventually(async () => {
      const names = `${metrics.jobLastSuccessTimestamp.name}|${metrics.jobLastFailureTimestamp.name}`;
      const result = await promQuery(`{__name__=~"${names}",job="forecaster-train",instance="ml-node"}`);
      return result.length > 0 ? result : undefined;
    }, 240_000, 5_000);
    const ranAt = Number(series[0]!.value[1]);
    expect(Date.now() / 1000 - ranAt).toBeLessThan(600);
    const logs = await onHost('ml-node', 'cat /var/log/aiops/training-forecast.log /var/log/aiops/exporter-drain.log', env);
    expect(logs.stdout).toMatch(/training-forecast: exit \d+ after/);
    expect(logs.stdout).toMatch(/exporter-drain: exit 0 after/);
  }, 300_000);

  it('a second site.yml run changes nothing', async () => {
    needSite();
    const t = Date.now();
    const r = await ansiblePlaybook('site.yml', env, vaultArgs);
    timings.secondRun = Date.now() - t;
    expect(r.code, r.failures).toBe(0);
    expectClean(r.recap);
    const changed = Object.fromEntries([...r.recap].map(([host, line]) => [host, line.changed]));
    if (Object.values(changed).some((n) => n > 0)) console.error(r.stdout.slice(-8000));
    expect(changed).toEqual(Object.fromEntries(Object.keys(HOST_IP).map((h) => [h, 0])));
  }, 1_500_000);

  it('ml-node has a first log classifier model, trained by the jobs\' user on every shipped label', async () => {
    needSite();
    const model = '/var/lib/aiops/models/log-classifier.json';
    const read = `node -p 'const t = require("${model}").training; [t.refitOnAllTemplates, t.templates].join(" ")'`;
    const r = await onHost('ml-node', `stat -c %U ${model} && ${read}`, env);
    expect(r.code, r.stderr).toBe(0);
    const [owner, refit, templates] = r.stdout.trim().split(/\s+/);
    expect(owner).toBe('aiops');
    expect(refit).toBe('true');
    // every Loghub template (803) and every Linux-server line (data/linux-logs: over 4,000, each its own template)
    expect(Number(templates)).toBeGreaterThan(4_500);
  });

  it('cron_setup.sh on ml-node: reinstall leaves the file unchanged, --dry-run prints it, --uninstall removes it', async () => {
    needSite();
    const setup = '/opt/aiops/current/scripts/cron_setup.sh --user aiops --lock-dir /var/lib/aiops/locks --schedule "training-forecast=* * * * *"';
    const before = await onHost('ml-node', 'stat -c %Y /etc/cron.d/aiops && cat /etc/cron.d/aiops', env);
    expect(before.code).toBe(0);
    const again = await onHost('ml-node', setup, env);
    expect(again.stdout.trim()).toBe('unchanged: /etc/cron.d/aiops, /etc/logrotate.d/aiops');
    const dry = await onHost('ml-node', `${setup} --dry-run`, env);
    expect(dry.stdout.trim()).toBe(before.stdout.split('\n').slice(1).join('\n').trim());
    expect(dry.stdout.split('\n').filter((l) => / aiops flock -n -E 75 /.test(l))).toHaveLength(6);
    const after = await onHost('ml-node', 'stat -c %Y /etc/cron.d/aiops', env);
    expect(after.stdout.trim()).toBe(before.stdout.split('\n')[0]);
    const rotate = await onHost('ml-node', 'logrotate -d /etc/logrotate.d/aiops 2>&1', env);
    expect(rotate.stdout).toContain('/var/log/aiops/*.log');
    expect(rotate.stdout).not.toMatch(/error/i);

    const removed = await onHost('ml-node', `${setup} --uninstall; test ! -e /etc/cron.d/aiops && test ! -e /etc/logrotate.d/aiops && echo gone`, env);
    expect(removed.stdout).toContain('removed: /etc/cron.d/aiops /etc/logrotate.d/aiops');
    expect(removed.stdout).toContain('gone');
    const twice = await onHost('ml-node', `${setup} --uninstall`, env);
    expect(twice.stdout.trim()).toBe('unchanged: nothing installed');
    const reinstalled = await onHost('ml-node', setup, env);
    expect(reinstalled.stdout).toMatch(/^installed: \/etc\/cron\.d\/aiops \(changed\)/);
  }, 120_000);

  it('teardown leaves nothing behind (containers, bridge, chains, cgroups, mounts, run dirs, ip_forward)', async () => {
    const t = Date.now();
    const down = await testHosts('down');
    timings.down = Date.now() - t;
    expect(down.stdout).not.toContain('leftover:');
    expect(down.code).toBe(0);
    expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim()).toBe(ipForwardBefore);
    const leftovers = await testHosts('leftovers');
    expect(leftovers.stdout).toBe('');
    expect(leftovers.code).toBe(0);
    const link = await run('ip', ['-4', 'addr', 'show']);
    expect(link.stdout).not.toContain('10.213.0.1/');
  }, 300_000);
});
