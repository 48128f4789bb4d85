/** Option parsers and the error handling every files-mode subcommand shares. */
import { InvalidArgumentError } from 'commander';
import { ExitCode } from '@aiops/common';

export function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a number between 0 and 1');
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

/** A problem with the command line (exit 64), as opposed to a failure of the work (exit 1). */
export class UsageError extends Error {}

/** Runs an action; prints a clean one-line error and sets a cron-usable exit code instead of a stack trace. */
export async function runAction(action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
    process.exitCode ??= ExitCode.OK;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = err instanceof UsageError ? ExitCode.USAGE : ExitCode.FAILURE;
  }
}
