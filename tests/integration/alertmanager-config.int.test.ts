/**
 * The production Alertmanager and Prometheus configurations as code: `amtool check-config` accepts
 * infrastructure/alertmanager/alertmanager.yml (with its templates), `amtool config routes test` sends each
 * severity where it belongs, and `promtool check config` accepts infrastructure/prometheus/prometheus.yml with the
 * generated rule files. amtool/promtool come with the dev stack (scripts/dev-stack.sh install).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { integrationRequired, REPO_ROOT } from '../support/stack.ts';
import { runTool } from '../support/tools.ts';

const AM_DIR = join(REPO_ROOT, 'infrastructure/alertmanager');
const AM_CONFIG = join(AM_DIR, 'alertmanager.yml');
const amtool = (...args: string[]) => runTool(process.env.AIOPS_AMTOOL ?? 'amtool', args);
const promtool = (...args: string[]) => runTool(process.env.AIOPS_PROMTOOL ?? 'promtool', args);

const available = (await amtool('--version')).code === 0 && (await promtool('--version')).code === 0;
if (!available) {
  const msg = 'amtool/promtool not found — install the dev stack with scripts/dev-stack.sh install';
  if (integrationRequired) throw new Error(`${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING INTEGRATION TESTS: ${msg}\n`);
}

// label set → the receivers it must reach, in order
const ROUTES: [labels: string[], receivers: string][] = [
  [['alertname=CapacityExhaustion', 'severity=critical', 'host=db-01:9100'], 'slack-discord-critical'],
  [['alertname=CapacityExhaustion', 'severity=warning', 'host=db-01:9100'], 'slack-warning'],
  [['alertname=TargetDown', 'severity=critical'], 'slack-discord-critical'],
  [['alertname=LogClassifierDrift', 'severity=warning'], 'slack-warning'],
  // an alert of someone else's rules without a severity still reaches people
  [['alertname=Watchdog'], 'slack-warning'],
  [['alertname=X', 'severity=info'], 'slack-warning'],
];

describe.skipIf(!available)('Alertmanager and Prometheus production configs (amtool, promtool)', () => {
  it('amtool check-config accepts alertmanager.yml and its templates', async () => {
    const { code, output } = await amtool('check-config', AM_CONFIG);
    expect(output).toContain('SUCCESS');
    expect(output).toMatch(/1 inhibit rules/);
    expect(output).toMatch(/2 receivers/);
    expect(output).toMatch(/1 templates/);
    expect(code).toBe(0);
  });

  it('amtool check-config rejects a broken template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-am-'));
    mkdirSync(join(dir, 'templates'));
    copyFileSync(AM_CONFIG, join(dir, 'alertmanager.yml'));
    const template = readFileSync(join(AM_DIR, 'templates/aiops.tmpl'), 'utf8');
    writeFileSync(join(dir, 'templates/aiops.tmpl'), template.replace('{{ end }}{{ end }}', '{{ end }}'));
    const { code } = await amtool('check-config', join(dir, 'alertmanager.yml'));
    expect(code).not.toBe(0);
  });

  for (const [labels, receivers] of ROUTES) {
    it(`routes ${labels.join(' ')} to ${receivers}`, async () => {
      const { code, output } = await amtool('config', 'routes', 'test', `--config.file=${AM_CONFIG}`, `--verify.receivers=${receivers}`, ...labels);
      expect(output.split('\n').filter((l) => l && !l.startsWith('Warning:'))).toEqual([receivers]);
      expect(code).toBe(0);
    });
  }

  it('amtool routes test fails when the receivers differ (so the cases above can fail)', async () => {
    const { code } = await amtool('config', 'routes', 'test', `--config.file=${AM_CONFIG}`, '--verify.receivers=slack-warning', 'severity=critical');
    expect(code).not.toBe(0);
  });

  it('promtool check config accepts prometheus.yml with the generated rule files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-prom-'));
    const rulesDir = join(REPO_ROOT, 'infrastructure/prometheus/rules');
    const config = readFileSync(join(REPO_ROOT, 'infrastructure/prometheus/prometheus.yml'), 'utf8');
    writeFileSync(join(dir, 'prometheus.yml'), config.replace('/etc/prometheus/rules/*.rules.yml', `${rulesDir}/*.rules.yml`));
    const { code, output } = await promtool('check', 'config', join(dir, 'prometheus.yml'));
    const ruleFiles = readdirSync(rulesDir).filter((f) => f.endsWith('.rules.yml'));
    expect(output).toContain('is valid prometheus config file syntax');
    expect(output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(ruleFiles.length);
    expect(code).toBe(0);
  });
});
