/**
 * The production shape: every service runs from its compiled bundle (`pnpm build` → services/<name>/dist/cli.js,
 * the package's `bin`) with plain node, no tsx — answering --help and doing real files-mode work. `pnpm ci` builds
 * before it tests; run `pnpm build` first when running this file alone.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/stack.ts';

const SERVICES = ['zeek-ingest', 'anomaly-scorer', 'forecaster', 'log-classifier', 'pushgateway-exporter'];
const bin = (service: string) => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'services', service, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return join(REPO_ROOT, 'services', service, pkg.bin[`aiops-${service}`]!);
};
const work = mkdtempSync(join(tmpdir(), 'aiops-dist-'));
const env = { ...process.env, AIOPS_STATE_DIR: join(work, 'state'), AIOPS_OUTBOX_DIR: join(work, 'outbox'), AIOPS_MODEL_DIR: join(work, 'models') };
const node = (file: string, ...args: string[]) => promisify(execFile)(process.execPath, [file, ...args], { cwd: REPO_ROOT, env, timeout: 180_000 });

describe('compiled services (pnpm build)', () => {
  it.each(SERVICES)('%s: its bin is the dist bundle and answers --help with plain node', async (service) => {
    const file = bin(service);
    expect(file).toMatch(/\/dist\/cli\.js$/);
    expect(existsSync(file), `${file} missing: run pnpm build`).toBe(true);
    const { stdout } = await node(file, '--help');
    expect(stdout).toContain(`aiops-${service}`);
  }, 60_000);

  it('runs the three pipelines in files mode from the bundles', async () => {
    await node(bin('anomaly-scorer'), 'train', '--file', 'data/zeek/ctu-011-train.conn.log.labeled');
    const detect = await node(bin('anomaly-scorer'), 'detect', '--file', 'data/zeek/conn.nmap-scan.jsonl', '--out', join(work, 'scores.ndjson'));
    expect(readFileSync(join(work, 'scores.ndjson'), 'utf8').trim().split('\n').length, detect.stderr).toBeGreaterThan(0);
    const classify = await node(bin('log-classifier'), 'classify', '--file', 'data/syslog/sample-syslog.log');
    expect(classify.stdout.trim().split('\n').map((l) => JSON.parse(l) as { category: string })[0]!.category).toMatch(/critical|warning|informational|noise/);
    await node(bin('forecaster'), 'forecast', '--file', 'data/series/bitbrains-vm333-cpu-30d.csv', '--bounded', '--horizon', '7d', '--out', join(work, 'f.csv'));
    expect(readFileSync(join(work, 'f.csv'), 'utf8').split('\n')[0]).toBe('timestamp,yhat,lower80,upper80,lower95,upper95');
  }, 300_000);
});
