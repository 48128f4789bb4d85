/**
 * The anomaly scorer's gauges (docs/contracts.md), from a scoring result; shared by files and Elasticsearch mode.
 * `host` = the originator of the flagged connections (the machine whose behaviour stood out), one series per
 * originator with at least one flag, so the cardinality follows the flagged hosts, not the whole network.
 */
import type { GaugeSample } from '@aiops/common';
import { metrics, sample } from '@aiops/contracts';
import type { ConnRecord } from '@aiops/zeek';
import type { AnomalyModelDocument } from '@aiops/network-anomaly';

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
    const samples: GaugeSample[] = [sample(metrics.anomalyConnectionsScored, {}, this.scored)];
    for (const [host, value] of this.flaggedByHost) {
      samples.push(sample(metrics.anomalyFlagged, { host }, value));
      samples.push(sample(metrics.anomalyScoreMax, { host }, this.maxByHost.get(host)!));
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
  return sample(metrics.modelInfo, { model: 'anomaly-scorer', version: doc.modelVersion, trained_at: doc.trainedAt }, 1);
}
