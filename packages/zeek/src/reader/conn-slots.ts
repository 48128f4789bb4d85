/**
 * Where the byte scanners keep the members of the line being read: numbers in a Float64Array (NaN = unset or
 * absent), strings in an array (null = unset or absent), one slot per ConnRecord member; and the record built
 * from them, always with the same shape.
 */
import type { ConnRecord } from '../conn-record.ts';

export const S = {
  ts: 0, uid: 1, origHost: 2, origPort: 3, respHost: 4, respPort: 5, proto: 6, service: 7, duration: 8, origBytes: 9,
  respBytes: 10, connState: 11, origPkts: 12, origIpBytes: 13, respPkts: 14, respIpBytes: 15, label: 16, detailedLabel: 17,
} as const satisfies Record<keyof ConnRecord, number>;

export const SLOT_COUNT = 18;

const orNull = (v: number): number | null => (v === v ? v : null);

export function connRecordOf(n: Float64Array, s: (string | null)[]): ConnRecord {
  return {
    ts: n[S.ts]!,
    uid: s[S.uid]!,
    origHost: s[S.origHost]!,
    origPort: orNull(n[S.origPort]!),
    respHost: s[S.respHost]!,
    respPort: orNull(n[S.respPort]!),
    proto: s[S.proto] as string | null,
    service: s[S.service] as string | null,
    duration: orNull(n[S.duration]!),
    origBytes: orNull(n[S.origBytes]!),
    respBytes: orNull(n[S.respBytes]!),
    connState: s[S.connState] as string | null,
    origPkts: orNull(n[S.origPkts]!),
    origIpBytes: orNull(n[S.origIpBytes]!),
    respPkts: orNull(n[S.respPkts]!),
    respIpBytes: orNull(n[S.respIpBytes]!),
    label: s[S.label] as string | null,
    detailedLabel: s[S.detailedLabel] as string | null,
  };
}
