// Files mode as cron and an operator run it: a real child process per subcommand, real files, real exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { shippedData } from '@aiops/datasets';

const CLI = resolve(import.meta.dirname, '../cli.ts');
const TSX = resolve(import.meta.dirname, '../../../../node_modules/.bin/tsx');
const TRAIN = shippedData('zeek', 'ctu-011-train.conn.log.labeled');
const TEST = shippedData('zeek', 'ctu-011-test.conn.log.labeled');

const dir = mkdtempSync(join(tmpdir(), 'anomaly-scorer-'));
const env = { ...process.env, AIOPS_STATE_DIR: join(dir, 'state'), AIOPS_OUTBOX_DIR: join(dir, 'outbox'), AIOPS_MODEL_DIR: join(dir, 'models'), AIOPS_LOG_LEVEL: 'warn' };

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith(env, ...args);
}

async function cliWith(runEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [CLI, ...args], { env: runEnv, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('anomaly-scorer files mode', () => {
  it('train → detect → evaluate on conn.log files', async () => {
    const trained = await cli('train', '--file', TRAIN, '--contamination', '0.05', '--seed', '1');
    expect(trained.code, trained.stderr).toBe(0);
    const models = readdirSync(join(dir, 'models'));
    expect(models).toContain('anomaly-latest.json');
    expect(models.filter((f) => /^anomaly-aggregates-\d{8}T\d{6}Z-[0-9a-f]{8}\.json$/.test(f))).toHaveLength(1);
    const log = readFileSync(join(dir, 'models/training_log.csv'), 'utf8').trim().split('\n');
    expect(log[0]).toMatch(/^trained_at,model_version,feature_set,source,from,to,rows,/);
    expect(log[1]).toContain(',aggregates,');
    expect(log[1]).toContain(',400,0.05,100,1,');

    const out = join(dir, 'scores.ndjson');
    const detected = await cli('detect', '--file', TEST, '--out', out);
    expect(detected.code, detected.stderr).toBe(0);
    expect(detected.stderr).toMatch(/scored 400 connections, flagged \d+/);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const rows = lines.filter((l) => l.kind === 'connection');
    const hostAlerts = lines.filter((l) => l.kind === 'host');
    expect(rows.length + hostAlerts.length).toBe(lines.length);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(400);
    for (const row of rows) {
      expect(row).toMatchObject({ label: -1, uid: expect.any(String), 'id.orig_h': expect.any(String), 'id.resp_h': expect.any(String) });
      expect(row.anomaly_score as number).toBeGreaterThan(0);
      expect(row.host_score as number).toBeGreaterThanOrEqual(0);
      expect((row.explanation as unknown[]).length).toBeGreaterThan(0);
    }
    const flaggedUids = new Set(rows.map((r) => r.uid));
    for (const alert of hostAlerts) {
      expect(alert).toMatchObject({ host: expect.any(String), host_role: expect.stringMatching(/^(orig|resp)$/), window_start: expect.any(String), model_version: expect.any(String) });
      // every connection a host alert names is reported (flagged) itself
      for (const uid of alert.connection_uids as string[]) expect(flaggedUids.has(uid)).toBe(true);
    }
    const all = await cli('detect', '--file', TEST, '--out', out, '--all');
    expect(all.code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n').filter((l) => JSON.parse(l).kind === 'connection')).toHaveLength(400);

    const evaluated = await cli('evaluate', '--file', TEST, '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as Record<string, number>;
    expect(report).toMatchObject({ rows: 400, labeled: 395, malicious: 64, benign: 331 });
    for (const key of ['rocAuc', 'prAuc', 'precision', 'recall']) expect(report[key]).toBeGreaterThanOrEqual(0);
    expect(report.rocAuc).toBeLessThanOrEqual(1);
    expect(report.silhouette).toBeGreaterThanOrEqual(-1);
    const connectionOnly = (report as unknown as { connection: { rocAuc: number } }).connection.rocAuc;
    expect(connectionOnly).toBeGreaterThanOrEqual(0);
    expect(connectionOnly).toBeLessThanOrEqual(1);
    expect((report as unknown as { incidents: { episodes: unknown[] } }).incidents.episodes.length).toBeGreaterThan(0);

    // The baseline-then-live protocol inside the labeled file: trains its own model, scores the later part.
    const live = await cli('evaluate', '--protocol', 'baseline-live', '--file', TEST, '--seeds', '1', '--json');
    expect(live.code, live.stderr).toBe(0);
    const liveRuns = (JSON.parse(live.stdout) as { runs: { rocAuc: number; connectionRocAuc: number; trainRows: number; malicious: number }[] }).runs;
    expect(liveRuns).toHaveLength(1);
    expect(liveRuns[0]!.trainRows).toBeGreaterThan(100);
    expect(liveRuns[0]!.malicious).toBeGreaterThan(0);
    expect(liveRuns[0]!.rocAuc).toBeGreaterThan(0.5);
    expect((await cli('evaluate', '--protocol', 'sometimes', '--file', TEST)).code).toBe(64);

    // With info logs on, stdout still holds the one JSON report: the logs went to stderr.
    const verbose = await cliWith({ ...env, AIOPS_LOG_LEVEL: 'info' }, 'evaluate', '--file', TEST, '--json');
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(JSON.parse(verbose.stdout)).toMatchObject({ rows: 400 });
    expect(verbose.stderr).toMatch(/"level":30/);
  }, 120_000);

  it('exits 64 on a bad option value, before reading anything', async () => {
    const bad = await cli('train', '--file', TRAIN, '--contamination', '0.9');
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--contamination');
    expect((await cli('train', '--file', TRAIN, '--features', 'all')).code).toBe(64);
    // commander's own usage errors too (64, not commander's 1): an unknown option, no subcommand
    expect((await cli('detect', '--no-such-option')).code).toBe(64);
    expect((await cli()).code).toBe(64);
  }, 60_000);

  it('exits 1 naming the file and line when a file holds no readable conn record, or the model is not one', async () => {
    const garbage = join(dir, 'garbage.log');
    writeFileSync(garbage, '{"ts": "yesterday", "uid": 5}\n');
    const failed = await cli('train', '--file', garbage, '--model-dir', join(dir, 'other-models'));
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain(`${garbage}:1`);
    const notAModel = join(dir, 'not-a-model.json');
    writeFileSync(notAModel, '{"format":"something else"}');
    const refused = await cli('detect', '--model', notAModel, '--file', TEST, '--out', join(dir, 'x.ndjson'));
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('not-a-model.json: format');
  }, 60_000);
});
