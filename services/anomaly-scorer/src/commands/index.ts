/**
 * The anomaly scorer's command line, built without parsing anything so tests can run it in-process; one module per
 * verb, each a cron-usable job through the common job runner (lock, exit codes, --schedule, aiops_job_* gauges)
 * whose option errors exit 64 before anything runs. With --file they read conn.log files and need no server;
 * without it, train and detect read zeek-conn-* in Elasticsearch (../elasticsearch/). ../cli.ts parses argv.
 */
import type { Command } from 'commander';
import { createProgram } from '@aiops/common';
import { registerDetectCommand } from './detect.ts';
import { registerEvaluateCommand } from './evaluate.ts';
import { registerTrainCommand } from './train.ts';

export function buildProgram(): Command {
  const program = createProgram(
    'aiops-anomaly-scorer',
    'Network anomaly detection: Isolation Forest over Zeek conn.log features → anomaly reports (files) or anomalies-YYYY.MM.DD + aiops_anomaly_* gauges.',
  ).exitOverride(); // before the subcommands, which inherit it: runProgram maps a bad argument to exit 64
  program.action(() => program.help({ error: true }));
  registerTrainCommand(program);
  registerDetectCommand(program);
  registerEvaluateCommand(program);
  return program;
}
