/**
 * A Zeek record as an Elasticsearch document: Zeek's own field names (`id.orig_h` …), unset fields left out (as
 * Zeek's JSON writer does), `@timestamp` (ISO) from `ts`, `_path`, the daily index `<prefix>-<path>-YYYY.MM.DD`
 * of the record's ts, and a deterministic `_id`:
 * - conn: hash of log path + uid (one conn record per uid: the contract);
 * - every other log: hash of log path + uid + the record's values. dns, http, files, weird … hold several records
 *   per uid (the wrccdc dns.log repeats uid and trans_id with a microsecond apart), so path + uid alone would
 *   make them overwrite each other; logs without a uid get the same content hash.
 * The same line read again (a rerun, a rotated copy) gives the same id and overwrites instead of duplicating.
 */
import { dailyIndexName, documentId } from '@aiops/common';
import type { ZeekLogRecord, ZeekValue } from '@aiops/zeek';

type ZeekDocument = Record<string, ZeekValue | string>;

export interface ShippableRecord {
  index: string;
  id: string;
  document: ZeekDocument;
}

/** Index names are lowercase and limited in characters; an odd `#path` must not make an invalid name. */
export function indexSafePath(path: string): string {
  const safe = path.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').replace(/^[_.-]+/, '');
  return safe || 'unknown';
}

function zeekDocumentId(path: string, values: Record<string, ZeekValue>): string {
  const uid = typeof values.uid === 'string' ? values.uid : '';
  if (path === 'conn' && uid) return documentId(path, uid);
  return documentId(path, uid, JSON.stringify(values));
}

/** The document, or the reason the record cannot be one (no usable ts). */
export function toShippable(record: ZeekLogRecord, indexPrefix: string): ShippableRecord | string {
  const { values } = record;
  const ts = values.ts;
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return 'field ts: missing or not a number, no @timestamp/index day';
  const timestamp = new Date(Math.round(ts * 1000));
  if (Number.isNaN(timestamp.getTime())) return `field ts: ${ts} is out of the date range`;
  const path = indexSafePath(record.path);
  const document: ZeekDocument = { '@timestamp': timestamp.toISOString() };
  for (const key in values) {
    const v = values[key];
    if (v !== null && v !== undefined && key !== '_path') document[key] = v;
  }
  document._path = record.path;
  return { index: dailyIndexName(`${indexPrefix}-${path}`, timestamp), id: zeekDocumentId(record.path, values), document };
}
