/**
 * `pnpm anomaly-scorer <subcommand>`: network anomaly detection, Isolation Forest over Zeek conn.log features.
 * train/detect/evaluate (commands.ts) work on conn.log files (--file) or on Elasticsearch (elasticsearch/).
 */
import { createProgram } from '@aiops/common';
import { registerCommands } from './commands.ts';

const program = createProgram(
  'aiops-anomaly-scorer',
  'Network anomaly detection: Isolation Forest over Zeek conn.log features → anomaly reports (files) or anomalies-YYYY.MM.DD + aiops_anomaly_* gauges.',
);
registerCommands(program);
program.action(() => program.help({ error: true }));
await program.parseAsync(process.argv);
