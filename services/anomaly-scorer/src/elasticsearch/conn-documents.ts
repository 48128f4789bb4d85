/**
 * zeek-conn-* documents (zeek-ingest writes Zeek's own field names, unset fields left out) back into ConnRecords,
 * with the reason a document cannot be one — the same field checks as the file reader, so both modes agree.
 */
import type { ReadHit } from '@aiops/common';
import { connFromValues, type ConnRecord, type ZeekValue } from '@aiops/zeek';

export type ConnDocument = Record<string, ZeekValue | undefined>;

export interface ConnFromHit {
  record?: ConnRecord;
  /** `index/id: field: reason` when the document is not a usable conn record. */
  problem?: string;
}

export function connFromHit(hit: ReadHit<ConnDocument>): ConnFromHit {
  try {
    return { record: connFromValues(hit.source) };
  } catch (err) {
    return { problem: `${hit.index}/${hit.id}: ${(err as Error).message}` };
  }
}
