/**
 * A ConnRecord from a conn log's generic values (JSON lines, or TSV that took the general path). The TSV fast path
 * (conn-tsv.ts) produces the same records straight from the line; the tests hold the two to the same output.
 */
import type { ConnRecord } from '../conn-record.ts';
import { FieldError, isAddress, preview, type ZeekValue } from './zeek-values.ts';

type Values = Record<string, ZeekValue | undefined>;

function describe(v: unknown): string {
  return preview(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
}

function requiredString(values: Values, field: string): string {
  const v = values[field];
  if (typeof v !== 'string' || v.length === 0) throw new FieldError(field, v == null ? 'missing or unset' : `not a string: ${describe(v)}`);
  return v;
}

function address(values: Values, field: string): string {
  const v = requiredString(values, field);
  if (!isAddress(v)) throw new FieldError(field, `not an IP address: ${preview(v)}`);
  return v;
}

function optionalString(values: Values, field: string): string | null {
  const v = values[field];
  if (v == null) return null;
  if (typeof v !== 'string') throw new FieldError(field, `not a string: ${describe(v)}`);
  return v;
}

function optionalNumber(values: Values, field: string, integer: boolean, max = Number.MAX_SAFE_INTEGER): number | null {
  const v = values[field];
  if (v == null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v > max || (integer && (v < 0 || !Number.isInteger(v)))) {
    throw new FieldError(field, `not a ${integer ? (max === 65535 ? 'port' : 'count') : 'number'}: ${describe(v)}`);
  }
  return v;
}

export function connFromValues(values: Values): ConnRecord {
  const ts = values.ts;
  if (typeof ts !== 'number' || !Number.isFinite(ts)) throw new FieldError('ts', ts == null ? 'missing or unset' : `not a number: ${describe(ts)}`);
  return {
    ts,
    uid: requiredString(values, 'uid'),
    origHost: address(values, 'id.orig_h'),
    origPort: optionalNumber(values, 'id.orig_p', true, 65535),
    respHost: address(values, 'id.resp_h'),
    respPort: optionalNumber(values, 'id.resp_p', true, 65535),
    proto: optionalString(values, 'proto'),
    service: optionalString(values, 'service'),
    duration: optionalNumber(values, 'duration', false, Infinity),
    origBytes: optionalNumber(values, 'orig_bytes', true),
    respBytes: optionalNumber(values, 'resp_bytes', true),
    connState: optionalString(values, 'conn_state'),
    origPkts: optionalNumber(values, 'orig_pkts', true),
    origIpBytes: optionalNumber(values, 'orig_ip_bytes', true),
    respPkts: optionalNumber(values, 'resp_pkts', true),
    respIpBytes: optionalNumber(values, 'resp_ip_bytes', true),
    label: optionalString(values, 'label'),
    detailedLabel: optionalString(values, 'detailedlabel') ?? optionalString(values, 'detailed-label'),
  };
}
