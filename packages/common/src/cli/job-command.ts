/**
 * The shared shape of every batch-job subcommand: `--config <file>`, `--schedule <cron>` (and `--follow <seconds>`
 * where the spec offers it), config errors that
 * exit 78 naming every bad field, the job runner (lock, signals, gauges) and an exit code cron can act on.
 */
import { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { ExitCode } from '../jobs/exit-codes.ts';
import { runJob, type JobContext, type JobResult } from '../jobs/job-runner.ts';
import { parseFollowSeconds, runJobEvery, runJobOnSchedule, ScheduleError } from '../jobs/job-schedule.ts';
import { shutdownSignal } from '../jobs/shutdown-signal.ts';
import { parseSlice, type JobSlice } from '../jobs/job-slice.ts';
import { MetricsOutbox } from '../metrics/metrics-outbox.ts';

export interface CommonJobOptions {
  config?: string;
  schedule?: string;
  follow?: string;
  /** `i/n`, on jobs registered with `sliceable` (see jobs/job-slice.ts). */
  slice?: string;
}

export interface JobCommandSpec<O extends object> {
  /** Subcommand name, e.g. `classify`. */
  command: string;
  /** Job name in locks, logs and the aiops_job_* gauges, e.g. `log-classifier-classify`. */
  job: string;
  description: string;
  /** Adds the subcommand's own options. */
  options?: (command: Command) => void;
  run: (context: JobContext, options: O & CommonJobOptions) => Promise<JobResult | void>;
  /** A mode that needs neither configuration nor the job runner (files in, output out, e.g. `--file`): when
   * `when(options)` holds, `run` is called instead and its own exit code stands. */
  direct?: { when: (options: O & CommonJobOptions) => boolean; run: (options: O & CommonJobOptions) => Promise<void> };
  /** Offers `--follow <seconds>`: a job that reads since its checkpoint can run again every few seconds. */
  follow?: boolean;
  /** Adds `--slice i/n`: several workers split the job's input (PIT slices), each with its own checkpoint, lock
   * and gauges; the job passes `context.slice` to its reader and its checkpoint key. */
  sliceable?: boolean;
}

/** Loads the configuration or exits 78 with every bad field named (stderr, so cron mails it). */
export function loadConfigOrExit(file: string | undefined): Config {
  try {
    return loadConfig(file ? { file } : {});
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(ExitCode.CONFIG);
    }
    throw err;
  }
}

export function addConfigOption(command: Command): Command {
  return command.option('-c, --config <file>', 'YAML configuration file (default: $AIOPS_CONFIG; env overrides it)');
}

export function addJobCommand<O extends object>(program: Command, spec: JobCommandSpec<O>): Command {
  const command = addConfigOption(program.command(spec.command).description(spec.description)).option(
    '--schedule <cron>',
    'run as a daemon on this node-cron schedule (e.g. "*/15 * * * *") instead of once',
  );
  if (spec.follow) {
    command.option('--follow <seconds>', 'run as a daemon: again every <seconds> after each run started (near real time, same checkpoints)');
  }
  spec.options?.(command);
  if (spec.sliceable) {
    command.option('--slice <i/n>', 'Elasticsearch mode: be worker i of n splitting the input (0/2 and 1/2 for two); each slice keeps its own checkpoint');
  }
  command.action(async (options: O & CommonJobOptions) => {
    let slice: JobSlice | undefined;
    let followSeconds: number | undefined;
    try {
      slice = options.slice === undefined ? undefined : parseSlice(options.slice);
      if (slice && spec.direct?.when(options)) throw new Error('--slice splits the Elasticsearch mode; it has no meaning with --file');
      // only the runner's own --follow <seconds> (a command may have a --follow flag of its own, e.g. zeek-ingest run)
      const follow = spec.follow ? options.follow : undefined;
      if (follow !== undefined && options.schedule !== undefined) throw new ScheduleError('--follow and --schedule exclude each other');
      if (follow !== undefined) followSeconds = parseFollowSeconds(follow);
    } catch (err) {
      // a usage error, reported before the configuration is read or a lock taken
      process.stderr.write(`${spec.command}: ${(err as Error).message}\n`);
      process.exitCode = ExitCode.USAGE;
      return;
    }
    if (spec.direct?.when(options)) return spec.direct.run(options);
    const config = loadConfigOrExit(options.config);
    const logger: Logger = createLogger(spec.job, config.logLevel);
    const shutdown = shutdownSignal(logger);
    const runOptions = {
      job: spec.job,
      config,
      logger,
      outbox: new MetricsOutbox(config.paths.outboxDir),
      signal: shutdown.signal,
      ...(slice ? { slice } : {}),
      run: (context: JobContext) => spec.run(context, options),
    };
    try {
      if (options.schedule) {
        await runJobOnSchedule(options.schedule, runOptions);
        process.exitCode = ExitCode.OK;
      } else if (followSeconds !== undefined) {
        await runJobEvery(followSeconds, runOptions);
        process.exitCode = ExitCode.OK;
      } else {
        process.exitCode = (await runJob(runOptions)).exitCode;
      }
    } catch (err) {
      if (err instanceof ScheduleError) {
        process.stderr.write(`${err.message}\n`);
        process.exitCode = ExitCode.USAGE;
      } else throw err;
    } finally {
      shutdown.dispose();
    }
  });
  return command;
}

/** Bad option values are usage errors (exit 64), reported before any lock is taken, file read or server touched. */
export function validateBeforeRun<V = Record<string, unknown>>(command: Command, validate: (options: V) => void): Command {
  return command.hook('preAction', (_parent, action) => {
    try {
      validate(action.opts() as V);
    } catch (err) {
      process.stderr.write(`${action.name()}: ${(err as Error).message}\n`);
      process.exit(ExitCode.USAGE);
    }
  });
}
