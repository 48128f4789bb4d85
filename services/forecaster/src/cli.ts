/** `pnpm forecaster <subcommand>` (bin aiops-forecaster): the program of ./commands/ on process.argv, with cron-usable exit codes. */
import { CommanderError } from 'commander';
import { ExitCode } from '@aiops/common';
import { buildProgram } from './commands/index.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // --help and --version end with exit code 0; every other commander error is a usage error.
  if (!(err instanceof CommanderError)) throw err;
  process.exitCode = err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
}
