/**
 * One Zeek conn.log record, typed. The contract between the reader (which produces it from TSV or JSON lines) and
 * the feature builder (which consumes it). Zeek's own field names live in `fields`; the typed members below are
 * the ones the features need. `null` = the field was unset (`-`) or absent; numbers are never NaN.
 */
export interface ConnRecord {
  /** Epoch seconds (fractional). Some captures hold capture-relative seconds; the reader does not guess. */
  ts: number;
  uid: string;
  origHost: string;
  origPort: number | null;
  respHost: string;
  respPort: number | null;
  proto: string | null;
  service: string | null;
  duration: number | null;
  origBytes: number | null;
  respBytes: number | null;
  connState: string | null;
  origPkts: number | null;
  origIpBytes: number | null;
  respPkts: number | null;
  respIpBytes: number | null;
  /** Stratosphere labeled files: `label` (Benign | Malicious | Background) and `detailedlabel`; else null. */
  label: string | null;
  detailedLabel: string | null;
}
