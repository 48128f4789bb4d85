/** Option parsers and the data-loading every files-mode subcommand shares. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { ExitCode } from '@aiops/common';
import { loadExtraLabels, loadLabeledLoghub, sharedDir, type LabeledLine } from '../training/dataset.ts';

export function defaultLabelsDir(): string {
  return join(sharedDir(), 'labels');
}

export function defaultLoghubDir(): string {
  return join(sharedDir(), 'data', 'loghub');
}

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

export function loadLabeled(labelsDir: string, loghubDir: string, extra?: string): LabeledLine[] {
  for (const [what, dir] of [['--labels', labelsDir], ['--loghub', loghubDir]] as const) {
    if (!existsSync(dir)) throw new UsageError(`${what} ${dir}: no such directory`);
  }
  const lines = loadLabeledLoghub(labelsDir, loghubDir);
  return extra ? [...lines, ...loadExtraLabels(extra)] : lines;
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
