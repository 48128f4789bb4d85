/**
 * The forecaster's command line, built without parsing anything so tests can run it in-process: the
 * Prometheus-mode subcommands (extract, train, forecast — whose --file is the files mode) and the files-mode
 * backtest. cli.ts parses process.argv with it.
 */
import type { Command } from 'commander';
import { createProgram } from '@aiops/common';
import { registerBacktestCommand } from './files/commands.ts';
import { registerPrometheusCommands } from './prometheus/commands.ts';

export function buildProgram(): Command {
  const program = createProgram(
    'aiops-forecaster',
    'Capacity forecasting per host × metric from the Prometheus HTTP API → forecasts-YYYY.MM.DD + aiops_capacity_* gauges; ' +
      'or from a CSV file with no server at all (--file).',
  ).exitOverride(); // before the subcommands, which inherit it: the caller maps a bad argument to exit 64, not commander's 1
  registerPrometheusCommands(program);
  registerBacktestCommand(program);
  return program;
}
