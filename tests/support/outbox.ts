/** What a job's last run reported, read from the metrics outbox it wrote (before or after a drain to Pushgateway). */
import { MetricsOutbox } from '@aiops/common';

/** The value of a gauge in the newest outbox snapshot of `job`, or undefined when none holds it. */
export async function lastGauge(outboxDir: string, job: string, name: string): Promise<number | undefined> {
  const outbox = new MetricsOutbox(outboxDir);
  const newest = (await outbox.list()).filter((e) => e.job === job).at(-1);
  return newest ? (await outbox.read(newest)).samples.find((s) => s.name === name)?.value : undefined;
}
