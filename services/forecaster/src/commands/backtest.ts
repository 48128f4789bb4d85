/** `backtest --file series.csv [--json]`: files mode only (the Prometheus-mode backtest is `train`). */
import type { Command } from 'commander';
import { runFileBacktest, setExitCodeFrom } from '../files/file-mode.ts';
import { addFileBacktestOptions, type FileBacktestOptions } from '../files/options.ts';

export function registerBacktestCommand(program: Command): Command {
  const command = program
    .command('backtest')
    .description('files mode: rolling-origin backtest of one series (as Prophet cross_validation): MAPE, sMAPE, MASE, 80/95 % coverage, Durbin-Watson per fold and overall');
  return addFileBacktestOptions(command).action((options: FileBacktestOptions) => setExitCodeFrom(() => runFileBacktest(options)));
}
