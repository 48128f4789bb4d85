/**
 * The incident view of a labeled, scored batch: what an operator would have seen. Pure; used by `evaluate` and by
 * the leave-one-capture-out bench (bench/anomaly-eval/host-loco.ts), so both measure the same thing.
 *   - episode: one attacker host × attack label (`origHost` × `detailedLabel` of the Malicious rows); detected
 *     when a host alert shows one of its connections; delay = minutes from its first connection to the end of
 *     the first alerting window (when a 10-minute detect batch would report it); "within one batch" = that
 *     window starts no later than one window length after the first connection;
 *   - false host alert: an alerted window none of whose connections is Malicious; per benign day = over the time
 *     span of the batch's Benign rows (at least one hour, so a short capture does not inflate the rate silently);
 *   - records before `reportFrom` are context (scored with the batch, scoreHostWindows' reportFrom): they are in the
 *     windows, so a window's membership counts them, but they are neither episodes nor benign time;
 *   - caught at a threshold: a Malicious row flagged by the connection forest (s(x) above its threshold) or shown
 *     by a host alert; an episode is caught when one of its rows is.
 */
import type { ConnRecord } from '@aiops/zeek';
import type { HostScoringResult } from './host-detection.ts';

export const truthOf = (r: ConnRecord): 0 | 1 | null => (r.label === 'Malicious' ? 1 : r.label === 'Benign' ? 0 : null);
export const episodeKey = (r: ConnRecord): string => `${r.origHost} × ${r.detailedLabel ?? r.label ?? '-'}`;

export interface EpisodeOutcome {
  episode: string;
  connections: number;
  firstTs: number;
  detected: boolean;
  /** Minutes from the first connection to the end of the first alerting window; null when not detected. */
  delayMinutes: number | null;
  withinOneBatch: boolean;
}

export interface IncidentReport {
  hostAlerts: number;
  falseHostAlerts: number;
  benignDays: number;
  falseHostAlertsPerBenignDay: number;
  episodes: EpisodeOutcome[];
  episodesDetected: number;
  episodesWithinOneBatch: number;
}

export function incidentReport(records: readonly ConnRecord[], host: HostScoringResult, windowSeconds: number, reportFrom = 0): IncidentReport {
  const malicious = records.map((r) => truthOf(r) === 1);
  const episodes = new Map<string, EpisodeOutcome & { windowStart: number | null }>();
  records.forEach((r, i) => {
    if (!malicious[i] || i < reportFrom) return;
    const key = episodeKey(r);
    const e = episodes.get(key) ?? { episode: key, connections: 0, firstTs: r.ts, detected: false, delayMinutes: null, withinOneBatch: false, windowStart: null };
    e.connections++;
    e.firstTs = Math.min(e.firstTs, r.ts);
    episodes.set(key, e);
  });
  // Which records each window holds, to tell a false alert (no Malicious row in it) from a true one whose attack
  // rows did not "show" (e.g. to a known peer).
  const members = new Map<string, number[]>();
  records.forEach((r, i) => {
    const start = Math.floor(r.ts / windowSeconds) * windowSeconds;
    for (const key of [`orig|${r.origHost}|${start}`, `resp|${r.respHost}|${start}`]) {
      const m = members.get(key);
      if (m) m.push(i);
      else members.set(key, [i]);
    }
  });
  const alerts = host.windows.filter((w) => w.alert);
  let falseHostAlerts = 0;
  for (const w of alerts) {
    if (!(members.get(`${w.role}|${w.host}|${w.start}`) ?? []).some((i) => malicious[i])) falseHostAlerts++;
    for (const i of w.showing) {
      if (!malicious[i]) continue;
      const e = episodes.get(episodeKey(records[i]!))!;
      if (e.windowStart === null || w.start < e.windowStart) e.windowStart = w.start;
    }
  }
  const outcomes = [...episodes.values()].map(({ windowStart, ...e }) => ({
    ...e,
    detected: windowStart !== null,
    delayMinutes: windowStart === null ? null : (windowStart + windowSeconds - e.firstTs) / 60,
    withinOneBatch: windowStart !== null && windowStart <= e.firstTs + windowSeconds,
  }));
  const benignTs = records.flatMap((r, i) => (i >= reportFrom && truthOf(r) === 0 ? [r.ts] : []));
  // loops, not Math.max(...benignTs): a large capture overflows the call stack when spread
  const span = benignTs.length ? benignTs.reduce((a, b) => Math.max(a, b)) - benignTs.reduce((a, b) => Math.min(a, b)) : 0;
  const benignDays = Math.max(3600, span) / 86400;
  return {
    hostAlerts: alerts.length,
    falseHostAlerts,
    benignDays,
    falseHostAlertsPerBenignDay: falseHostAlerts / benignDays,
    episodes: outcomes.sort((a, b) => a.firstTs - b.firstTs || (a.episode < b.episode ? -1 : 1)),
    episodesDetected: outcomes.filter((e) => e.detected).length,
    episodesWithinOneBatch: outcomes.filter((e) => e.withinOneBatch).length,
  };
}

/** Share of Malicious rows and of episodes caught by the forest at `connThreshold` or by a host alert. */
export function caughtShares(
  records: readonly ConnRecord[],
  connectionScores: ArrayLike<number>,
  connThreshold: number,
  inAlert: ArrayLike<number> | null,
): { rows: number; episodes: number } {
  let rows = 0;
  let total = 0;
  const all = new Set<string>();
  const caught = new Set<string>();
  records.forEach((r, i) => {
    if (truthOf(r) !== 1) return;
    total++;
    all.add(episodeKey(r));
    if (connectionScores[i]! > connThreshold || (inAlert !== null && inAlert[i] === 1)) {
      rows++;
      caught.add(episodeKey(r));
    }
  });
  return { rows: total ? rows / total : 0, episodes: all.size ? caught.size / all.size : 0 };
}
