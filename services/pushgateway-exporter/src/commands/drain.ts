/** `drain`: one pass over the outbox, for cron and tests, with an exit code cron can act on. */
import type { Command } from 'commander';
import { addConfigOption, ExitCode } from '@aiops/common';
import { createExporter, positiveSeconds } from './exporter-options.ts';

export function registerDrainCommand(program: Command): Command {
  return addConfigOption(program.command('drain'))
    .description('one pass, for cron and tests: exit 0 once every waiting snapshot was pushed, 1 if one could not be pushed (kept for the next pass) or was rejected, 75 if another drainer holds the lock')
    .option('--push-timeout <seconds>', 'timeout of one push', positiveSeconds, 10)
    .action(async (options: { config?: string; pushTimeout: number }) => {
      const { exporter, logger } = createExporter(options.config, options.pushTimeout);
      const outcome = await exporter.runPass();
      if ('locked' in outcome) {
        process.exitCode = ExitCode.LOCKED;
        return;
      }
      const { error, ...counts } = outcome;
      // Success = every snapshot that was waiting got pushed. One a job wrote during the pass may still be there
      // (counted in `remaining`); that is the next pass's work, not a failure worth a cron mail.
      const clean = outcome.rejected === 0 && outcome.failed === 0;
      if (clean) logger.info(counts, 'outbox drained');
      else logger.error({ ...counts, err: error }, 'outbox not fully drained');
      process.exitCode = clean ? ExitCode.OK : ExitCode.FAILURE;
    });
}
