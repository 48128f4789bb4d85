/**
 * Zeek JSON-lines logs (`LogAscii::use_json`): one object per line, field names as in TSV (`id.orig_h`), unset
 * fields left out. Nested objects (some shippers write `{"id": {"orig_h": …}}`) are flattened to dotted names; `ts`
 * may be epoch seconds or ISO 8601 (`JSON::TS_ISO8601`) and always comes out as epoch seconds.
 */
import { FieldError, preview, type ZeekValue } from './zeek-values.ts';

export type ZeekValues = Record<string, ZeekValue>;

function flattenInto(out: ZeekValues, prefix: string, object: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flattenInto(out, name, value as Record<string, unknown>);
    else out[name] = value as ZeekValue;
  }
}

/** Epoch seconds of a JSON `ts` (number or ISO 8601 string), or a FieldError. */
export function jsonTimestamp(value: unknown, field = 'ts'): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && /^\d{4}-\d\d-\d\dT/.test(value)) return ms / 1000;
  }
  throw new FieldError(field, `not a timestamp: ${preview(JSON.stringify(value) ?? String(value))}`);
}

/** Parses one JSON line into its values; throws a FieldError/SyntaxError-derived Error with a clear reason. */
export function parseJsonValues(line: string): ZeekValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new Error(`invalid JSON: ${(err as Error).message.slice(0, 120)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('JSON line is not an object');
  const record = parsed as Record<string, unknown>;
  let needsFlattening = false;
  for (const key in record) {
    const v = record[key];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      needsFlattening = true;
      break;
    }
  }
  let values: ZeekValues;
  if (needsFlattening) {
    values = {};
    flattenInto(values, '', record);
  } else values = record as ZeekValues;
  if ('ts' in values) values.ts = jsonTimestamp(values.ts);
  return values;
}
