// Every CLI the operators and cron call answers --help from the repo root through `pnpm <name>`, exits 0, and
// names its subcommands; a bare call without a subcommand exits non-zero instead of doing nothing.
import { describe, expect, it } from 'vitest';
import { runCli } from './support/stack.ts';

const pnpm = (...args: string[]) => runCli(args);

const CLIS: Record<string, string[]> = {
  aiops: ['setup', 'retention', 'check', 'config', 'outbox'],
  'pushgateway-exporter': ['serve', 'drain'],
  'zeek-ingest': ['parse', 'run'],
  'anomaly-scorer': ['train', 'detect', 'evaluate'],
  forecaster: ['extract', 'train', 'forecast', 'backtest'],
  'log-classifier': ['train', 'classify', 'evaluate', 'explain', 'review'],
};

describe('service CLIs', () => {
  it.each(Object.entries(CLIS))('pnpm %s --help lists its subcommands and exit codes', async (cli, subcommands) => {
    const { code, stdout } = await pnpm(cli, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`aiops-${cli}`.replace('aiops-aiops', 'aiops'));
    for (const sub of subcommands) expect(stdout).toMatch(new RegExp(`^\\s+${sub}\\b`, 'm'));
    expect(stdout).toContain('75 another run holds the lock');
  }, 60_000);

  it('a bare call without a subcommand exits non-zero', async () => {
    expect((await pnpm('forecaster')).code).not.toBe(0);
    expect((await pnpm('aiops')).code).not.toBe(0);
  }, 60_000);

  it('a job subcommand documents --config and --schedule', async () => {
    const { code, stdout } = await pnpm('aiops', 'retention', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--schedule <cron>');
    expect(stdout).toContain('--config <file>');
  }, 60_000);
});
