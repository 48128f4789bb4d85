/**
 * Every threshold, duration and selector the rules and dashboards use, each with why it has that value and when to
 * change it (node-mixin's config.libsonnet habit). Names and thresholds that are contracts between services come
 * from @aiops/contracts; what is only a presentation choice lives here.
 */

export const mixinConfig = {
  /** Where runbook_url points: one section per alert in docs/runbook.md, anchored by the alert's kebab-case name. */
  runbookBaseUrl: 'docs/runbook.md',

  /** The node_exporter scrape job (infrastructure/prometheus/prometheus.yml and the dev stack both call it `node`). */
  nodeJobSelector: 'job="node"',

  capacity: {
    /**
     * `for:` longer than Prometheus' --rules.alert.for-grace-period (10m), so a pending capacity alert survives a
     * Prometheus restart (measured: a 5m `for` restarted and sent a spurious "resolved"); with days of lead time
     * the alert can wait half an hour (critical) or an hour (warning) to see that a forecast was not a one-off.
     */
    criticalFor: '30m',
    warningFor: '1h',
  },

  disk: {
    /** A filesystem above the critical share for 5 minutes is not a spike: writes are about to fail. */
    criticalFor: '5m',
    /** The warning is a "plan now", not a page: 30 minutes filters a temporary file or a log rotation. */
    warningFor: '30m',
  },

  targets: {
    /** 5 minutes = 20 scrapes at 15 s: a restart or a reboot (about a minute) does not page. */
    downFor: '5m',
  },

  jobs: {
    /** A failed run must be followed by a successful one within 10 minutes, or the failure pages. */
    failingFor: '10m',
    /** Stale = older than 2 × the job's period (contracts); the extra 10 minutes filter a run that is just slow. */
    staleFor: '10m',
    /**
     * A job that never succeeded has no timestamp to compare: it is missing once nothing was seen for as long as it
     * takes to become stale (2 × its period), and never sooner than 30 minutes, so a fresh install has time for the
     * first run of its 5-minute jobs.
     */
    missingForAtLeastSeconds: 30 * 60,
  },

  exporter: {
    /** The outbox alert waits 10 minutes: one failed drain is retried on the next tick (every minute). */
    backlogFor: '10m',
  },

  anomalies: {
    /** Anomaly gauges describe the last run (10-minute batches): the alert fires on that run, no `for:`. */
    burstFor: '0s',
  },

  logs: {
    /** Growth is measured over 6 h: several classify runs, so one batch of low-confidence lines is no trend. */
    reviewGrowthWindow: '6h',
    /** Drift moves slowly: an hour above the limit before anyone is told. */
    driftFor: '1h',
  },

  /**
   * The stress profile (scripts/stress_test.sh, `pnpm mixin:generate --profile stress --out DIR`): the same rules
   * with every `for:` (5m–14d above) set to this, so that a bounded run sees each alert go pending → firing →
   * delivered. 10 s = two evaluations of the dev stack (5 s interval): an alert still has to hold before it fires.
   * Expressions, thresholds, labels and annotations stay as in production; only the waiting differs.
   */
  stressProfile: {
    for: '10s',
  },
} as const;

/** `CapacityExhaustion` → `capacity-exhaustion`: the runbook section's anchor. */
export function runbookUrl(alertName: string): string {
  const anchor = alertName.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
  return `${mixinConfig.runbookBaseUrl}#${anchor}`;
}
