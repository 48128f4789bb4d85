/**
 * `pnpm pushgateway-exporter <serve|drain>` (bin aiops-pushgateway-exporter): moves the gauge snapshots the ML jobs
 * leave in the metrics outbox into Pushgateway (grouping key job + instance), oldest first, deleting each only
 * after Pushgateway accepted it. One module per verb in ./commands/.
 */
import { createProgram } from '@aiops/common';
import { registerDrainCommand } from './commands/drain.ts';
import { registerServeCommand } from './commands/serve.ts';

const program = createProgram(
  'aiops-pushgateway-exporter',
  'Drains the metrics outbox (config paths.outboxDir) into Pushgateway; serves /healthz and /metrics.',
);
registerServeCommand(program);
registerDrainCommand(program);

await program.parseAsync(process.argv);
