/**
 * Alert → Alertmanager → webhook on the real dev stack: the production Alertmanager configuration
 * (infrastructure/alertmanager/alertmanager.yml, only its secret-file paths pointed at temporary files holding
 * this test's receiver URLs and its wait intervals shortened) is loaded into the dev Alertmanager; the dev
 * Prometheus evaluates the generated NetworkAnomalyHost rule (unchanged: it has no `for:`) on the host gauges pushed to
 * Pushgateway; the critical route delivers to both the Slack and the Discord (Slack-compatible) URL, first
 * "firing", then "resolved" once the pushed score drops. A warning sent beside its critical is inhibited.
 * The dev configuration is restored afterwards.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deletePushgatewayGroup, pushSnapshot } from '@aiops/common';
import { metrics, sample } from '@aiops/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { eventually, REPO_ROOT, STACK_DIR, stackAvailable, URLS } from '../support/stack.ts';
import { WebhookReceiver, type ReceivedRequest } from '../../scripts/support/webhook-receiver.ts';

const available = await stackAvailable('prometheus', 'pushgateway', 'alertmanager');
const run = `it-alerts-${process.pid}-${Date.now().toString(36)}`;
const host = `${run}-10.0.0.5`;
const job = 'anomaly-scorer-detect';
const AM_CONFIG = join(REPO_ROOT, 'infrastructure/alertmanager/alertmanager.yml');
const devConfig = join(STACK_DIR, 'alertmanager', 'alertmanager.yml');
const work = mkdtempSync(join(tmpdir(), 'aiops-alerts-'));
const receiver = new WebhookReceiver();

interface SlackMessage {
  attachments: { title: string; text: string; color: string }[];
}

async function reloadAlertmanager(): Promise<void> {
  const res = await fetch(`${URLS.alertmanager}/-/reload`, { method: 'POST' });
  if (!res.ok) throw new Error(`Alertmanager reload: HTTP ${res.status} ${await res.text()}`);
}

/** The host gauges of one batch: its score and the detector's decision (the rule alerts on the decision). */
async function pushHostScore(value: number, alerted: boolean): Promise<void> {
  await pushSnapshot(URLS.pushgateway, {
    job,
    instance: run,
    createdAt: new Date().toISOString(),
    samples: [sample(metrics.anomalyHostScore, { host }, value), sample(metrics.anomalyHostAlerted, { host }, alerted ? 1 : 0)],
  });
}

/** The messages for our host on one webhook path, oldest first. */
function messages(path: string, filter: string = host): SlackMessage[] {
  return receiver.received
    .filter((r: ReceivedRequest) => r.path === path && JSON.stringify(r.body).includes(filter))
    .map((r) => r.body as SlackMessage);
}

/** The production config with test-local secrets and intervals; everything else (routes, inhibit, templates) as is. */
function testConfig(): string {
  const config = parse(readFileSync(AM_CONFIG, 'utf8'));
  const urls: Record<string, string> = { slack_webhook_url: receiver.url('/slack'), discord_webhook_url: receiver.url('/discord') };
  for (const [name, url] of Object.entries(urls)) writeFileSync(join(work, name), `${url}\n`);
  for (const r of config.receivers) {
    for (const s of r.slack_configs) s.api_url_file = join(work, s.api_url_file.split('/').pop());
  }
  const shorten = (route: Record<string, unknown>) => Object.assign(route, { group_wait: '1s', group_interval: '2s' });
  shorten(config.route);
  config.route.routes.forEach(shorten);
  config.templates = [join(REPO_ROOT, 'infrastructure/alertmanager/templates/*.tmpl')];
  return stringify(config);
}

describe.skipIf(!available)('alert → Alertmanager → Slack/Discord webhooks', () => {
  beforeAll(async () => {
    // the dev stack loads the generated rules on `up prometheus` (scripts/dev-stack/prometheus-stack.sh)
    const rules = (await (await fetch(`${URLS.prometheus}/api/v1/rules?type=alert`)).json()) as { data: { groups: { rules: { name: string; query: string }[] }[] } };
    const rule = rules.data.groups.flatMap((g) => g.rules).find((r) => r.name === 'NetworkAnomalyHost');
    expect(rule?.query, 'NetworkAnomalyHost is not loaded: restart the dev Prometheus (scripts/dev-stack.sh restart prometheus)').toContain(metrics.anomalyHostAlerted.name);
    await receiver.start();
    copyFileSync(devConfig, join(work, 'dev-alertmanager.yml'));
    writeFileSync(devConfig, testConfig());
    await reloadAlertmanager();
    const status = (await (await fetch(`${URLS.alertmanager}/api/v2/status`)).json()) as { config: { original: string } };
    expect(status.config.original).toContain(join(work, 'slack_webhook_url'));
  });

  afterAll(async () => {
    await deletePushgatewayGroup(URLS.pushgateway, job, run).catch(() => {});
    // only when beforeAll got as far as swapping the dev stack's configuration
    if (existsSync(join(work, 'dev-alertmanager.yml'))) {
      copyFileSync(join(work, 'dev-alertmanager.yml'), devConfig);
      await reloadAlertmanager().catch(() => {});
    }
    await receiver.stop();
  });

  it('a host score above the limit reaches Slack and Discord as firing, then as resolved when it drops', async () => {
    const pushed = Date.now();
    await pushHostScore(0.95, true);
    const firing = await eventually(async () => {
      const slack = messages('/slack').find((m) => m.attachments[0]?.title.startsWith('[FIRING'));
      const discord = messages('/discord').find((m) => m.attachments[0]?.title.startsWith('[FIRING'));
      return slack && discord ? { slack, discord } : undefined;
    }, 60_000, 500);
    for (const message of [firing.slack, firing.discord]) {
      const [attachment] = message.attachments;
      expect(attachment!.title).toBe(`[FIRING:1] NetworkAnomalyHost on ${host} (critical)`);
      expect(attachment!.color).toBe('danger');
      expect(attachment!.text).toContain(`*Host ${host} changed behaviour (host anomaly score 0.95)*`);
      expect(attachment!.text).toContain('Runbook: docs/runbook.md#network-anomaly-host');
    }

    const firedAt = Date.now();
    await pushHostScore(0.1, false);
    const resolved = await eventually(async () => {
      const slack = messages('/slack').find((m) => m.attachments[0]?.title.startsWith('[RESOLVED'));
      const discord = messages('/discord').find((m) => m.attachments[0]?.title.startsWith('[RESOLVED'));
      return slack && discord ? { slack, discord } : undefined;
    }, 90_000, 500);
    expect(resolved.slack.attachments[0]!.title).toBe(`[RESOLVED] NetworkAnomalyHost on ${host} (critical)`);
    expect(resolved.slack.attachments[0]!.color).toBe('good');
    expect(resolved.discord.attachments[0]!.title).toBe(`[RESOLVED] NetworkAnomalyHost on ${host} (critical)`);
    console.info(`push → firing webhook ${((firedAt - pushed) / 1000).toFixed(1)} s, push → resolved webhook ${((Date.now() - firedAt) / 1000).toFixed(1)} s (scrape + evaluation 5 s, group_wait 1 s)`);
  }, 180_000);

  it('routes a warning to Slack only, and inhibits it while the critical of the same alert and series fires', async () => {
    const labels = (severity: string, mountpoint: string) => ({
      alertname: 'HostDiskAlmostFull', severity, area: 'capacity', host: `${run}-telem-a:9100`, instance: `${run}-telem-a:9100`, job: 'node', mountpoint,
    });
    const alert = (l: Record<string, string>) => ({ labels: l, annotations: { summary: `${l.mountpoint} ${l.severity}`, description: 'd', runbook_url: 'r' }, startsAt: new Date().toISOString() });
    // "/" has both a critical and a warning (the warning is inhibited); "/data" only a warning (delivered).
    const res = await fetch(`${URLS.alertmanager}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([alert(labels('critical', '/')), alert(labels('warning', '/')), alert(labels('warning', '/data'))]),
    });
    expect(res.status).toBe(200);
    const hostLabel = `${run}-telem-a:9100`;
    await eventually(async () => (messages('/slack', hostLabel).length >= 1 && messages('/discord', hostLabel).length >= 1 ? true : undefined), 30_000, 500);
    // Give the group a few more flushes to show that the inhibited warning never goes out.
    await new Promise((r) => setTimeout(r, 5_000));
    const slackTexts = messages('/slack', hostLabel).flatMap((m) => m.attachments.map((a) => a.text));
    const discordTexts = messages('/discord', hostLabel).flatMap((m) => m.attachments.map((a) => a.text));
    expect(slackTexts.join('\n')).toContain('*/ critical*');
    expect(slackTexts.join('\n')).toContain('*/data warning*');
    expect(slackTexts.join('\n')).not.toContain('*/ warning*');
    expect(discordTexts.join('\n')).toContain('*/ critical*');
    expect(discordTexts.join('\n')).not.toContain('warning*');
    const inhibited = (await (await fetch(`${URLS.alertmanager}/api/v2/alerts?filter=host="${hostLabel}"&filter=severity="warning"&inhibited=true&active=false&silenced=false`)).json()) as { labels: Record<string, string>; status: { inhibitedBy: string[] } }[];
    const slash = inhibited.find((a) => a.labels.mountpoint === '/');
    expect(slash?.status.inhibitedBy.length).toBe(1);
  }, 60_000);
});
