/**
 * Every alert has promtool unit tests (infrastructure/prometheus/rules/*.test.yml) with a case where it fires and a
 * case where it must stay silent, and an alert with `for:` has a silent case before its first firing case in the
 * same test group (the pending period). A new alert without tests fails here; promtool itself runs them in
 * tests/integration/prometheus-rules.int.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RULE_FILES, isAlertingRule, type AlertingRule } from './index.ts';

const RULES_DIR = new URL('../../../../infrastructure/prometheus/rules/', import.meta.url).pathname;
const RUNBOOK = readFileSync(new URL('../../../../docs/runbook.md', import.meta.url), 'utf8');

interface AlertCase {
  eval_time: string;
  alertname: string;
  exp_alerts?: unknown[];
}
interface TestFile {
  rule_files: string[];
  tests: { alert_rule_test?: AlertCase[] }[];
}

/** promtool durations as used in the tests: 1h50m, 31m, 0m, 90s. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+)(h|m|s)/g)) total += Number(n) * { h: 3600, m: 60, s: 1 }[unit as 'h' | 'm' | 's'];
  return total;
}

const testFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.test.yml'))
  .map((f) => ({ file: f, doc: parse(readFileSync(join(RULES_DIR, f), 'utf8')) as TestFile }));

const alerts = new Map<string, AlertingRule[]>();
for (const file of RULE_FILES) {
  for (const rule of file.groups.flatMap((g) => g.rules)) {
    if (isAlertingRule(rule)) alerts.set(rule.alert, [...(alerts.get(rule.alert) ?? []), rule]);
  }
}

describe('promtool tests cover every alert', () => {
  it('finds the alerts and the test files', () => {
    expect(alerts.size).toBeGreaterThanOrEqual(13);
    expect(testFiles.map((t) => t.file).sort()).toEqual(RULE_FILES.map((f) => f.file.replace('.rules.yml', '.test.yml')).sort());
  });

  for (const [name, rules] of alerts) {
    it(`${name}: fires in one case and stays silent in another${rules.some((r) => r.for) ? ', silent while pending' : ''}`, () => {
      const groups = testFiles.flatMap((t) => t.doc.tests.map((g) => (g.alert_rule_test ?? []).filter((c) => c.alertname === name)));
      const cases = groups.flat();
      expect(cases.some((c) => (c.exp_alerts ?? []).length > 0), `${name} has no firing case`).toBe(true);
      expect(cases.some((c) => (c.exp_alerts ?? []).length === 0), `${name} has no silent case`).toBe(true);
      if (rules.some((r) => r.for)) {
        const pendingChecked = groups.some((g) => {
          const firstFiring = g.filter((c) => (c.exp_alerts ?? []).length > 0).map((c) => seconds(c.eval_time));
          return firstFiring.length > 0 && g.some((c) => (c.exp_alerts ?? []).length === 0 && seconds(c.eval_time) < Math.min(...firstFiring));
        });
        expect(pendingChecked, `${name} has \`for:\` but no silent case before its first firing case`).toBe(true);
      }
    });
  }

  it('every test file loads the rule file it is named after', () => {
    for (const { file, doc } of testFiles) expect(doc.rule_files).toContain(file.replace('.test.yml', '.rules.yml'));
  });

  it('every runbook_url points at a section of docs/runbook.md', () => {
    const anchors = new Set([...RUNBOOK.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const rules of alerts.values()) {
      for (const rule of rules) {
        const anchor = rule.annotations.runbook_url.split('#')[1]!;
        expect(anchors, `${rule.alert}: no "## ${anchor}" section in docs/runbook.md`).toContain(anchor);
      }
    }
  });
});
