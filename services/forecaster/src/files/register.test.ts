// registerFileCommands on its own and next to a Prometheus-mode `forecast` it must share the name with.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { FilesModeDone, registerFileCommands } from './commands.ts';

const FIXTURE = new URL('../../fixtures/bitbrains-vm333-cpu-30d.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'forecaster-register-'));
const argv = (...args: string[]) => ['node', 'aiops-forecaster', ...args];

afterEach(() => {
  process.exitCode = undefined;
});

describe('registerFileCommands', () => {
  it('registers forecast and backtest when no other mode did', async () => {
    const program = registerFileCommands(new Command('t').exitOverride());
    expect(program.commands.map((c) => c.name())).toEqual(['forecast', 'backtest']);
    const out = join(dir, 'alone.csv');
    await program.parseAsync(argv('forecast', '--file', FIXTURE, '--out', out, '--horizon', '2d', '--models', 'mstl-ets', '--bounded'));
    expect(process.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1 + 48);
  }, 60_000);

  it('shares an existing forecast command: --file takes files mode, without it the other action runs', async () => {
    let prometheusRuns = 0;
    const make = () => {
      const program = new Command('t').exitOverride();
      program
        .command('forecast')
        .option('--forecast-step <seconds>', 'theirs')
        .action(() => {
          prometheusRuns++;
        });
      return registerFileCommands(program);
    };
    const out = join(dir, 'shared.csv');
    await expect(make().parseAsync(argv('forecast', '--file', FIXTURE, '--out', out, '--horizon', '1d', '--forecast-step', '7200', '--models', 'mstl-ets'))).rejects.toBeInstanceOf(FilesModeDone);
    expect(prometheusRuns).toBe(0);
    // Their --forecast-step (a string of seconds) sets our step: 1 day at 2 h = 12 rows.
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1 + 12);
    await make().parseAsync(argv('forecast'));
    expect(prometheusRuns).toBe(1);
  }, 60_000);

  it('files mode without --out is a usage error', async () => {
    const program = registerFileCommands(new Command('t').exitOverride());
    await program.parseAsync(argv('forecast', '--file', FIXTURE));
    expect(process.exitCode).toBe(64);
  });
});
