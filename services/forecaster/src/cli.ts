/**
 * `pnpm forecaster <subcommand>`: each mode registers its own subcommands — files mode (files/commands.ts:
 * `forecast --file`, `backtest --file`) and Prometheus mode (prometheus/commands.ts: extract, train, forecast).
 */
import { existsSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { createProgram, ExitCode, withPlannedSubcommands } from '@aiops/common';
import { FilesModeDone, registerFileCommands } from './files/commands.ts';

const program = createProgram(
  'aiops-forecaster',
  'Capacity forecasting per host × metric from the Prometheus HTTP API → forecasts-YYYY.MM.DD + aiops_capacity_* gauges; ' +
    'or from a CSV file with no server at all (--file).',
).exitOverride(); // inherited by every subcommand registered below: bad arguments exit 64, not commander's 1

// Loaded only when present, so files mode works on its own; a variable specifier keeps tsc from requiring it.
const prometheusModule = './prometheus/commands.ts';
if (existsSync(new URL(prometheusModule, import.meta.url))) {
  const { registerPrometheusCommands } = (await import(prometheusModule)) as { registerPrometheusCommands: (p: Command) => Command };
  registerPrometheusCommands(program);
} else {
  withPlannedSubcommands(program, { extract: 'query_range the CPU/memory/disk/network series', train: 'fit Prophet per series' });
}
registerFileCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  else if (!(err instanceof FilesModeDone)) throw err;
}
