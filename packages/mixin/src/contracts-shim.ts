// PROVISIONAL until packages/contracts lands on main: replaced by imports from @aiops/contracts.
export const metrics = {
  capacityDaysToExhaustion: 'aiops_capacity_days_to_exhaustion',
  capacityForecast: 'aiops_capacity_forecast',
  forecastBacktestMape: 'aiops_forecast_backtest_mape',
  anomalyFlagged: 'aiops_anomaly_flagged',
  anomalyScoreMax: 'aiops_anomaly_score_max',
  anomalyConnectionsScored: 'aiops_anomaly_connections_scored',
  anomalyHostScore: 'aiops_anomaly_host_score',
  logsClassified: 'aiops_logs_classified',
  logsReviewPending: 'aiops_logs_review_pending',
  logsUnseenTokenRatio: 'aiops_logs_unseen_token_ratio',
  logsReviewAgreementRatio: 'aiops_logs_review_agreement_ratio',
  logsReviewMacroF1: 'aiops_logs_review_macro_f1',
  logsModelBaselineMacroF1: 'aiops_logs_model_baseline_macro_f1',
  logsReviewedLines: 'aiops_logs_reviewed_lines',
  logsRetrainRecommended: 'aiops_logs_retrain_recommended',
  jobLastSuccess: 'aiops_job_last_success_timestamp_seconds',
  jobLastFailure: 'aiops_job_last_failure_timestamp_seconds',
  jobDuration: 'aiops_job_duration_seconds',
  jobRecordsProcessed: 'aiops_job_records_processed',
  modelInfo: 'aiops_model_info',
  exporterOutboxDepth: 'aiops_exporter_outbox_depth',
  exporterOldestSnapshotAge: 'aiops_exporter_oldest_snapshot_age_seconds',
  exporterPushes: 'aiops_exporter_pushes_total',
} as const;

export const thresholds = {
  capacityWarningPercent: 85,
  capacityCriticalPercent: 95,
  capacityWarningLeadDays: 14,
  capacityCriticalLeadDays: 7,
  reviewConfidence: 0.6,
  staleFactor: 2,
  anomalyBurstFlagged: 20,
  anomalyHostScore: 0.8,
  criticalLogBurst: 20,
  reviewQueueMinimum: 50,
  unseenTokenRatio: 0.2,
  exporterBacklogSeconds: 1800,
} as const;

export const jobPeriodsSeconds: Record<string, number> = {
  forecaster: 3600,
  'anomaly-scorer-detect': 600,
  'log-classifier-classify': 300,
  'zeek-ingest': 300,
};

export const indexFamilies = ['logs', 'logs-classified', 'zeek', 'anomalies', 'forecasts'] as const;
