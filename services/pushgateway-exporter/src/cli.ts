/**
 * `pnpm pushgateway-exporter <serve|drain>`: moves the gauge snapshots the ML jobs leave in the metrics outbox
 * into Pushgateway (grouping key job + instance), oldest first, deleting each only after Pushgateway accepted it.
 */
import { InvalidArgumentError } from 'commander';
import { addConfigOption, createLogger, createProgram, ExitCode, loadConfigOrExit, MetricsOutbox } from '@aiops/common';
import { Exporter } from './exporter.ts';
import { parseListenAddress } from './http-server.ts';
import { serve } from './serve.ts';

const SERVICE = 'pushgateway-exporter';

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return seconds;
}

/** Validates while parsing the arguments; the action parses the (possibly default) string again. */
function listenAddress(value: string): string {
  try {
    parseListenAddress(value);
    return value;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function createExporter(configFile: string | undefined, pushTimeoutSeconds: number) {
  const config = loadConfigOrExit(configFile);
  const logger = createLogger(SERVICE, config.logLevel);
  const outbox = new MetricsOutbox(config.paths.outboxDir, { logger });
  const exporter = new Exporter({ outbox, pushgatewayUrl: config.pushgateway.url, logger, pushTimeoutMs: pushTimeoutSeconds * 1000 });
  logger.info({ outboxDir: outbox.dir, pushgateway: config.pushgateway.url, instance: config.instance }, 'configured');
  return { exporter, logger };
}

const program = createProgram(
  'aiops-pushgateway-exporter',
  'Drains the metrics outbox (config paths.outboxDir) into Pushgateway; serves /healthz and /metrics.',
);

addConfigOption(program.command('serve'))
  .description('daemon: drain the outbox every --interval seconds and serve GET /healthz and GET /metrics')
  .option('--listen <host:port>', 'HTTP listen address (port 0 = any free port)', listenAddress, '127.0.0.1:9465')
  .option('--interval <seconds>', 'seconds between drain passes (doubled per failed pass, up to 5 min)', positiveSeconds, 5)
  .option('--push-timeout <seconds>', 'timeout of one push', positiveSeconds, 10)
  .action(async (options: { config?: string; listen: string; interval: number; pushTimeout: number }) => {
    const { exporter, logger } = createExporter(options.config, options.pushTimeout);
    await serve({ exporter, listen: parseListenAddress(options.listen), intervalMs: options.interval * 1000, logger });
    process.exitCode = ExitCode.OK;
  });

addConfigOption(program.command('drain'))
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

await program.parseAsync(process.argv);
