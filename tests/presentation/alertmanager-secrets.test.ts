/**
 * Webhook URLs are secrets: the Alertmanager config reads them from files (api_url_file), never inline, and
 * nothing under infrastructure/ or ansible/ holds a Slack or Discord webhook URL, not even an example one (the
 * examples are placeholders that are not URLs).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/stack.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('Alertmanager secrets', () => {
  it('every Slack integration reads its URL from a file under /etc/alertmanager/secrets', () => {
    const config = parse(readFileSync(join(REPO_ROOT, 'infrastructure/alertmanager/alertmanager.yml'), 'utf8'));
    expect(config.global?.slack_api_url).toBeUndefined();
    const integrations = config.receivers.flatMap((r: { slack_configs?: Record<string, string>[] }) => r.slack_configs ?? []);
    expect(integrations.length).toBeGreaterThanOrEqual(3);
    for (const s of integrations) {
      expect(s.api_url).toBeUndefined();
      expect(s.api_url_file).toMatch(/^\/etc\/alertmanager\/secrets\/(slack|discord)_webhook_url$/);
    }
  });

  it('no webhook URL in infrastructure/ or ansible/', () => {
    const webhook = /https:\/\/(hooks\.slack\.com\/services|discord(app)?\.com\/api\/webhooks)\/\S+/g;
    const files = ['infrastructure', 'ansible'].flatMap((dir) => filesUnder(join(REPO_ROOT, dir)));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect([...readFileSync(file, 'utf8').matchAll(webhook)].map((m) => m[0]), file).toEqual([]);
  });
});
