/**
 * Every threshold the platform acts on, with the reason it has its value and when to change it (in the manner of
 * node-mixin's config.libsonnet). Services, alert rules, dashboards and docs/contracts.md read them from here;
 * tests/contracts-single-source.test.ts fails when one is written as a literal anywhere else.
 */

export const capacity = {
  /**
   * Percent of a resource in use at which it counts as exhausted: 85 leaves room to act (a disk at 85 % still
   * takes a day's logs), 95 is where things start to fail (ext4 reserves 5 % for root; memory reclaim thrashes).
   * `aiops_capacity_days_to_exhaustion{threshold}` is published for both.
   */
  exhaustionPercent: { warning: 85, critical: 95 },
  /**
   * Alert when the forecast upper bound crosses a threshold within this many days: 14 d gives a fortnight to order
   * disks or move workloads (warning), 7 d is a week's notice (critical). From the seed's capacity alerts.
   */
  leadTimeDays: { warning: 14, critical: 7 },
  /** Days to exhaustion is +Inf beyond this horizon (the forecast's own length: 30 days). */
  exhaustionHorizonDays: 30,
  /** The forecast horizons published as gauges (`aiops_capacity_forecast{horizon}`). */
  horizonsDays: { '7d': 7, '30d': 30 },
  /** Disk almost full now (no forecast needed): the same critical percentage, for at least this long. */
  diskFullNowPercent: 95,
} as const;

/** The thresholds as the label values of `aiops_capacity_days_to_exhaustion{threshold}` ("85", "95"). */
export const capacityThresholdLabels = [
  `${capacity.exhaustionPercent.warning}`,
  `${capacity.exhaustionPercent.critical}`,
] as const;
export type CapacityThresholdLabel = (typeof capacityThresholdLabels)[number];

export const logReview = {
  /**
   * A classification below this confidence goes to a person (`ml_review: true`). 0.6 is the seed's value: with
   * four classes a calibrated 0.6 means the runner-up is at most 0.4, i.e. the model is right about 6 times in 10
   * on such lines (docs/evaluation/logs.md, reliability diagram) — worth a human look, rare enough to review.
   */
  confidenceBelow: 0.6,
  /** Spot check: this many random confident lines a week are shown to a person, blind. */
  spotCheckPerWeek: 50,
  /**
   * The agreement rate and the labeled-lines counts cover the labels of the last 7 days: one spot check's worth
   * (50 lines), so the rate moves with each week's sample instead of averaging a model's whole life.
   */
  gaugeWindowDays: 7,
  /** Retraining is recommended when the macro-F1 on reviewed lines is this much (relative) below the baseline. */
  maxRelativeF1Drop: 0.05,
  /** ... and only once at least this many lines were reviewed (fewer give a macro-F1 too noisy to act on). */
  minReviewedForDrift: 20,
} as const;

export const networkAnomaly = {
  /**
   * Expected share of anomalous connections: the forest's flagging threshold (scikit-learn's `contamination`).
   * 1 % keeps a busy homelab's flags to a reviewable number per batch; raise it to catch more at more false alarms
   * (docs/evaluation/network.md tabulates what each setting catches).
   */
  contamination: 0.01,
  /**
   * Host level: share of the training windows (host × role × window) above the host-alert threshold, in [0, 0.5];
   * 0 = above the highest training window (a window unlike every baseline window). Chosen by leave-one-capture-out
   * (docs/evaluation/network.md, "Host level"), baseline-then-live: against 0.001 / 0.002 it detected every episode
   * the same on every held-out capture and cut false host alerts to 0 a benign day on 6 of 7 captures (ctu-011: 5.2,
   * two alerts; 0.001 gave 0–12 a day); it is also the setting each leave-one-out fold picks on its other captures.
   * A knob: raise it to hear of smaller changes, at more false alerts (the sweep in the same section).
   */
  hostContamination: 0,
  /**
   * Host-boosted ranking (network-anomaly fusion.ts): a connection that shows the change of a host window above the
   * alert threshold is lifted by up to this many connection-rank units (1: a window scoring 1 puts its connections
   * at the top). Chosen by nested leave-one-capture-out over a grid of start quantile × weight (docs/evaluation/
   * network.md, "Fusion"): every fold picked this setting, which is never below the forest alone on any capture.
   */
  hostBoostWeight: 1,
  /**
   * Per-connection score: weight w of the forest over the connection's own columns (`basic`) beside the one over its
   * window context (`aggregates`), in the weighted Fisher combination of their tail shares (network-anomaly
   * connection-score.ts; 0 = the context forest alone). Chosen among 0, 0.25, 0.5, 0.75, 1 by the worst capture's
   * 5 %-mixture ROC-AUC, ties within 0.005 broken by the mean 5 %-mixture PR-AUC (docs/evaluation/network.md, "Fourth
   * pass"): 0.25, which 6 of the 7 nested leave-one-capture-out folds pick on their other captures (wrccdc: 0.5).
   */
  basicForestWeight: 0.25,
  /**
   * Trees of that `basic` forest (the context forest keeps 100). At its weight, 25 trees ranked the same as 100 on
   * every held-out capture (5 %-mixture ROC-AUC within 0.006, worst capture 0.924 vs 0.925) for 1.25 forests' scoring
   * work per connection instead of 2 (docs/evaluation/network.md, "Fourth pass").
   */
  basicForestTrees: 25,
  /**
   * Seconds of traffic before each batch that `detect` reads as context (`--context`): the window aggregates and the
   * host windows of the batch's first connections see what came just before, as in one continuous capture. The
   * evaluation protocols score their live part with the same context (network-anomaly protocols.ts).
   */
  detectContextSeconds: 3600,
  /** One host window = one detect batch (jobs.anomalyDetect.periodSeconds): an alert per host per batch at most. */
  hostWindowSeconds: 600,
  /**
   * NetworkAnomalyBurst: more connections than this flagged in one run (all originators together). At 1 %
   * contamination a 10-minute batch of a quiet homelab (~1k connections) flags about 10; twice that is a burst.
   * Raise it with the traffic (or with contamination).
   */
  burstFlaggedPerRun: 20,
} as const;

/** Alert limits on the log classifier's last-run gauges (the alert rules of packages/mixin). */
export const logAlerts = {
  /**
   * CriticalLogBurst: more lines classified critical than this in one 5-minute run. A healthy fleet of six VMs
   * logs a handful of critical lines an hour; twenty in five minutes is an incident or a new failure mode.
   */
  criticalBurstPerRun: 20,
  /** LogReviewQueueGrowing: the queue matters once it exceeds one review sheet's worth (a week's spot check). */
  reviewQueueAbove: 50,
  /**
   * LogClassifierDrift: above this share of unseen tokens the logs no longer look like the training data (on the
   * held-out Loghub systems the ratio stays well below it; a new service or format pushes it over).
   */
  unseenTokenRatioAbove: 0.2,
} as const;

/** The metrics outbox (pushgateway-exporter). */
export const exporterAlerts = {
  /**
   * ExporterOutboxBacklog: the oldest snapshot waiting longer than this (s). The exporter retries every minute, so
   * 30 minutes is thirty failed pushes: Pushgateway is down or refusing, not a blip.
   */
  outboxBacklogSeconds: 30 * 60,
} as const;

/**
 * The batch jobs cron runs on the ML node (scripts/cron_setup.sh), by the `job` label of their `aiops_job_*`
 * gauges, and how often each runs: the staleness alerts derive from the period. Classification every 5 min keeps
 * a critical line's delay under the seed's 5-minute target; detection every 10 min is one Zeek rotation batch;
 * forecasts move slowly (daily); models are retrained weekly on the past week. (`log-classifier train` is a
 * files-mode command, not a job-runner job: its runs are recorded in training_log.csv beside the model, no gauges.)
 */
export const jobs = {
  zeekIngest: { name: 'zeek-ingest', periodSeconds: 5 * 60 },
  logClassify: { name: 'log-classifier-classify', periodSeconds: 5 * 60 },
  anomalyDetect: { name: 'anomaly-scorer-detect', periodSeconds: 10 * 60 },
  anomalyTrain: { name: 'anomaly-scorer-train', periodSeconds: 7 * 24 * 3600 },
  forecast: { name: 'forecaster', periodSeconds: 24 * 3600 },
  forecastTrain: { name: 'forecaster-train', periodSeconds: 7 * 24 * 3600 },
} as const;
export type JobKey = keyof typeof jobs;

/**
 * Documents that reach Elasticsearch after a job's checkpoint has passed their timestamp are looked for this many
 * hours before the checkpoint on every run: log lines a shipper delivered late (classify), and Zeek conn records,
 * which Zeek writes when a connection ends but stamps with its start (detect: every connection longer than --lag).
 * Two days cover a log server that was down over a weekend's first day, at the cost of two hourly histograms a run.
 *
 * settleSeconds (detect only): an hour is looked at once it ended this long before the checkpoint. Zeek's longest
 * routine write delay is TCP's inactivity timeout (5 min), UDP's is 1 min, so by then an hour's short connections
 * have all arrived and one rescore takes them together. Looking at the hour still in progress rescored it on most
 * runs: in a replay of the CTU days on the cron schedule (bench/anomaly-eval/late-pass-cost.ts) the late pass scored
 * 1.05–1.54× as many connections as the forward read (context included), 0.42–0.59× with this rule.
 */
export const lateArrivals = { lookbackHours: 48, settleSeconds: 360 } as const;

/**
 * Commands an operator runs by hand through the same job runner (lock, exit codes, `aiops_job_*` gauges under this
 * `job` label), with no period: no staleness alert watches them.
 */
export const onDemandJobs = {
  anomalyEvaluate: 'anomaly-scorer-evaluate',
  reviewExport: 'log-classifier-review-export',
  reviewImport: 'log-classifier-review-import',
  reviewWrite: 'log-classifier-review',
} as const;

/**
 * A job is stale when it has not succeeded within this many of its periods: one missed run is noise (a slow run,
 * a reboot), two in a row is a job that stopped.
 */
export const stalenessPeriods = 2;

export function staleAfterSeconds(job: JobKey): number {
  return stalenessPeriods * jobs[job].periodSeconds;
}
