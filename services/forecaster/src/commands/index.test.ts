// The real command line (buildProgram), in-process: `forecast --file` is the files mode through addJobCommand's
// `direct` (no configuration, lock or server), `forecast` without it is the Prometheus-mode job, and
// `forecast --help` shows the options of both modes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from './index.ts';
import { shippedData } from '@aiops/datasets';

const FIXTURE = shippedData('series', 'bitbrains-vm333-cpu-30d.csv');
const dir = mkdtempSync(join(tmpdir(), 'forecaster-program-'));
const run = (...args: string[]) => buildProgram().parseAsync(['node', 'aiops-forecaster', ...args]);
const csvRows = (file: string) => readFileSync(file, 'utf8').trim().split('\n');

let serverCalls: string[];

beforeEach(() => {
  // The job path loads the configuration first: this missing file makes it exit 78, and process.exit throws here,
  // so a files-mode run that strays into the job path fails loudly instead of ending the test worker.
  vi.stubEnv('AIOPS_CONFIG', join(dir, 'no-such-config.yml'));
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`process.exit(${String(code)})`);
  });
  serverCalls = [];
  vi.stubGlobal('fetch', (url: unknown) => {
    serverCalls.push(String(url));
    throw new Error(`no server in files mode: ${String(url)}`);
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('forecaster command line', () => {
  it('has the Prometheus-mode subcommands and the files-mode backtest', () => {
    expect(buildProgram().commands.map((c) => c.name())).toEqual(['extract', 'train', 'forecast', 'backtest']);
  });

  it('forecast --file --out: files mode, with no configuration and no server', async () => {
    const out = join(dir, 'two-days.csv');
    await run('forecast', '--file', FIXTURE, '--out', out, '--horizon', '2d', '--models', 'mstl-ets', '--bounded');
    expect(process.exitCode).toBe(0);
    expect(csvRows(out)).toHaveLength(1 + 48);
    expect(process.exit).not.toHaveBeenCalled();
    expect(serverCalls).toEqual([]);
  }, 60_000);

  it('--forecast-step sets the curve step: 1 day at 2 h is 12 rows', async () => {
    const out = join(dir, 'two-hourly.csv');
    await run('forecast', '--file', FIXTURE, '--out', out, '--horizon', '1d', '--forecast-step', '7200', '--models', 'mstl-ets');
    expect(process.exitCode).toBe(0);
    expect(csvRows(out)).toHaveLength(1 + 12);
  }, 60_000);

  it('forecast --file without --out is a usage error (64)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await run('forecast', '--file', FIXTURE);
    expect(process.exitCode).toBe(64);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('needs both --file <csv> and --out <csv>'));
  });

  it('a bad file exits 1 naming file, line and field', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'timestamp,value\n1372629804,1\n1372630104,oops\n');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await run('forecast', '--file', bad, '--out', join(dir, 'never.csv'));
    expect(process.exitCode).toBe(1);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining(`${bad}:3: field "value": "oops" is not a number`));
  });

  it('forecast without --file is the Prometheus-mode job: it loads the configuration (here: missing, exit 78)', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(run('forecast')).rejects.toThrow('process.exit(78)');
  });

  it('forecast --help lists the options of both modes', async () => {
    const program = buildProgram();
    let help = '';
    program.commands.find((c) => c.name() === 'forecast')!.configureOutput({ writeOut: (s) => (help += s) });
    const done = program.parseAsync(['node', 'aiops-forecaster', 'forecast', '--help']);
    await expect(done).rejects.toMatchObject({ code: 'commander.helpDisplayed', exitCode: 0 } satisfies Partial<CommanderError>);
    for (const prometheusMode of ['--config', '--schedule', '--days', '--step', '--end', '--instances', '--run-id']) expect(help).toContain(prometheusMode);
    for (const filesMode of ['--file <csv>', '--out <csv>', '--horizon', '--forecast-step', '--models', '--bounded', '--counter']) expect(help).toContain(filesMode);
    expect(help).toContain('Files mode: forecast --file series.csv --out forecast.csv');
  });
});
