/**
 * Files mode of the forecaster (no server at all): `forecast --file series.csv --out forecast.csv` and
 * `backtest --file series.csv [--json]`. Registered by services/forecaster/src/cli.ts next to the Prometheus-mode
 * subcommands; when a Prometheus-mode `forecast` is already registered, `--file` is added to it and takes over
 * (through a preAction hook that ends the run with FilesModeDone, caught in cli.ts).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createLogger, ExitCode } from '@aiops/common';
// Not (yet) exported by @aiops/common's index; the integrator may add it there and shorten this import.
import { createJobProgress, type JobProgress } from '@aiops/common';
import { backtest, DEFAULT_MODELS, forecastSeries, isSkipped, MODEL_NAMES, type BacktestReport, type ForecastResult } from '@aiops/ml';
import { parseDuration } from '@aiops/common';
import { readSeriesCsv, SeriesFileError, writeForecastCsv } from './series-csv.ts';

/** Thrown by the files-mode hook on a shared `forecast` command once it has done the work (see cli.ts). */
export class FilesModeDone extends Error {}

interface ModelOptions {
  file?: string;
  /** A number from our parser, or the Prometheus-mode command's raw string when it declared the option first. */
  forecastStep?: number | string;
  models?: string[];
  bounded?: boolean;
  counter?: boolean;
}

interface FileForecastOptions extends ModelOptions {
  out?: string;
  horizon?: number;
}

interface FileBacktestOptions extends ModelOptions {
  initial: number;
  period: number;
  horizon: number;
  window?: number;
  json?: boolean;
}

function modelList(value: string): string[] {
  const models = value.split(',').map((m) => m.trim()).filter(Boolean);
  const unknown = models.filter((m) => !(MODEL_NAMES as readonly string[]).includes(m));
  if (unknown.length || !models.length) throw new InvalidArgumentError(`unknown model(s) "${unknown.join(',')}"; choose from ${MODEL_NAMES.join(',')}`);
  return models;
}

function hasOption(command: Command, long: string): boolean {
  return command.options.some((o) => o.long === long);
}

function addModelOptions(command: Command): void {
  const options = [
    new Option('--file <csv>', 'files mode: read the series from this CSV ("timestamp,value"; ISO 8601 or epoch seconds; empty = gap)'),
    new Option('--forecast-step <duration>', 'files mode: step of the forecast curve, the input resampled to its means (e.g. 1h; plain numbers are seconds)').argParser(parseDuration).default(3600, '1h'),
    new Option('--models <list>', `candidate models, chosen per series by holdout MASE (default ${DEFAULT_MODELS.join(',')}; also: ${MODEL_NAMES.filter((m) => !DEFAULT_MODELS.includes(m)).join(',')})`).argParser(modelList),
    new Option('--bounded', 'the series is a percentage in [0, 100] (CPU, memory, disk): fitted on the logit scale'),
    new Option('--counter', 'the series is a raw monotonic counter: forecast its per-second rate'),
  ];
  for (const option of options) if (!hasOption(command, option.long!)) command.addOption(option);
}

function modelOptions(o: ModelOptions) {
  return {
    ...(o.forecastStep === undefined ? {} : { stepSeconds: typeof o.forecastStep === 'number' ? o.forecastStep : parseDuration(o.forecastStep) }),
    ...(o.models ? { models: o.models } : {}),
    ...(o.bounded ? { bounded: true } : {}),
    ...(o.counter ? { counter: true } : {}),
  };
}

const days = (d: number) => (Number.isFinite(d) ? `${d.toFixed(1)} days` : 'not within the horizon');

export async function runFileForecast(o: FileForecastOptions, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (!o.file || !o.out) {
    stderr.write('forecast: files mode needs both --file <csv> and --out <csv>\n');
    return ExitCode.USAGE;
  }
  const series = readSeriesCsv(o.file);
  const result = await forecastSeries(series, { horizonDays: (o.horizon ?? 30 * 86_400) / 86_400, ...modelOptions(o) });
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
    `  days to exhaustion (upper 95 % bound): 85 % → ${days(r.daysToExhaustion['85'])}, 95 % → ${days(r.daysToExhaustion['95'])}\n` +
    `  at ${new Date(last.time * 1000).toISOString()}: yhat ${last.yhat.toFixed(2)}, 80 % [${last.lower80.toFixed(2)}, ${last.upper80.toFixed(2)}], 95 % [${last.lower95.toFixed(2)}, ${last.upper95.toFixed(2)}]\n`
  );
}

/** The JSON report: the pooled scores and each fold's, without the curves (those are for plots). */
export function backtestJson(r: BacktestReport) {
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
    ...modelOptions(o),
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

/** Bad input files are the operator's to fix: the message names file, line and field; exit 1. */
async function exitWith(run: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await run();
  } catch (err) {
    if (!(err instanceof SeriesFileError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = ExitCode.FAILURE;
  }
}

export function registerFileCommands(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'forecast');
  const forecast = existing ?? program.command('forecast').description('files mode: forecast one series from a CSV');
  addModelOptions(forecast);
  if (!hasOption(forecast, '--out')) forecast.option('--out <csv>', 'files mode: write timestamp,yhat,lower80,upper80,lower95,upper95 here');
  forecast.addOption(new Option('--horizon <duration>', 'files mode: forecast horizon, e.g. 7d or 30d').argParser(parseDuration).default(30 * 86_400, '30d'));
  forecast.addHelpText('after', '\nFiles mode: forecast --file series.csv --out forecast.csv [--horizon 30d] [--bounded]\n  days to exhaustion and the chosen model go to stderr.');
  if (existing) {
    forecast.hook('preAction', async (_program, action) => {
      const options = action.opts<FileForecastOptions>();
      if (!options.file) return;
      await exitWith(() => runFileForecast(options));
      throw new FilesModeDone();
    });
  } else {
    forecast.action((options: FileForecastOptions) => exitWith(() => runFileForecast(options)));
  }

  const bt = program
    .command('backtest')
    .description('files mode: rolling-origin backtest of one series (as Prophet cross_validation): MAPE, sMAPE, MASE, 80/95 % coverage, Durbin-Watson per fold and overall');
  addModelOptions(bt);
  bt.addOption(new Option('--initial <duration>', 'history before the first cutoff').argParser(parseDuration).default(21 * 86_400, '21d'))
    .addOption(new Option('--period <duration>', 'spacing of the cutoffs').argParser(parseDuration).default(7 * 86_400, '7d'))
    .addOption(new Option('--horizon <duration>', 'scored horizon after each cutoff').argParser(parseDuration).default(7 * 86_400, '7d'))
    .addOption(new Option('--window <duration>', 'fit on only this much history before each cutoff (default: all of it)').argParser(parseDuration))
    .option('--json', 'print the report as JSON: mape, smape, mase, coverage80, coverage95, durbin_watson, folds')
    .action((options: FileBacktestOptions) => exitWith(() => runFileBacktest(options)));
  return program;
}
