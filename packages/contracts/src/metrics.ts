/**
 * Every `aiops_*` metric the platform publishes, with its labels and help text: the one place they are written.
 * Jobs build samples with `sample()`, the alert rules and dashboards (packages/mixin) and docs/contracts.md read
 * the names from here. The ML jobs push gauges through the metrics outbox (grouping key job + instance);
 * the exporter's own metrics are scraped from its /metrics.
 */

export interface MetricSpec<L extends string = string> {
  name: string;
  help: string;
  labels: readonly L[];
  type: 'gauge' | 'counter';
}

/** The shape @aiops/common's metrics outbox takes (GaugeSample), without depending on it. */
export interface MetricSample {
  name: string;
  help: string;
  labels: Record<string, string>;
  value: number;
}

function gauge<const L extends string>(name: string, labels: readonly L[], help: string): MetricSpec<L> {
  return { name, help, labels, type: 'gauge' };
}

export const metrics = {
  // ---- capacity forecasting (forecaster)
  capacityDaysToExhaustion: gauge(
    'aiops_capacity_days_to_exhaustion',
    ['host', 'metric', 'device', 'threshold'],
    'Days from the last observation until the forecast upper 95 % bound crosses the threshold (percent); +Inf when not within 30 days.',
  ),
  capacityForecast: gauge(
    'aiops_capacity_forecast',
    ['host', 'metric', 'device', 'horizon', 'bound'],
    'Forecast value of the capacity metric at the horizon after the last observation.',
  ),
  forecastBacktestMape: gauge(
    'aiops_forecast_backtest_mape',
    ['host', 'metric', 'device'],
    'Backtest mean absolute percentage error of the model chosen for the series.',
  ),

  // ---- network anomalies (anomaly-scorer)
  anomalyConnectionsScored: gauge('aiops_anomaly_connections_scored', [], 'Connections scored in the last run.'),
  anomalyLateConnections: gauge(
    'aiops_anomaly_late_connections',
    [],
    "Connections the last run found behind its checkpoint (long-lived ones, which Zeek logs at their end with their start's ts, and late shipping) and scored with their hour.",
  ),
  anomalyFlagged: gauge('aiops_anomaly_flagged', ['host'], 'Connections flagged in the last run, by originator.'),
  anomalyScoreMax: gauge('aiops_anomaly_score_max', ['host'], 'Highest connection anomaly score in the last run, by originator (1 − tail share among the training connections).'),
  anomalyHostScore: gauge(
    'aiops_anomaly_host_score',
    ['host'],
    "Highest host-level anomaly score of the last run: how far the host's windows stood from its own baseline.",
  ),
  anomalyHostAlerted: gauge(
    'aiops_anomaly_host_alerted',
    ['host'],
    "1 when the host-level detector alerted on one of the host's windows in the last run (its own decision: the model's learned threshold), 0 for the other hosts of aiops_anomaly_host_score.",
  ),
  anomalyHostThreshold: gauge(
    'aiops_anomaly_host_threshold',
    [],
    "The host-level detector's alert threshold on aiops_anomaly_host_score (the model's training-window quantile).",
  ),

  // ---- log classification (log-classifier)
  logsClassified: gauge('aiops_logs_classified', ['category'], 'Log lines classified in the last run, per category.'),
  logsReviewPending: gauge(
    'aiops_logs_review_pending',
    [],
    'Classified lines flagged for review (confidence < threshold) with no human label yet.',
  ),
  logsUnseenTokenRatio: gauge('aiops_logs_unseen_token_ratio', [], "Share of the last run's tokens missing from the model vocabulary (drift)."),
  logsLateClassified: gauge(
    'aiops_logs_late_classified',
    [],
    "Lines the last run classified that had arrived after the checkpoint passed their timestamp (shipping delays).",
  ),
  logsReviewAgreementRatio: gauge(
    'aiops_logs_review_agreement_ratio',
    [],
    'Share of the lines in the last imported review sheet where the person agreed with the model.',
  ),
  logsReviewedLines: gauge('aiops_logs_reviewed_lines', [], 'Lines people labeled for the current model.'),
  logsReviewMacroF1: gauge('aiops_logs_review_macro_f1', [], 'Macro-F1 of the current model on the lines people labeled.'),
  logsModelBaselineMacroF1: gauge('aiops_logs_model_baseline_macro_f1', [], 'Macro-F1 of the current model on its held-out templates.'),
  logsRetrainRecommended: gauge(
    'aiops_logs_retrain_recommended',
    [],
    '1 when the reviewed macro-F1 dropped more than the allowed share below the baseline (with enough reviewed lines).',
  ),

  // ---- the review page (log-classifier review serve, review metrics): labels in log-reviews-*
  logsReviewAgreement: gauge(
    'aiops_logs_review_agreement',
    [],
    'Share of the spot-check lines labeled in the last 7 days where the person agreed with the model (NaN: none labeled).',
  ),
  logsReviewSpotChecks: gauge(
    'aiops_logs_review_spot_checks',
    [],
    'Spot-check lines people labeled in the last 7 days (the denominator of aiops_logs_review_agreement).',
  ),
  logsReviewLabels: gauge(
    'aiops_logs_review_labels',
    ['category', 'mode'],
    'Lines people labeled in the last 7 days, per class they gave and per mode (queue: flagged by the model; spot-check: the weekly sample).',
  ),

  // ---- every job (packages/common job runner)
  jobLastSuccessTimestamp: gauge('aiops_job_last_success_timestamp_seconds', ['job'], 'Unix time of the last run of the job that completed successfully.'),
  jobLastFailureTimestamp: gauge('aiops_job_last_failure_timestamp_seconds', ['job'], 'Unix time of the last run of the job that failed.'),
  jobDuration: gauge('aiops_job_duration_seconds', ['job'], 'Wall-clock duration of the last run of the job.'),
  jobRecordsProcessed: gauge('aiops_job_records_processed', ['job'], 'Records whose results were confirmed written in the last run of the job.'),
  modelInfo: gauge('aiops_model_info', ['model', 'version', 'trained_at'], 'The model a job used (value 1).'),

  // ---- the pushgateway exporter's own /metrics (scraped, not pushed)
  exporterPushes: {
    name: 'aiops_exporter_pushes_total',
    help: 'Snapshots by outcome: success (accepted by Pushgateway), failure (retried later), rejected (moved to rejected/).',
    labels: ['result'],
    type: 'counter',
  } satisfies MetricSpec<'result'>,
  exporterOutboxDepth: gauge('aiops_exporter_outbox_depth', [], 'Snapshots waiting in the metrics outbox.'),
  exporterOldestSnapshotAge: gauge('aiops_exporter_oldest_snapshot_age_seconds', [], 'Age of the oldest snapshot waiting in the outbox (0 when empty).'),
  exporterLastPushSuccessTimestamp: gauge(
    'aiops_exporter_last_push_success_timestamp_seconds',
    [],
    'Unix time of the last snapshot Pushgateway accepted from this process (0 = none yet).',
  ),
} as const;

export type MetricKey = keyof typeof metrics;

/** One sample of a metric, labels checked against the metric's label names at compile time. */
export function sample<L extends string>(metric: MetricSpec<L>, labels: Record<L, string>, value: number): MetricSample {
  return { name: metric.name, help: metric.help, labels, value };
}
