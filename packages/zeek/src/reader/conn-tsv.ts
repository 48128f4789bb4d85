/**
 * The fast path from a conn.log TSV line to a ConnRecord: the column positions of the members are looked up once
 * per header, numbers and addresses are checked on character codes, and only the strings a ConnRecord keeps are
 * cut out of the line. Lines this path cannot take (the IoT-23 spaced label columns) go the general way.
 */
import type { ConnRecord } from '../conn-record.ts';
import type { ZeekHeader } from './zeek-header.ts';
import { unescapeZeek } from './zeek-escapes.ts';
import { FieldError, isIPv4Range, parseCountRange, parseDecimalRange, preview } from './zeek-values.ts';
import { isIPv6 } from 'node:net';
import { sameChars, type TsvColumns } from './tsv-columns.ts';

/** Column index of each member's Zeek field, -1 when the log lacks it. */
export interface ConnLayout {
  ts: number;
  uid: number;
  origHost: number;
  origPort: number;
  respHost: number;
  respPort: number;
  proto: number;
  service: number;
  duration: number;
  origBytes: number;
  respBytes: number;
  connState: number;
  origPkts: number;
  origIpBytes: number;
  respPkts: number;
  respIpBytes: number;
  label: number;
  detailedLabel: number;
}

const REQUIRED = ['ts', 'uid', 'id.orig_h', 'id.resp_h'];

/** The layout of a conn header, or the reason it is not a conn log. */
export function connLayout(header: ZeekHeader): ConnLayout | string {
  const fields = header.fields!;
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0) return `not a conn log: #fields lacks ${missing.join(', ')}`;
  const at = (name: string) => fields.indexOf(name);
  return {
    ts: at('ts'),
    uid: at('uid'),
    origHost: at('id.orig_h'),
    origPort: at('id.orig_p'),
    respHost: at('id.resp_h'),
    respPort: at('id.resp_p'),
    proto: at('proto'),
    service: at('service'),
    duration: at('duration'),
    origBytes: at('orig_bytes'),
    respBytes: at('resp_bytes'),
    connState: at('conn_state'),
    origPkts: at('orig_pkts'),
    origIpBytes: at('orig_ip_bytes'),
    respPkts: at('resp_pkts'),
    respIpBytes: at('resp_ip_bytes'),
    label: at('label'),
    detailedLabel: at('detailedlabel') >= 0 ? at('detailedlabel') : at('detailed-label'),
  };
}

/** Reads the members of one already split line. Throws FieldError for a value that does not fit. */
export class ConnTsvReader {
  /** Zeek's default unset marker `-`, compared as one character code. */
  private readonly unsetIsDash: boolean;
  /**
   * Last value of each low-cardinality column (proto, service, conn_state, labels): reused when the next line holds
   * the same characters, which saves allocating (and collecting) a short string per field per line.
   */
  private readonly lastText: (string | undefined)[] = [];

  constructor(
    private readonly layout: ConnLayout,
    private readonly header: ZeekHeader,
    private readonly columns: TsvColumns,
  ) {
    this.unsetIsDash = header.unsetField === '-';
  }

  private fieldName(i: number): string {
    return this.header.fields![i]!;
  }

  private unset(text: string, i: number): boolean {
    if (this.unsetIsDash) {
      const start = this.columns.starts[i]!;
      return this.columns.ends[i]! - start === 1 && text.charCodeAt(start) === 45;
    }
    return this.columns.is(text, i, this.header.unsetField);
  }

  private string(text: string, i: number): string | null {
    if (i < 0 || this.unset(text, i)) return null;
    const start = this.columns.starts[i]!;
    const end = this.columns.ends[i]!;
    const last = this.lastText[i];
    if (last !== undefined && last.length === end - start && sameChars(text, start, last)) return last;
    if (this.columns.is(text, i, this.header.emptyField)) return '';
    const value = text.slice(start, end);
    return value.indexOf('\\') < 0 ? value : unescapeZeek(value);
  }

  /** string() that remembers its value for the next line (low-cardinality columns only). */
  private category(text: string, i: number): string | null {
    const value = this.string(text, i);
    if (value !== null && value !== '' && value.length < 64 && value.indexOf('\\') < 0) this.lastText[i] = value;
    return value;
  }

  private requiredString(text: string, i: number): string {
    const s = this.string(text, i);
    if (s === null || s === '') throw new FieldError(this.fieldName(i), 'unset or empty');
    return s;
  }

  private address(text: string, i: number): string {
    const { starts, ends } = this.columns;
    const start = starts[i]!;
    const end = ends[i]!;
    // Hosts repeat from line to line; the one validated last time is reused without a new string.
    const last = this.lastText[i];
    if (last !== undefined && last.length === end - start && sameChars(text, start, last)) return last;
    if (this.unset(text, i)) throw new FieldError(this.fieldName(i), 'unset');
    const s = text.slice(start, end);
    if (!isIPv4Range(text, start, end) && !(s.indexOf(':') >= 0 && isIPv6(s))) {
      throw new FieldError(this.fieldName(i), `not an IP address: ${preview(s)}`);
    }
    this.lastText[i] = s;
    return s;
  }

  private count(text: string, i: number, max = Number.MAX_SAFE_INTEGER): number | null {
    if (i < 0 || this.unset(text, i)) return null;
    const v = parseCountRange(text, this.columns.starts[i]!, this.columns.ends[i]!);
    if (v < 0 || v > max) throw new FieldError(this.fieldName(i), `not a ${max === 65535 ? 'port' : 'count'}: ${preview(this.columns.cut(text, i))}`);
    return v;
  }

  private decimal(text: string, i: number): number | null {
    if (i < 0 || this.unset(text, i)) return null;
    const v = parseDecimalRange(text, this.columns.starts[i]!, this.columns.ends[i]!);
    if (Number.isNaN(v)) throw new FieldError(this.fieldName(i), `not a number: ${preview(this.columns.cut(text, i))}`);
    return v;
  }

  read(text: string): ConnRecord {
    const l = this.layout;
    const ts = this.decimal(text, l.ts);
    if (ts === null) throw new FieldError('ts', 'unset');
    return {
      ts,
      uid: this.requiredString(text, l.uid),
      origHost: this.address(text, l.origHost),
      origPort: this.count(text, l.origPort, 65535),
      respHost: this.address(text, l.respHost),
      respPort: this.count(text, l.respPort, 65535),
      proto: this.category(text, l.proto),
      service: this.category(text, l.service),
      duration: this.decimal(text, l.duration),
      origBytes: this.count(text, l.origBytes),
      respBytes: this.count(text, l.respBytes),
      connState: this.category(text, l.connState),
      origPkts: this.count(text, l.origPkts),
      origIpBytes: this.count(text, l.origIpBytes),
      respPkts: this.count(text, l.respPkts),
      respIpBytes: this.count(text, l.respIpBytes),
      label: this.category(text, l.label),
      detailedLabel: this.category(text, l.detailedLabel),
    };
  }
}
