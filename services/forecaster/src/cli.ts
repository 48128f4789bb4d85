/** `pnpm forecaster <subcommand>` (bin aiops-forecaster): the program of ./commands/ on process.argv, with cron-usable exit codes. */
import { runProgram } from '@aiops/common';
import { buildProgram } from './commands/index.ts';

await runProgram(buildProgram());
