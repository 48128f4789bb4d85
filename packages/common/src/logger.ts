import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs to stderr, always: stdout belongs to a command's data (`--json`, `classify --file` without `--out`,
 * `-`), which must stay parseable. Cron mails, journald and Filebeat pick up stderr just the same.
 */
export function createLogger(name: string, level = process.env.AIOPS_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}
