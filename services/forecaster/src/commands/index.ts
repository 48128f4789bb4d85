/**
 * The forecaster's command line, built without parsing anything so tests can run it in-process; one module per
 * verb: extract, train, forecast (whose --file is the files mode) from Prometheus, and the files-mode backtest.
 * ../cli.ts parses process.argv with it.
 */
import type { Command } from 'commander';
import { createProgram } from '@aiops/common';
import { forecastSeries } from '@aiops/ml';
import type { ForecastFunction } from '../prometheus/capacity-run.ts';
import { registerBacktestCommand } from './backtest.ts';
import { registerExtractCommand } from './extract.ts';
import { registerForecastCommand } from './forecast.ts';
import { registerTrainCommand } from './train.ts';

export function buildProgram(forecast: ForecastFunction = forecastSeries): Command {
  const program = createProgram(
    'aiops-forecaster',
    'Capacity forecasting per host × metric from the Prometheus HTTP API → forecasts-YYYY.MM.DD + aiops_capacity_* gauges; ' +
      'or from a CSV file with no server at all (--file).',
  ).exitOverride(); // before the subcommands, which inherit it: the caller maps a bad argument to exit 64, not commander's 1
  registerExtractCommand(program);
  registerTrainCommand(program, forecast);
  registerForecastCommand(program, forecast);
  registerBacktestCommand(program);
  return program;
}
