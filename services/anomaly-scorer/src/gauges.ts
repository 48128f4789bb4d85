/**
 * The anomaly scorer's gauges (docs/contracts.md), from a scoring result; shared by files and Elasticsearch mode.
 * `host` = the originator of the flagged connections (the machine whose behaviour stood out), one series per
 * originator with at least one flag, so the cardinality follows the flagged hosts, not the whole network.
 */
import type { GaugeSample } from '@aiops/common';
import type { ConnRecord } from '@aiops/zeek';
import type { AnomalyModelDocument } from './pipeline.ts';

export function anomalyGauges(records: readonly ConnRecord[], scores: Float64Array, predicted: Int8Array): GaugeSample[] {
  const flaggedByHost = new Map<string, number>();
  const maxByHost = new Map<string, number>();
  records.forEach((r, i) => {
    if (predicted[i] !== -1) return;
    flaggedByHost.set(r.origHost, (flaggedByHost.get(r.origHost) ?? 0) + 1);
    maxByHost.set(r.origHost, Math.max(maxByHost.get(r.origHost) ?? 0, scores[i]!));
  });
  const samples: GaugeSample[] = [
    { name: 'aiops_anomaly_connections_scored', help: 'Connections scored in the last run.', labels: {}, value: records.length },
  ];
  for (const [host, value] of flaggedByHost) {
    samples.push({ name: 'aiops_anomaly_flagged', help: 'Connections flagged in the last run, by originator.', labels: { host }, value });
    samples.push({ name: 'aiops_anomaly_score_max', help: 'Highest anomaly score s(x) in the last run, by originator.', labels: { host }, value: maxByHost.get(host)! });
  }
  return samples;
}

export function modelInfoGauge(doc: AnomalyModelDocument): GaugeSample {
  return {
    name: 'aiops_model_info',
    help: 'The model in use (value 1).',
    labels: { model: 'anomaly-scorer', version: doc.modelVersion, trained_at: doc.trainedAt },
    value: 1,
  };
}
