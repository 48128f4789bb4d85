/** `pnpm anomaly-scorer <train|detect|evaluate>` (bin aiops-anomaly-scorer): the program of ./commands/ on process.argv. */
import { runProgram } from '@aiops/common';
import { buildProgram } from './commands/index.ts';

await runProgram(buildProgram());
