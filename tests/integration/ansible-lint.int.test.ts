/**
 * The playbooks and roles pass ansible-lint's production profile (the strictest), and the linter really is
 * strict here: a copy of a role with a bare `apt:` module fails it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSIBLE_DIR, run, testHostsAvailable } from '../support/test-hosts.ts';

const available = testHostsAvailable('ansible-lint');
// ansible-lint writes escapes for colours and OSC-8 links even without a terminal: matching them is the point
// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '').replace(/\u001b\[[0-9;]*m/g, '');

async function lint(dir: string): Promise<{ code: number; out: string }> {
  const home = mkdtempSync(join(tmpdir(), 'aiops-lint-home-'));
  try {
    const r = await run('ansible-lint', ['--profile', 'production', '--offline', '--nocolor'], {
      cwd: dir,
      env: { ANSIBLE_HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), NO_COLOR: '1' },
      timeout: 300_000,
    });
    return { code: r.code, out: plain(r.stdout + r.stderr) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe.skipIf(!available)('ansible-lint', () => {
  it('passes the production profile on site.yml, the playbooks and every role', async () => {
    const r = await lint(ANSIBLE_DIR);
    if (r.code !== 0) console.error(r.out.slice(-6000));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
  }, 300_000);

  it('fails a role whose task uses a bare module name', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'aiops-lint-'));
    try {
      cpSync(ANSIBLE_DIR, copy, { recursive: true });
      const file = join(copy, 'roles/node_exporter/tasks/install.yml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('ansible.builtin.apt:', 'apt:'));
      const r = await lint(copy);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('fqcn[action-core]');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 300_000);
});
