/**
 * Per-connection features of one Zeek conn.log record: what a single row says about itself, with no context.
 *
 * Choices, and why:
 * - Byte and packet counts and durations are heavy-tailed (a few bytes to gigabytes), so they enter as log1p:
 *   an Isolation Forest splits uniformly between a feature's min and max, and on raw bytes nearly every split
 *   would only separate the largest transfer from everything else.
 * - Unset (`-`) counts and durations count as 0: Zeek leaves them unset when it saw no payload to measure
 *   (typically a lone SYN), which is what 0 means too. Only `duration_unset` is kept as an indicator, because a
 *   connection Zeek could not time at all (a single packet) is the scan signature; a bytes-unset indicator would
 *   be the same column again.
 * - orig_ip_bytes/duration is a send rate; with duration 0 or unset it is undefined, and 0 (not infinity) keeps
 *   single-packet connections next to each other instead of at an artificial extreme.
 * - service: one-hot dns/http/ssl/other/none. `none` (Zeek identified no protocol) is kept apart from `other`
 *   because unanswered probes have no service, and that carries signal.
 * - conn_state: two columns instead of a 13-way one-hot (which would dilute the forest's random feature choice
 *   with 13 mostly-zero columns): `conn_state_progress`, an ordinal of how far the connection got (0 no reply,
 *   1 rejected, 2 half-open/odd, 3 established then reset, 4 established not closed, 5 normal close), and
 *   `conn_state_failed` (never established: S0, REJ, RSTOS0, RSTRH, SH, SHR). Unset states count as OTH.
 * - hour_of_day and day_of_week in UTC (the ML node's clock is irrelevant; the records' is what counts).
 */
import type { ConnRecord } from '../conn-record.ts';

export const CONNECTION_FEATURE_NAMES = [
  'log_duration',
  'duration_unset',
  'log_orig_bytes',
  'log_resp_bytes',
  'log_orig_pkts',
  'log_resp_pkts',
  'log_orig_ip_bytes_per_s',
  'service_dns',
  'service_http',
  'service_ssl',
  'service_other',
  'service_none',
  'conn_state_progress',
  'conn_state_failed',
  'hour_of_day',
  'day_of_week',
] as const;

/** How far the connection got; see the header. Zeek's states: docs.zeek.org, base/protocols/conn/main.zeek. */
const STATE_PROGRESS: Readonly<Record<string, number>> = {
  S0: 0,
  REJ: 1,
  RSTOS0: 2,
  RSTRH: 2,
  SH: 2,
  SHR: 2,
  OTH: 2,
  RSTO: 3,
  RSTR: 3,
  S1: 4,
  S2: 4,
  S3: 4,
  SF: 5,
};

/** States of a connection that was never established (an attempt that failed or was never answered). */
export const FAILED_STATES: ReadonlySet<string> = new Set(['S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR']);

const SERVICE_COLUMNS = ['dns', 'http', 'ssl'] as const;

export function connStateProgress(state: string | null): number {
  return STATE_PROGRESS[state ?? 'OTH'] ?? STATE_PROGRESS.OTH!;
}

export function isFailedState(state: string | null): boolean {
  return state !== null && FAILED_STATES.has(state);
}

/**
 * Zeek writes a list when several analysers matched (`ssl,http`); the first is the one that won. A service
 * prefixed with `-` means a failed analyser: treat as none.
 */
function serviceColumn(service: string | null): number {
  if (service === null || service === '' || service.startsWith('-')) return 4;
  const first = service.split(',')[0]!.toLowerCase();
  const known = SERVICE_COLUMNS.indexOf(first as (typeof SERVICE_COLUMNS)[number]);
  return known >= 0 ? known : 3;
}

const log1p = (value: number | null): number => (value === null || value <= 0 ? 0 : Math.log1p(value));

/** Writes the per-connection features of `record` into `out` from `offset` on (CONNECTION_FEATURE_NAMES order). */
export function writeConnectionFeatures(record: ConnRecord, out: Float64Array, offset: number): void {
  const duration = record.duration;
  const rate = duration !== null && duration > 0 && record.origIpBytes !== null ? record.origIpBytes / duration : 0;
  const date = new Date(record.ts * 1000);
  out[offset] = log1p(duration);
  out[offset + 1] = duration === null ? 1 : 0;
  out[offset + 2] = log1p(record.origBytes);
  out[offset + 3] = log1p(record.respBytes);
  out[offset + 4] = log1p(record.origPkts);
  out[offset + 5] = log1p(record.respPkts);
  out[offset + 6] = log1p(rate);
  out.fill(0, offset + 7, offset + 12);
  out[offset + 7 + serviceColumn(record.service)] = 1;
  out[offset + 12] = connStateProgress(record.connState);
  out[offset + 13] = isFailedState(record.connState) ? 1 : 0;
  out[offset + 14] = date.getUTCHours();
  out[offset + 15] = date.getUTCDay();
}
