/** `pnpm forecaster <subcommand>`: the program of ./program.ts on process.argv, with cron-usable exit codes. */
import { CommanderError } from 'commander';
import { ExitCode } from '@aiops/common';
import { buildProgram } from './program.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // --help and --version end with exit code 0; every other commander error is a usage error.
  if (!(err instanceof CommanderError)) throw err;
  process.exitCode = err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
}
