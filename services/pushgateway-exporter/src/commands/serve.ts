/**
 * `serve`, the daemon: drains the outbox every interval (backing off while Pushgateway fails) and serves /healthz and
 * /metrics. SIGTERM/SIGINT let the current push finish, then the server closes and the process exits 0;
 * a second signal exits at once (nothing is lost: a snapshot is deleted only after Pushgateway accepted it).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { addConfigOption, ExitCode, shutdownSignal, type Logger } from '@aiops/common';
import { nextPassDelayMs } from '../drain.ts';
import type { Exporter } from '../exporter.ts';
import { buildHttpServer, parseListenAddress, type ListenAddress } from '../http-server.ts';
import { createExporter, listenAddress, positiveSeconds } from './exporter-options.ts';

export interface ServeOptions {
  exporter: Exporter;
  listen: ListenAddress;
  intervalMs: number;
  logger: Logger;
}

export async function serve({ exporter, listen, intervalMs, logger }: ServeOptions): Promise<void> {
  const shutdown = shutdownSignal(logger);
  const stopping = () => shutdown.signal.aborted;
  const app = buildHttpServer(exporter);
  try {
    const url = await app.listen({ host: listen.host, port: listen.port });
    logger.info({ url, intervalSeconds: intervalMs / 1000 }, 'listening');
    let consecutiveFailures = 0;
    while (!stopping()) {
      try {
        const outcome = await exporter.runPass(stopping);
        if (!('locked' in outcome)) {
          consecutiveFailures = outcome.failed ? consecutiveFailures + 1 : 0;
          const { error: _error, ...counts } = outcome;
          if (outcome.pushed || outcome.rejected || outcome.failed) logger.info(counts, 'drain pass done');
        }
      } catch (err) {
        consecutiveFailures++;
        logger.error({ err }, `drain pass failed: ${(err as Error).message}`);
      }
      const delayMs = nextPassDelayMs(consecutiveFailures, intervalMs);
      if (consecutiveFailures > 0) logger.warn({ consecutiveFailures, retryInSeconds: delayMs / 1000 }, 'backing off');
      await sleep(delayMs, undefined, { signal: shutdown.signal }).catch(() => undefined);
    }
    logger.info({ signal: String(shutdown.signal.reason) }, 'stopped draining; closing the HTTP server');
  } finally {
    await app.close();
    shutdown.dispose();
  }
}

export function registerServeCommand(program: Command): Command {
  return addConfigOption(program.command('serve'))
    .description('daemon: drain the outbox every --interval seconds and serve GET /healthz and GET /metrics')
    .option('--listen <host:port>', 'HTTP listen address (port 0 = any free port)', listenAddress, '127.0.0.1:9465')
    .option('--interval <seconds>', 'seconds between drain passes (doubled per failed pass, up to 5 min)', positiveSeconds, 5)
    .option('--push-timeout <seconds>', 'timeout of one push', positiveSeconds, 10)
    .action(async (options: { config?: string; listen: string; interval: number; pushTimeout: number }) => {
      const { exporter, logger } = createExporter(options.config, options.pushTimeout);
      await serve({ exporter, listen: parseListenAddress(options.listen), intervalMs: options.interval * 1000, logger });
      process.exitCode = ExitCode.OK;
    });
}
