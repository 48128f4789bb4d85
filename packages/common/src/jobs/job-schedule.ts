/**
 * Daemon modes, for hosts where a crontab is not wanted or a batch every few minutes is too slow:
 * `--schedule "<cron expression>"` runs the job on a node-cron schedule in one long-lived process;
 * `--follow <seconds>` (runJobEvery) runs it again that many seconds after each run started — near real time on the
 * same checkpoints, so a follower and a cron run of the same job hand over without losing or repeating anything.
 *
 * Schedule: Overlapping ticks are skipped (node-cron's noOverlap, and the job lock
 * still guards against a cron-started run of the same job). Resolves after a shutdown signal, once the current
 * run has stopped.
 */
import { schedule, validateDetailed } from 'node-cron';
import { setTimeout as sleep } from 'node:timers/promises';
import { runJob, type JobOutcome, type RunJobOptions } from './job-runner.ts';

export class ScheduleError extends Error {}

export function assertCronExpression(expression: string): void {
  const check = validateDetailed(expression);
  if (!check.valid) {
    const why = check.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new ScheduleError(`invalid --schedule "${expression}": ${why}`);
  }
}

export async function runJobOnSchedule(
  expression: string,
  options: RunJobOptions & { signal: AbortSignal },
  onOutcome: (outcome: JobOutcome) => void = () => {},
): Promise<void> {
  assertCronExpression(expression);
  const { logger, signal } = options;
  let running: Promise<unknown> = Promise.resolve();
  const task = schedule(
    expression,
    async () => {
      if (signal.aborted) return;
      const run = runJob(options).then(onOutcome);
      running = run;
      await run;
    },
    { name: options.job, noOverlap: true },
  );
  logger.info({ job: options.job, schedule: expression, nextRun: task.getNextRun() }, 'job scheduled');
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await task.stop();
  await running;
  await task.destroy();
  logger.info({ job: options.job }, 'scheduler stopped');
}

/** The --follow value: a positive number of seconds, else a ScheduleError naming it. */
export function parseFollowSeconds(raw: string): number {
  const seconds = Number(raw);
  if (!(raw.trim() !== '' && Number.isFinite(seconds) && seconds > 0)) {
    throw new ScheduleError(`invalid --follow "${raw}": expected a positive number of seconds`);
  }
  return seconds;
}

/**
 * Follow mode: run, then wait until `seconds` after that run started (at once when it took longer), until the
 * shutdown signal; the run in progress finishes first. A run that fails is logged by the runner and followed by
 * the next one: a follower outlives a server's restart the way cron does.
 */
export async function runJobEvery(
  seconds: number,
  options: RunJobOptions & { signal: AbortSignal },
  onOutcome: (outcome: JobOutcome) => void = () => {},
): Promise<void> {
  parseFollowSeconds(String(seconds));
  const { logger, signal } = options;
  logger.info({ job: options.job, everySeconds: seconds }, 'job following');
  while (!signal.aborted) {
    const started = Date.now();
    onOutcome(await runJob(options));
    const waitMs = started + seconds * 1000 - Date.now();
    if (waitMs > 0) await sleep(waitMs, undefined, { signal }).catch(() => undefined);
  }
  logger.info({ job: options.job }, 'follower stopped');
}
