/** `pnpm zeek-ingest <parse|run>` (bin aiops-zeek-ingest): the program of ./commands/ on process.argv. */
import { runProgram } from '@aiops/common';
import { buildProgram } from './commands/index.ts';

await runProgram(buildProgram());
