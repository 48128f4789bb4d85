/**
 * The exporter's state between passes: its own Prometheus metrics, what /healthz reports, and the lock that keeps
 * two drainers (the daemon and a cron `drain`) from pushing the same outbox at once — interleaved, one of them
 * could push an older snapshot after the other pushed a newer one.
 */
import { join } from 'node:path';
import { Counter, Gauge, Registry } from 'prom-client';
import { metrics } from '@aiops/contracts';
import { acquireJobLock, LockHeldError, pushSnapshot, type Logger, type MetricsOutbox } from '@aiops/common';
import { drainOutbox, type DrainResult } from './drain.ts';

export interface ExporterOptions {
  outbox: MetricsOutbox;
  pushgatewayUrl: string;
  logger: Logger;
  pushTimeoutMs?: number;
}

export interface Health {
  statusCode: 200 | 503;
  body: {
    status: 'ok' | 'failing';
    outboxDepth: number;
    /** ISO time of the last push Pushgateway accepted (this process), or null. */
    lastSuccessfulPushAt: string | null;
    /** Why the last pass failed, or null if it did not. */
    lastError: string | null;
  };
}

export type PassOutcome = DrainResult | { locked: true; holderPid: number };

export const DRAIN_LOCK_NAME = 'drain';

export class Exporter {
  readonly registry = new Registry();
  private readonly pushes: Counter<'result'>;
  private readonly lastSuccess: Gauge;
  private lastSuccessfulPushAtMs: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly options: ExporterOptions) {
    const { outbox } = options;
    this.pushes = new Counter({
      name: metrics.exporterPushes.name,
      help: metrics.exporterPushes.help,
      labelNames: metrics.exporterPushes.labels,
      registers: [this.registry],
    });
    for (const result of ['success', 'failure', 'rejected']) this.pushes.inc({ result }, 0);
    // Depth and age are read from the folder at scrape time, so they keep growing while pushes are backing off.
    new Gauge({
      name: metrics.exporterOutboxDepth.name,
      help: metrics.exporterOutboxDepth.help,
      registers: [this.registry],
      async collect() {
        this.set((await outbox.list()).length);
      },
    });
    new Gauge({
      name: metrics.exporterOldestSnapshotAge.name,
      help: metrics.exporterOldestSnapshotAge.help,
      registers: [this.registry],
      async collect() {
        const [oldest] = await outbox.list();
        this.set(oldest ? Math.max(0, (Date.now() - oldest.createdAtMs) / 1000) : 0);
      },
    });
    this.lastSuccess = new Gauge({
      name: metrics.exporterLastPushSuccessTimestamp.name,
      help: metrics.exporterLastPushSuccessTimestamp.help,
      registers: [this.registry],
    });
  }

  /** One drain pass under the outbox's drain lock; `locked` if another drainer holds it. */
  async runPass(shouldStop?: () => boolean): Promise<PassOutcome> {
    const { outbox, logger, pushgatewayUrl, pushTimeoutMs } = this.options;
    let lock;
    try {
      lock = await acquireJobLock(join(outbox.dir, '.lock'), DRAIN_LOCK_NAME);
    } catch (err) {
      if (!(err instanceof LockHeldError)) throw err;
      logger.info({ holderPid: err.holderPid }, 'another drainer holds the outbox lock; skipping this pass');
      return { locked: true, holderPid: err.holderPid };
    }
    try {
      const result = await drainOutbox({
        outbox,
        logger,
        shouldStop,
        push: async (snapshot) => {
          await pushSnapshot(pushgatewayUrl, snapshot, pushTimeoutMs ? { timeoutMs: pushTimeoutMs } : {});
          // Counted with the push, not after the pass: /healthz shows lastSuccessfulPushAt from this moment, and
          // /metrics must not say 0 successes while it does (the pass still lists the outbox after its last push).
          this.lastSuccessfulPushAtMs = Date.now();
          this.lastSuccess.set(this.lastSuccessfulPushAtMs / 1000);
          this.pushes.inc({ result: 'success' });
        },
      });
      this.pushes.inc({ result: 'rejected' }, result.rejected);
      this.pushes.inc({ result: 'failure' }, result.failed);
      this.lastError = result.error ? result.error.message : null;
      return result;
    } catch (err) {
      this.lastError = `outbox: ${(err as Error).message}`;
      throw err;
    } finally {
      await lock.release();
    }
  }

  /** 503 when the last pass failed and snapshots are waiting: the exporter is not doing its job right now. */
  async health(): Promise<Health> {
    let outboxDepth = -1;
    let lastError = this.lastError;
    try {
      outboxDepth = (await this.options.outbox.list()).length;
    } catch (err) {
      lastError = `cannot list the outbox: ${(err as Error).message}`;
    }
    const failing = outboxDepth < 0 || (this.lastError !== null && outboxDepth > 0);
    return {
      statusCode: failing ? 503 : 200,
      body: {
        status: failing ? 'failing' : 'ok',
        outboxDepth,
        lastSuccessfulPushAt: this.lastSuccessfulPushAtMs === null ? null : new Date(this.lastSuccessfulPushAtMs).toISOString(),
        lastError,
      },
    };
  }
}
