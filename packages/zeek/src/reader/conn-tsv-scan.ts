/**
 * The conn.log TSV hot path: one pass over the bytes of an ASCII chunk that finds the tabs, parses the numbers,
 * checks the addresses and looks up the repeated strings (hosts, proto, service, conn_state, labels) in the same
 * loop, so a line costs one read of each byte and no string per field (the uid aside). It only ever says "this
 * line is exactly this record" or "not mine": every line it does not take (a reject, an escape, `(empty)` where a
 * count belongs, a CRLF, IoT-23's spaced columns…) goes the general way (ConnTsvReader), which therefore decides
 * every reject; conn-scan.test.ts holds the two to the same output with fast-check.
 */
import type { ConnRecord } from '../conn-record.ts';
import { ByteInterner } from './byte-interner.ts';
import type { ConnLayout } from './conn-tsv.ts';
import { compileScanLine, emptyLastLong, type ColumnKind, type LastLong, type ScanContext, type ScanLine } from './conn-tsv-codegen.ts';
import type { ZeekHeader } from './zeek-header.ts';

const KIND: Record<keyof ConnLayout, ColumnKind> = {
  ts: 'time', uid: 'uid', origHost: 'address', origPort: 'port', respHost: 'address', respPort: 'port', proto: 'category',
  service: 'category', duration: 'decimal', origBytes: 'count', respBytes: 'count', connState: 'category', origPkts: 'count',
  origIpBytes: 'count', respPkts: 'count', respIpBytes: 'count', label: 'category', detailedLabel: 'category',
};

export class ConnTsvScanner implements ScanContext {
  /** Index of the newline that ended the last line scan() took. */
  newline = 0;
  readonly interner = new ByteInterner(1 << 14);
  readonly lastLong: LastLong[];
  private readonly line: ScanLine;

  private constructor(line: ScanLine, columns: number) {
    this.line = line;
    this.lastLong = emptyLastLong(columns);
  }

  /**
   * A scanner for this header, or null when the header is not the plain Zeek form it reads (a separator other than
   * one tab, other unset/empty markers, IoT-23's spaced tail columns): those logs go the general way.
   */
  static forHeader(header: ZeekHeader, layout: ConnLayout): ConnTsvScanner | null {
    if (header.separator !== '\t' || header.unsetField !== '-' || header.emptyField !== '(empty)' || header.spacedTail > 0) return null;
    const n = header.fields!.length;
    const kinds = new Array<ColumnKind>(n).fill('skip');
    const members = new Array<keyof ConnRecord | null>(n).fill(null);
    for (const member of Object.keys(KIND) as (keyof ConnLayout)[]) {
      const col = layout[member];
      if (col < 0) continue;
      if (members[col] !== null) return null;
      kinds[col] = KIND[member];
      members[col] = member;
    }
    return new ConnTsvScanner(compileScanLine(kinds, members), n);
  }

  /**
   * The record of the line starting at `p` in `b` (ASCII bytes, the same characters as `text`; a newline at or
   * after the line's end is guaranteed), or null when the general path must decide. On success `newline` is set.
   */
  scan(b: Buffer, text: string, p: number): ConnRecord | null {
    return this.line(b, text, p, this);
  }
}
