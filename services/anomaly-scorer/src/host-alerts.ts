/**
 * Host alerts as `anomalies-*` documents (kind `host`) and the host gauges (score, alerted, threshold), from a host
 * scoring result; shared by files mode and Elasticsearch mode.
 *
 * Document id: sha256 of `host|<role>|<host>|<window start>|<model version>` (first 20 bytes, hex): the same window
 * scored again by the same model (a rerun, or the next run that sees more of a window cut by a page) overwrites its
 * alert instead of adding one. A window that no longer alerts on a rerun leaves the earlier document in place (the
 * alert was raised; nothing is deleted behind an operator's back).
 */
import { createHash } from 'node:crypto';
import type { GaugeSample } from '@aiops/common';
import { metrics, sample } from '@aiops/contracts';
import type { ConnRecord } from '@aiops/zeek';
import type { HostScoringResult, ScoredHostWindow } from '@aiops/network-anomaly';

/** Uids kept per alert document: the first ones in time; `connections_showing` says how many there were. */
const MAX_UIDS_PER_HOST_ALERT = 200;
/** Hosts in the gauge besides the alerted ones: the highest scored (a dashboard shows who came close). */
export const GAUGE_TOP_HOSTS = 20;

// A type alias, not an interface: bulk writers take plain records (Record<string, unknown>).
export type HostAlertDocument = {
  kind: 'host';
  '@timestamp': string;
  ts: number;
  host: string;
  host_role: 'orig' | 'resp';
  window_start: string;
  window_end: string;
  connections: number;
  connections_showing: number;
  connection_uids: string[];
  anomaly_score: number;
  threshold: number;
  model_version: string;
  /** The window's features against the host's baseline, largest first (the names say what changed). */
  explanation: { feature: string; value: number }[];
};

function hostAlertId(w: Pick<ScoredHostWindow, 'role' | 'host' | 'start'>, modelVersion: string): string {
  return createHash('sha256').update(`host|${w.role}|${w.host}|${w.start}|${modelVersion}`).digest('hex').slice(0, 40);
}

export function hostAlertDocuments(
  result: HostScoringResult,
  records: readonly ConnRecord[],
  modelVersion: string,
  threshold: number,
): { id: string; document: HostAlertDocument }[] {
  return result.windows
    .filter((w) => w.alert)
    .map((w) => {
      const uids = w.showing.map((i) => records[i]!.uid);
      const explanation = Object.entries(w.features)
        .filter(([, value]) => value > 0)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([feature, value]) => ({ feature, value }));
      return {
        id: hostAlertId(w, modelVersion),
        document: {
          kind: 'host' as const,
          '@timestamp': new Date(w.start * 1000).toISOString(),
          ts: w.start,
          host: w.host,
          host_role: w.role,
          window_start: new Date(w.start * 1000).toISOString(),
          window_end: new Date(w.end * 1000).toISOString(),
          connections: w.connections,
          connections_showing: uids.length,
          connection_uids: uids.slice(0, MAX_UIDS_PER_HOST_ALERT),
          anomaly_score: w.score,
          threshold,
          model_version: modelVersion,
          explanation,
        },
      };
    });
}

/**
 * Highest window score per host (either role) over one or more scoring results of a run, whether the detector
 * alerted on the host, and the detector's threshold: the gauges NetworkAnomalyHost alerts on (its own decision).
 */
export class HostScoreTally {
  private readonly maxByHost = new Map<string, number>();
  private readonly alerted = new Set<string>();

  constructor(private readonly threshold: number) {}

  add(result: HostScoringResult): void {
    for (const w of result.windows) {
      this.maxByHost.set(w.host, Math.max(this.maxByHost.get(w.host) ?? 0, w.score));
      if (w.alert) this.alerted.add(w.host);
    }
  }

  get alertedHosts(): number {
    return this.alerted.size;
  }

  /**
   * Per alerted host plus the GAUGE_TOP_HOSTS highest others (cardinality bounded by the alerts): its score and
   * whether it alerted (1/0); and the threshold once.
   */
  gauges(): GaugeSample[] {
    const ranked = [...this.maxByHost].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const keep = ranked.filter(([host], i) => this.alerted.has(host) || i < GAUGE_TOP_HOSTS);
    return [
      ...keep.flatMap(([host, value]) => [
        sample(metrics.anomalyHostScore, { host }, value),
        sample(metrics.anomalyHostAlerted, { host }, this.alerted.has(host) ? 1 : 0),
      ]),
      sample(metrics.anomalyHostThreshold, {}, this.threshold),
    ];
  }
}
