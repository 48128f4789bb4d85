/**
 * The capacity alert rules as code: `promtool check rules` accepts them and `promtool test rules` passes their unit
 * tests (infrastructure/prometheus/rules/capacity.test.yml). A rule file with the critical threshold changed
 * must make the same unit tests fail, so they really pin the rules down. promtool comes with the dev stack
 * (scripts/dev-stack.sh install); without it the test skips loudly, or fails under REQUIRE_INTEGRATION=1.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { integrationRequired, REPO_ROOT } from '../support/stack.ts';

const RULES_DIR = join(REPO_ROOT, 'infrastructure/prometheus/rules');
const PROMTOOL = process.env.AIOPS_PROMTOOL ?? 'promtool';

async function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(PROMTOOL, args, { timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}${String(e.code ?? '')}` };
  }
}

const available = (await promtool('--version')).code === 0;
if (!available) {
  const msg = `promtool not found (${PROMTOOL}) — install the dev stack with scripts/dev-stack.sh install`;
  if (integrationRequired) throw new Error(`${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING INTEGRATION TESTS: ${msg}\n`);
}

describe.skipIf(!available)('capacity alert rules (promtool)', () => {
  it('promtool check rules accepts capacity.rules.yml', async () => {
    const { code, output } = await promtool('check', 'rules', join(RULES_DIR, 'capacity.rules.yml'));
    expect(output).toContain('SUCCESS: 4 rules found');
    expect(code).toBe(0);
  });

  it('promtool test rules passes capacity.test.yml', async () => {
    const { code, output } = await promtool('test', 'rules', join(RULES_DIR, 'capacity.test.yml'));
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
  });

  it('the unit tests fail when the critical threshold of the rules changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aiops-rules-'));
    const rules = readFileSync(join(RULES_DIR, 'capacity.rules.yml'), 'utf8');
    const mutated = rules.replace('aiops_capacity_days_to_exhaustion{threshold="95"} < 7\n        for: 30m', 'aiops_capacity_days_to_exhaustion{threshold="95"} < 3\n        for: 30m');
    expect(mutated).not.toBe(rules);
    writeFileSync(join(dir, 'capacity.rules.yml'), mutated);
    copyFileSync(join(RULES_DIR, 'capacity.test.yml'), join(dir, 'capacity.test.yml'));
    const { code, output } = await promtool('test', 'rules', join(dir, 'capacity.test.yml'));
    expect(code).toBe(1);
    expect(output).toContain('FAILED');
    expect(output).toContain('CapacityExhaustionCritical');
  });
});
