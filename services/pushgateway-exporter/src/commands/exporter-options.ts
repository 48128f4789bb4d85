/** What both verbs share: their option parsers and the exporter built from the configuration. */
import { InvalidArgumentError } from 'commander';
import { createLogger, loadConfigOrExit, MetricsOutbox } from '@aiops/common';
import { Exporter } from '../exporter.ts';
import { parseListenAddress } from '../http-server.ts';

const SERVICE = 'pushgateway-exporter';

export function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return seconds;
}

/** Validates while parsing the arguments; the action parses the (possibly default) string again. */
export function listenAddress(value: string): string {
  try {
    parseListenAddress(value);
    return value;
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function createExporter(configFile: string | undefined, pushTimeoutSeconds: number) {
  const config = loadConfigOrExit(configFile);
  const logger = createLogger(SERVICE, config.logLevel);
  const outbox = new MetricsOutbox(config.paths.outboxDir, { logger });
  const exporter = new Exporter({ outbox, pushgatewayUrl: config.pushgateway.url, logger, pushTimeoutMs: pushTimeoutSeconds * 1000 });
  logger.info({ outboxDir: outbox.dir, pushgateway: config.pushgateway.url, instance: config.instance }, 'configured');
  return { exporter, logger };
}
