/**
 * Files mode of the forecaster (no server, no configuration): what `forecast --file series.csv --out forecast.csv`
 * and `backtest --file series.csv [--json]` run (../commands/forecast.ts hands a run with --file to
 * runFileForecast through addJobCommand's `direct`; ../commands/backtest.ts exists in files mode only).
 */
import { capacityThresholdLabels } from '@aiops/contracts';
import { createJobProgress, createLogger, ExitCode, type JobProgress } from '@aiops/common';
import { backtest, forecastSeries, isSkipped, type BacktestReport, type ForecastResult } from '@aiops/ml';
import { coreOptions, type FileBacktestOptions, type FileForecastOptions } from './options.ts';
import { readSeriesCsv, SeriesFileError, writeForecastCsv } from './series-csv.ts';

const days = (d: number) => (Number.isFinite(d) ? `${d.toFixed(1)} days` : 'not within the horizon');

export async function runFileForecast(o: FileForecastOptions, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (!o.file || !o.out) {
    stderr.write('forecast: files mode needs both --file <csv> and --out <csv>\n');
    return ExitCode.USAGE;
  }
  const series = readSeriesCsv(o.file);
  const result = await forecastSeries(series, { horizonDays: (o.horizon ?? 30 * 86_400) / 86_400, ...coreOptions(o) });
  if (isSkipped(result)) {
    stderr.write(`forecast: ${o.file}: skipped: ${result.reason}\n`);
    return ExitCode.FAILURE;
  }
  writeForecastCsv(o.out, result.points);
  stderr.write(summary(o.file, result));
  return ExitCode.OK;
}

function summary(file: string, r: ForecastResult): string {
  const last = r.points[r.points.length - 1]!;
  return (
    `${file}: model ${r.model}` +
    (r.backtestMape === undefined ? '' : ` (holdout MAPE ${r.backtestMape.toFixed(1)} %)`) +
    `, ${r.points.length} steps of ${r.stepSeconds} s\n` +
    `  days to exhaustion (upper 95 % bound): ${capacityThresholdLabels.map((t) => `${t} % → ${days(r.daysToExhaustion[t])}`).join(', ')}\n` +
    `  at ${new Date(last.time * 1000).toISOString()}: yhat ${last.yhat.toFixed(2)}, 80 % [${last.lower80.toFixed(2)}, ${last.upper80.toFixed(2)}], 95 % [${last.lower95.toFixed(2)}, ${last.upper95.toFixed(2)}]\n`
  );
}

/** The JSON report: the pooled scores and each fold's, without the curves (those are for plots). */
function backtestJson(r: BacktestReport) {
  const folds = r.folds.map(({ forecast: _f, actual: _a, ...fold }) => ({ ...fold, cutoff: new Date(fold.cutoff * 1000).toISOString() }));
  return {
    mape: r.mape,
    smape: r.smape,
    mase: r.mase,
    coverage80: r.coverage80,
    coverage95: r.coverage95,
    durbin_watson: r.durbin_watson,
    step_seconds: r.stepSeconds,
    folds,
  };
}

export async function runFileBacktest(o: FileBacktestOptions, out: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (!o.file) {
    stderr.write('backtest: files mode needs --file <csv> (the Prometheus-mode backtest is `train`)\n');
    return ExitCode.USAGE;
  }
  const series = readSeriesCsv(o.file);
  // A bar on a terminal only: the logger writes to stdout, which here carries the report.
  const progress: JobProgress = process.stderr.isTTY
    ? createJobProgress('forecaster-backtest', createLogger('forecaster-backtest', 'info'))
    : { update: () => {}, stop: () => {} };
  const report = await backtest(series, {
    initialDays: o.initial / 86_400,
    periodDays: o.period / 86_400,
    horizonDays: o.horizon / 86_400,
    ...(o.window ? { windowDays: o.window / 86_400 } : {}),
    onFold: (done, total) => progress.update(done, total),
    ...coreOptions(o),
  });
  progress.stop();
  if (isSkipped(report)) {
    stderr.write(`backtest: ${o.file}: skipped: ${report.reason}\n`);
    return ExitCode.FAILURE;
  }
  if (o.json) {
    out.write(`${JSON.stringify(backtestJson(report), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  } else {
    const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
    out.write('cutoff                    model     MAPE %  sMAPE %  MASE  cover80  cover95    DW\n');
    for (const fold of report.folds) {
      out.write(
        `${new Date(fold.cutoff * 1000).toISOString().padEnd(25)} ${fold.model.padEnd(9)} ${f(fold.mape).padStart(6)} ${f(fold.smape).padStart(8)} ${f(fold.mase, 2).padStart(5)} ${f(fold.coverage80, 2).padStart(8)} ${f(fold.coverage95, 2).padStart(8)} ${f(fold.durbin_watson, 2).padStart(5)}\n`,
      );
    }
    out.write(`${'overall'.padEnd(35)} ${f(report.mape).padStart(6)} ${f(report.smape).padStart(8)} ${f(report.mase, 2).padStart(5)} ${f(report.coverage80, 2).padStart(8)} ${f(report.coverage95, 2).padStart(8)} ${f(report.durbin_watson, 2).padStart(5)}\n`);
  }
  return ExitCode.OK;
}

/**
 * Runs a files-mode command and sets the exit code: bad input files are the operator's to fix, so their message
 * (naming file, line and field) goes to stderr and the exit is 1, never a stack trace.
 */
export async function setExitCodeFrom(run: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await run();
  } catch (err) {
    if (!(err instanceof SeriesFileError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = ExitCode.FAILURE;
  }
}
