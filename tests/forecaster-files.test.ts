// The files-mode subcommands end to end, through `pnpm forecaster` as an operator runs them, on the shipped fixtures.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/stack.ts';
import { shippedData } from '@aiops/datasets';

const FIXTURES = shippedData('series') + '/';
const dir = mkdtempSync(join(tmpdir(), 'forecaster-files-'));

describe('forecaster files mode', () => {
  it('forecast --file --out writes the contract CSV and reports model and days to exhaustion on stderr', async () => {
    const out = join(dir, 'forecast.csv');
    const { code, stderr } = await runCli(['forecaster', 'forecast', '--file', join(FIXTURES, 'bitbrains-vm333-cpu-30d.csv'), '--out', out, '--horizon', '7d', '--bounded']);
    expect(code, stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('timestamp,yhat,lower80,upper80,lower95,upper95');
    expect(lines).toHaveLength(1 + 7 * 24);
    // The fixture's last sample is 2013-07-30T21:58:44Z, in the 21:00 bucket: the curve starts with the next hour.
    expect(lines[1]).toMatch(/^2013-07-30T22:00:00\.000Z,/);
    for (const line of lines.slice(1)) {
      const [, yhat, l80, u80, l95, u95] = line.split(',').map(Number);
      expect(l95! <= l80! && l80! <= yhat! && yhat! <= u80! && u80! <= u95!).toBe(true);
      expect(l95!).toBeGreaterThanOrEqual(0);
      expect(u95!).toBeLessThanOrEqual(100);
    }
    expect(stderr).toMatch(/model (prophet|mstl-ets)/);
    expect(stderr).toMatch(/days to exhaustion \(upper 95 % bound\): 85 % → /);
  }, 120_000);

  it('backtest --json gives the pooled scores and the folds', async () => {
    const { code, stdout, stderr } = await runCli(['forecaster', 'backtest', '--file', join(FIXTURES, 'bitbrains-vm270-memory-30d.csv'), '--bounded', '--json']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown> & { folds: { cutoff: string; model: string }[] };
    for (const key of ['mape', 'smape', 'mase', 'coverage80', 'coverage95', 'durbin_watson']) expect(typeof report[key]).toBe('number');
    // 30 days, 21 initial, 7-day horizon, every 7 days: one cutoff, at end − 7 days.
    expect(report.folds).toHaveLength(1);
    expect(report.folds[0]!.cutoff).toMatch(/^2013-07-23T/);
  }, 120_000);

  it('bad input: exit 1 naming file, line and field; a series that cannot be forecast says why', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp,value\n1372629804,1\n1372630104,oops\n');
    const r1 = await runCli(['forecaster', 'forecast', '--file', bad, '--out', join(dir, 'x.csv')]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toContain(`${bad}:3: field "value": "oops" is not a number`);
    const short = join(dir, 'short.csv');
    writeFileSync(short, '1372629804,1\n1372630104,2\n1372630404,3\n');
    const r2 = await runCli(['forecaster', 'backtest', '--file', short]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/skipped: too short: 3 observation/);
    const r3 = await runCli(['forecaster', 'backtest', '--file', short, '--horizon', 'soon']);
    expect(r3.code).toBe(64);
  }, 120_000);
});
