/**
 * The shipped rsyslog config (infrastructure/rsyslog) passes rsyslog's own validation, `rsyslogd -N1`, with the
 * environment scripts/dev-stack/rsyslog.sh gives it; a broken copy does not (so the check can fail). Needs the
 * Debian packages rsyslog + rsyslog-elasticsearch (scripts/dev-stack.sh install); without them it skips loudly,
 * or fails under REQUIRE_INTEGRATION=1 (CI).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '@aiops/contracts';
import { integrationRequired, REPO_ROOT } from '../support/stack.ts';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const CONF_SRC = join(REPO_ROOT, 'infrastructure/rsyslog');
const FILES = ['rsyslog.conf', 'aiops-contract.conf', 'aiops-inputs.conf'];
const omelasticsearch = existsSync('/usr/lib/x86_64-linux-gnu/rsyslog/omelasticsearch.so') || existsSync('/usr/lib/aarch64-linux-gnu/rsyslog/omelasticsearch.so');
const present = existsSync(RSYSLOGD) && omelasticsearch;
if (!present) {
  const msg = 'rsyslogd or omelasticsearch missing (Debian rsyslog rsyslog-elasticsearch; scripts/dev-stack.sh install)';
  if (integrationRequired) throw new Error(`${msg} (REQUIRE_INTEGRATION=1)`);
  console.warn(`\n!!! SKIPPING rsyslog config validation: ${msg}\n`);
}

/** A copy of the shipped files and the environment the dev stack sets, in a fresh folder. */
function stage(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'rsyslog-conf-'));
  mkdirSync(join(dir, 'conf'));
  mkdirSync(join(dir, 'work'));
  for (const f of FILES) copyFileSync(join(CONF_SRC, f), join(dir, 'conf', f));
  const env = {
    ...process.env,
    AIOPS_RSYSLOG_CONF_DIR: join(dir, 'conf'),
    AIOPS_RSYSLOG_WORK_DIR: join(dir, 'work'),
    AIOPS_RSYSLOG_FILES_DIR: join(dir, 'files'),
    AIOPS_RSYSLOG_ERROR_FILE: join(dir, 'refused.jsonl'),
    AIOPS_RSYSLOG_ADDRESS: '127.0.0.1',
    AIOPS_RSYSLOG_TCP_PORT: '5514',
    AIOPS_RSYSLOG_UDP_PORT: '5514',
    AIOPS_RSYSLOG_ES_SERVER: 'http://127.0.0.1:9200',
    AIOPS_RSYSLOG_INDEX_PREFIX: '',
  };
  return { dir, env };
}

async function validate(dir: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(RSYSLOGD, ['-N1', '-f', join(dir, 'conf', 'rsyslog.conf')], { env });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

describe.skipIf(!present)('infrastructure/rsyslog', () => {
  it('rsyslogd -N1 validates the shipped config', async () => {
    const { dir, env } = stage();
    const { code, output } = await validate(dir, env);
    expect(output).toContain('End of config validation run');
    expect(output).not.toMatch(/error|warning/i);
    expect(code).toBe(0);
  });

  it('rsyslogd -N1 refuses a copy with a ruleset that does not exist', async () => {
    const { dir, env } = stage();
    const contract = join(dir, 'conf', 'aiops-contract.conf');
    writeFileSync(contract, readFileSync(contract, 'utf8').replace('call aiops_logs_output', 'call aiops_logs_nowhere'));
    const { code, output } = await validate(dir, env);
    expect(code).not.toBe(0);
    expect(output).toContain("ruleset 'aiops_logs_nowhere' cannot be found");
  });

  it('writes exactly the fields of the logs contract', () => {
    // The document template names each field once, the same seven as the `logs` family's mapping.
    const contract = readFileSync(join(CONF_SRC, 'aiops-contract.conf'), 'utf8');
    const body = /template\(name="aiops_logs_document"[^{]*\{([^}]*)\}/.exec(contract)?.[1] ?? '';
    const fields = [...body.matchAll(/outname="([^"]+)"/g)].map((m) => m[1]);
    expect(fields).toEqual(Object.keys(FAMILIES.logs.properties));
  });
});
