/**
 * Runs one batch job the way cron needs it: one run at a time (lock), a clean stop on SIGTERM/SIGINT (the job
 * sees an aborted signal, finishes or rolls back its current batch, and its checkpoint stays at the last confirmed
 * write), an exit code that says what happened, and the `aiops_job_*` gauges written to the metrics outbox on
 * every run, whatever its outcome.
 */
import { join } from 'node:path';
import { metrics, sample } from '@aiops/contracts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { GaugeSample, MetricsSnapshot } from '../metrics/metrics-outbox.ts';
import { ExitCode, type ExitCodeValue } from './exit-codes.ts';
import { acquireJobLock, LockHeldError } from './job-lock.ts';
import { createJobProgress, type JobProgress } from './job-progress.ts';
import { sliceInstance, sliceLockName, type JobSlice } from './job-slice.ts';

export interface JobContext {
  readonly job: string;
  readonly config: Config;
  readonly logger: Logger;
  /** Aborted on SIGTERM/SIGINT: finish or roll back the current batch, then return (or throw). */
  readonly signal: AbortSignal;
  /** Counts records whose results were confirmed written; reported as aiops_job_records_processed. */
  addRecordsProcessed(count: number): void;
  /** A bar on a terminal, a throttled log line under cron; stopped by the runner when the job ends. */
  readonly progress: JobProgress;
  /** `--slice i/n`: the share of the input this worker reads (its own checkpoint key); undefined = all of it. */
  readonly slice?: JobSlice;
}

export interface JobResult {
  /** The job's own gauges (e.g. aiops_logs_classified), pushed together with the job gauges. */
  gauges?: GaugeSample[];
}

export type JobFunction = (context: JobContext) => Promise<JobResult | void>;

export interface SnapshotSink {
  write(snapshot: MetricsSnapshot): Promise<string>;
}

export interface RunJobOptions {
  job: string;
  config: Config;
  logger: Logger;
  run: JobFunction;
  outbox: SnapshotSink;
  /** Shutdown signal (see shutdownSignal()); a run that sees it aborted ends as interrupted. */
  signal?: AbortSignal;
  /** A sliced run locks `<job>.slice-i-of-n` and pushes under instance `<instance>.slice-i-of-n` (job-slice.ts). */
  slice?: JobSlice;
  now?: () => number;
}

export type JobStatus = 'success' | 'failure' | 'interrupted' | 'locked';

export interface JobOutcome {
  job: string;
  status: JobStatus;
  exitCode: ExitCodeValue;
  recordsProcessed: number;
  durationSeconds: number;
  error?: Error;
}


/** The aiops_job_* gauges of one run. A failed run leaves last_success out: the outbox POSTs keep the old one. */
export function jobGauges(outcome: Omit<JobOutcome, 'exitCode' | 'error'>, endedAtSeconds: number): GaugeSample[] {
  const labels = { job: outcome.job };
  const samples: GaugeSample[] = [
    sample(metrics.jobDuration, labels, outcome.durationSeconds),
    sample(metrics.jobRecordsProcessed, labels, outcome.recordsProcessed),
  ];
  if (outcome.status === 'success') samples.push(sample(metrics.jobLastSuccessTimestamp, labels, endedAtSeconds));
  if (outcome.status === 'failure') samples.push(sample(metrics.jobLastFailureTimestamp, labels, endedAtSeconds));
  return samples;
}

function interruptedExitCode(signal: AbortSignal): ExitCodeValue {
  return signal.reason === 'SIGINT' ? ExitCode.INTERRUPTED_SIGINT : ExitCode.INTERRUPTED_SIGTERM;
}

export async function runJob(options: RunJobOptions): Promise<JobOutcome> {
  const { job, config, outbox } = options;
  const now = options.now ?? Date.now;
  const signal = options.signal ?? new AbortController().signal;
  const { slice } = options;
  const logger = options.logger.child(slice ? { job, slice: `${slice.id}/${slice.max}` } : { job });
  const startedAt = now();

  let lock;
  try {
    lock = await acquireJobLock(join(config.paths.stateDir, 'locks'), sliceLockName(job, slice));
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    logger.warn({ lockFile: err.lockFile, holderPid: err.holderPid }, 'another run of this job is in progress; skipping');
    return { job, status: 'locked', exitCode: ExitCode.LOCKED, recordsProcessed: 0, durationSeconds: 0, error: err };
  }

  let recordsProcessed = 0;
  let status: JobStatus = 'success';
  let error: Error | undefined;
  let jobGaugesOfRun: GaugeSample[] = [];
  const progress = createJobProgress(job, logger);
  try {
    logger.info('job started');
    const result = await options.run({
      job,
      config,
      logger,
      signal,
      progress,
      ...(slice ? { slice } : {}),
      addRecordsProcessed: (count) => {
        recordsProcessed += count;
      },
    });
    jobGaugesOfRun = result?.gauges ?? [];
    if (signal.aborted) status = 'interrupted';
  } catch (err) {
    error = err instanceof Error ? err : new Error(String(err));
    status = signal.aborted ? 'interrupted' : 'failure';
  } finally {
    progress.stop();
  }

  const endedAt = now();
  const durationSeconds = (endedAt - startedAt) / 1000;
  const exitCode =
    status === 'success' ? ExitCode.OK : status === 'interrupted' ? interruptedExitCode(signal) : ExitCode.FAILURE;
  const outcome: JobOutcome = { job, status, exitCode, recordsProcessed, durationSeconds, ...(error ? { error } : {}) };
  try {
    await outbox.write({
      job,
      instance: sliceInstance(config.instance, slice),
      createdAt: new Date(endedAt).toISOString(),
      samples: [...jobGauges(outcome, endedAt / 1000), ...(status === 'success' ? jobGaugesOfRun : [])],
    });
  } catch (err) {
    // The run's own outcome stands; a lost gauge snapshot is logged, and the exit code says the run failed.
    logger.error({ err }, 'could not write the job gauges to the metrics outbox');
    if (outcome.status === 'success') Object.assign(outcome, { status: 'failure', exitCode: ExitCode.FAILURE });
  } finally {
    await lock.release();
  }

  const fields = { status: outcome.status, exitCode: outcome.exitCode, recordsProcessed, durationSeconds };
  if (outcome.status === 'failure') logger.error({ ...fields, err: error }, 'job failed');
  else if (outcome.status === 'interrupted') logger.warn({ ...fields, reason: signal.reason }, 'job interrupted');
  else logger.info(fields, 'job finished');
  return outcome;
}
