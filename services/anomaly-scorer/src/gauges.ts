/**
 * The anomaly scorer's gauges (docs/contracts.md), from a scoring result; shared by files and Elasticsearch mode.
 * `host` = the originator of the flagged connections (the machine whose behaviour stood out), one series per
 * originator with at least one flag, so the cardinality follows the flagged hosts, not the whole network.
 */
import type { GaugeSample } from '@aiops/common';
import type { ConnRecord } from '@aiops/zeek';
import type { AnomalyModelDocument } from './pipeline.ts';

/** Running counts over the pages of one run, so a long run keeps three maps, not every scored connection. */
export class AnomalyTally {
  private scored = 0;
  private readonly flaggedByHost = new Map<string, number>();
  private readonly maxByHost = new Map<string, number>();

  add(records: readonly ConnRecord[], scores: Float64Array, predicted: Int8Array): void {
    this.scored += records.length;
    records.forEach((r, i) => {
      if (predicted[i] !== -1) return;
      this.flaggedByHost.set(r.origHost, (this.flaggedByHost.get(r.origHost) ?? 0) + 1);
      this.maxByHost.set(r.origHost, Math.max(this.maxByHost.get(r.origHost) ?? 0, scores[i]!));
    });
  }

  gauges(): GaugeSample[] {
    const samples: GaugeSample[] = [
      { name: 'aiops_anomaly_connections_scored', help: 'Connections scored in the last run.', labels: {}, value: this.scored },
    ];
    for (const [host, value] of this.flaggedByHost) {
      samples.push({ name: 'aiops_anomaly_flagged', help: 'Connections flagged in the last run, by originator.', labels: { host }, value });
      samples.push({ name: 'aiops_anomaly_score_max', help: 'Highest anomaly score s(x) in the last run, by originator.', labels: { host }, value: this.maxByHost.get(host)! });
    }
    return samples;
  }
}

export function anomalyGauges(records: readonly ConnRecord[], scores: Float64Array, predicted: Int8Array): GaugeSample[] {
  const tally = new AnomalyTally();
  tally.add(records, scores, predicted);
  return tally.gauges();
}

export function modelInfoGauge(doc: AnomalyModelDocument): GaugeSample {
  return {
    name: 'aiops_model_info',
    help: 'The model in use (value 1).',
    labels: { model: 'anomaly-scorer', version: doc.modelVersion, trained_at: doc.trainedAt },
    value: 1,
  };
}
