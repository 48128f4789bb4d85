/**
 * The files-mode options, declared once each: on the files-only `backtest` (../commands/backtest.ts) and, through
 * addFileForecastOptions, on the one `forecast` command (../commands/forecast.ts), where --file switches it to
 * files mode (addJobCommand's `direct`: no configuration, no lock, no server).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDuration } from '@aiops/common';
import { DEFAULT_MODELS, DEFAULT_STEP_SECONDS, MODEL_NAMES, type ForecastOptions } from '@aiops/ml';

/** What files-mode forecast and backtest share. */
export interface ModelOptions {
  file?: string;
  /** Seconds (parseDuration); defaults to the core's hourly step, so both modes get the same curve step. */
  forecastStep?: number;
  models?: string[];
  bounded?: boolean;
  counter?: boolean;
}

export interface FileForecastOptions extends ModelOptions {
  out?: string;
  /** Seconds (parseDuration). */
  horizon?: number;
}

export interface FileBacktestOptions extends ModelOptions {
  initial: number;
  period: number;
  horizon: number;
  window?: number;
  json?: boolean;
}

const duration = (flags: string, description: string) => new Option(flags, description).argParser(parseDuration);

function modelList(value: string): string[] {
  const models = value.split(',').map((m) => m.trim()).filter(Boolean);
  const unknown = models.filter((m) => !(MODEL_NAMES as readonly string[]).includes(m));
  if (unknown.length || !models.length) throw new InvalidArgumentError(`unknown model(s) "${unknown.join(',')}"; choose from ${MODEL_NAMES.join(',')}`);
  return models;
}

function addModelOptions(command: Command): Command {
  const otherModels = MODEL_NAMES.filter((m) => !DEFAULT_MODELS.includes(m));
  return command
    .addOption(new Option('--file <csv>', 'files mode: read the series from this CSV ("timestamp,value"; ISO 8601 or epoch seconds; empty = gap); needs no configuration or server'))
    .addOption(
      duration('--forecast-step <duration>', 'step of the forecast curve, e.g. 1h (plain numbers are seconds); files mode resamples the input to its means at this step').default(DEFAULT_STEP_SECONDS, '1h'),
    )
    .addOption(new Option('--models <list>', `files mode: candidate models, chosen per series by holdout MASE (default ${DEFAULT_MODELS.join(',')}; also: ${otherModels.join(',')})`).argParser(modelList))
    .addOption(new Option('--bounded', 'files mode: the series is a percentage in [0, 100] (CPU, memory, disk): fitted on the logit scale'))
    .addOption(new Option('--counter', 'files mode: the series is a raw monotonic counter: forecast its per-second rate'));
}

/** Adds --file and what files mode needs with it to `forecast`, whose Prometheus mode uses --horizon and --forecast-step too. */
export function addFileForecastOptions(command: Command): Command {
  return addModelOptions(command)
    .addOption(new Option('--out <csv>', 'files mode: write timestamp,yhat,lower80,upper80,lower95,upper95 here'))
    .addOption(duration('--horizon <duration>', 'forecast horizon, e.g. 7d or 30d (Prometheus mode: at least 30d, the days-to-exhaustion window)').default(30 * 86_400, '30d'))
    .addHelpText('after', '\nFiles mode: forecast --file series.csv --out forecast.csv [--horizon 30d] [--bounded]\n  days to exhaustion and the chosen model go to stderr.');
}

export function addFileBacktestOptions(command: Command): Command {
  return addModelOptions(command)
    .addOption(duration('--initial <duration>', 'history before the first cutoff').default(21 * 86_400, '21d'))
    .addOption(duration('--period <duration>', 'spacing of the cutoffs').default(7 * 86_400, '7d'))
    .addOption(duration('--horizon <duration>', 'scored horizon after each cutoff').default(7 * 86_400, '7d'))
    .addOption(duration('--window <duration>', 'fit on only this much history before each cutoff (default: all of it)'))
    .option('--json', 'print the report as JSON: mape, smape, mase, coverage80, coverage95, durbin_watson, folds');
}

/** The core's options from the command line's (only what was given, so the core's defaults stand otherwise). */
export function coreOptions(o: ModelOptions): Omit<ForecastOptions, 'horizonDays'> {
  return {
    ...(o.forecastStep === undefined ? {} : { stepSeconds: o.forecastStep }),
    ...(o.models ? { models: o.models } : {}),
    ...(o.bounded ? { bounded: true } : {}),
    ...(o.counter ? { counter: true } : {}),
  };
}
