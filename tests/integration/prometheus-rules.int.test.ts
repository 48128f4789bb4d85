/**
 * The alert and recording rules as code: `promtool check rules` accepts every generated rule file and
 * `promtool test rules` passes every unit test file beside them (infrastructure/prometheus/rules/*.test.yml).
 * Rules with a changed threshold make the same unit tests fail, so they really pin the rules down.
 * promtool comes with the dev stack (scripts/dev-stack.sh install); without it the test skips loudly, or fails
 * under REQUIRE_INTEGRATION=1.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { integrationRequired, REPO_ROOT } from '../support/stack.ts';
import { runTool } from '../support/tools.ts';

const RULES_DIR = join(REPO_ROOT, 'infrastructure/prometheus/rules');
const PROMTOOL = process.env.AIOPS_PROMTOOL ?? 'promtool';
const promtool = (...args: string[]) => runTool(PROMTOOL, args);

const available = (await promtool('--version')).code === 0;
if (!available) {
  const msg = `promtool not found (${PROMTOOL}) — install the dev stack with scripts/dev-stack.sh install`;
  if (integrationRequired) throw new Error(`${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING INTEGRATION TESTS: ${msg}\n`);
}

const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.rules.yml'));
const testFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.test.yml'));

describe.skipIf(!available)('Prometheus rules (promtool)', () => {
  it('promtool check rules accepts every rule file', async () => {
    expect(ruleFiles.length).toBeGreaterThanOrEqual(6);
    const { code, output } = await promtool('check', 'rules', ...ruleFiles.map((f) => join(RULES_DIR, f)));
    expect(output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(ruleFiles.length);
    expect(output).not.toContain('FAILED');
    expect(code).toBe(0);
  });

  for (const file of testFiles) {
    it(`promtool test rules passes ${file}`, async () => {
      const { code, output } = await promtool('test', 'rules', join(RULES_DIR, file));
      expect(output).toContain('SUCCESS');
      expect(code).toBe(0);
    });
  }

  // Mutations of the generated rules that the unit tests must catch: a threshold, a `for:` and a severity.
  const mutations: [file: string, test: string, from: string, to: string, alert: string][] = [
    ['capacity.rules.yml', 'capacity.test.yml', '{threshold="95"} < 7', '{threshold="95"} < 3', 'CapacityExhaustion'],
    ['capacity.rules.yml', 'capacity.test.yml', 'for: 5m', 'for: 2m', 'HostDiskAlmostFull'],
    ['logs.rules.yml', 'logs.test.yml', 'severity: critical', 'severity: warning', 'CriticalLogBurst'],
    ['jobs.rules.yml', 'jobs.test.yml', '{job="zeek-ingest"}) > 600', '{job="zeek-ingest"}) > 1200', 'AiopsJobStale'],
  ];
  for (const [file, test, from, to, alert] of mutations) {
    it(`the unit tests fail when ${file} changes "${from}" to "${to}"`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'aiops-rules-'));
      cpSync(RULES_DIR, dir, { recursive: true });
      const rules = readFileSync(join(RULES_DIR, file), 'utf8');
      const mutated = rules.replace(from, to);
      expect(mutated).not.toBe(rules);
      writeFileSync(join(dir, file), mutated);
      const { code, output } = await promtool('test', 'rules', join(dir, test));
      expect(code).toBe(1);
      expect(output).toContain('FAILED');
      expect(output).toContain(alert);
    });
  }
});
