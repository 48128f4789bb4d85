/**
 * The README's first command, files mode with no server: every pipeline runs on the shipped samples and writes
 * its output. Runs the real CLIs (as `pnpm demo` does), so a broken flag or a missing fixture fails here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/stack.ts';

describe('pnpm demo (files mode, no server)', () => {
  it('runs all three pipelines on the shipped samples and writes their outputs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'aiops-demo-'));
    // Unreachable servers: files mode must not need any.
    const env = { ...process.env, AIOPS_ES_URLS: 'http://127.0.0.1:9', AIOPS_PROMETHEUS_URL: 'http://127.0.0.1:9', AIOPS_PUSHGATEWAY_URL: 'http://127.0.0.1:9' };
    await promisify(execFile)('pnpm', ['-s', 'exec', 'tsx', 'scripts/demo.ts', out], { cwd: REPO_ROOT, env, timeout: 240_000 });
    const summary = readFileSync(join(out, 'SUMMARY.md'), 'utf8');
    expect(summary).not.toContain('failed');
    // The Nmap capture is one scanner: it must stand out.
    const anomalies = readFileSync(join(out, 'anomalies.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const connections = anomalies.filter((a) => a.kind !== 'host');
    expect(connections.length).toBeGreaterThan(0);
    expect(new Set(connections.map((a) => a['id.orig_h']))).toEqual(new Set(['172.16.1.11']));
    // Host alerts, where the batch holds any, name the scanner as an originator.
    const hostAlerts = anomalies.filter((a) => a.kind === 'host' && a.host_role === 'orig');
    for (const alert of hostAlerts) expect(alert.host).toBe('172.16.1.11');
    const classified = readFileSync(join(out, 'classified.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(classified.length).toBe(readFileSync(join(REPO_ROOT, 'data/syslog/sample-syslog.log'), 'utf8').trim().split('\n').length);
    const forecast = readFileSync(join(out, 'forecast.csv'), 'utf8').trim().split('\n');
    expect(forecast[0]).toBe('timestamp,yhat,lower80,upper80,lower95,upper95');
    expect(forecast.length).toBeGreaterThan(24 * 7);
  }, 300_000);
});
