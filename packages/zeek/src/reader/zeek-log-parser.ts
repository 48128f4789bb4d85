/**
 * The line-by-line state machine of one Zeek log: detects TSV or JSON from the first non-blank line, applies
 * header directives wherever they appear (a file may hold several logs one after the other), and turns each data
 * line into a record — or into a reject {file, line, reason} and nothing else: a bad line never stops a run.
 *
 * Two record kinds: ZeekLogRecord (every log path, field name → typed value) and ConnRecord (conn.log, the fast
 * typed path). Lines arrive as (text, start, end) ranges of a decoded chunk so the fast path never copies a line.
 */
import type { ConnRecord } from '../conn-record.ts';
import { connFromValues } from './conn-from-values.ts';
import { ConnTsvReader, connLayout } from './conn-tsv.ts';
import { ConnJsonScanner } from './conn-json-scan.ts';
import { ConnTsvScanner } from './conn-tsv-scan.ts';
import { rawColumns, TsvColumns, wrongColumnCount } from './tsv-columns.ts';
import { applyDirective, defaultZeekHeader, headerProblem, type ZeekHeader } from './zeek-header.ts';
import { parseJsonValues, type ZeekValues } from './zeek-json.ts';
import { columnConverter, type ColumnConverter } from './zeek-values.ts';

export type ZeekFormat = 'tsv' | 'json';

export interface ZeekReject {
  file: string;
  /** 1-based line number in the file (header lines count). */
  line: number;
  reason: string;
}

/** One record of any Zeek log: its path (`conn`, `dns`, …) and its fields under Zeek's own names. */
export interface ZeekLogRecord {
  path: string;
  line: number;
  values: ZeekValues;
}

/** What a reader resuming mid-file must know about the part it skipped. JSON-serialisable. */
export interface ZeekParserState {
  format: ZeekFormat | null;
  header: ZeekHeader;
}

export interface ZeekParserCounts {
  records: number;
  rejected: number;
  /** Header directive lines applied. */
  directives: number;
  blank: number;
}

export interface ZeekParserOptions {
  /** Names the source in rejects. */
  file: string;
  /** Log path when the file says none (JSON without `_path`, TSV without `#path`), e.g. from the file name. */
  path?: string;
  state?: ZeekParserState;
  onReject?: (reject: ZeekReject) => void;
  /**
   * conn logs: read ASCII chunks with the byte scanners (default true). false = the general path only — the
   * oracle the equivalence tests hold the scanners to.
   */
  scan?: boolean;
}

const MAX_REASON = 300;

export abstract class ZeekLineParser<T> {
  readonly file: string;
  readonly counts: ZeekParserCounts = { records: 0, rejected: 0, directives: 0, blank: 0 };
  protected format: ZeekFormat | null;
  protected header: ZeekHeader;
  protected readonly fallbackPath: string;
  protected readonly columns = new TsvColumns();
  /** Derived from the header; rebuilt lazily after a directive changed it. */
  private compiledFor: ZeekHeader | null = null;
  private readonly onReject: (reject: ZeekReject) => void;
  protected readonly scanBytes: boolean;

  constructor(options: ZeekParserOptions) {
    this.scanBytes = options.scan ?? true;
    this.file = options.file;
    this.fallbackPath = options.path ?? 'unknown';
    this.format = options.state?.format ?? null;
    this.header = options.state ? structuredClone(options.state.header) : defaultZeekHeader();
    this.onReject = options.onReject ?? (() => {});
  }

  /** A copy of the state after the lines seen so far. */
  state(): ZeekParserState {
    return { format: this.format, header: structuredClone(this.header) };
  }

  /** The log path of the records: `#path`, else the fallback. */
  get path(): string {
    return this.header.path ?? this.fallbackPath;
  }

  reject(line: number, reason: string): void {
    this.counts.rejected++;
    this.onReject({ file: this.file, line, reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason });
  }

  /** Parses text[start, end) (no newline), line number `line`. Returns the record, or undefined for none. */
  line(text: string, start: number, end: number, line: number): T | undefined {
    if (end > start && text.charCodeAt(end - 1) === 13) end--; // CRLF files
    if (end === start) {
      this.counts.blank++;
      return undefined;
    }
    const first = text.charCodeAt(start);
    if (this.format === null) {
      let i = start;
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i === end) {
        this.counts.blank++;
        return undefined;
      }
      this.format = text.charCodeAt(i) === 123 /* { */ ? 'json' : 'tsv';
    }
    try {
      if (this.format === 'json') {
        if (first === 35 /* # */) throw new Error('header directive in a JSON log');
        let i = start;
        while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
        if (i === end) {
          this.counts.blank++;
          return undefined;
        }
        const record = this.jsonLine(parseJsonValues(text.slice(start, end)), line);
        this.counts.records++;
        return record;
      }
      if (first === 35 /* # */) {
        const result = applyDirective(this.header, text.slice(start, end));
        if (!result.ok) throw new Error(result.reason);
        this.counts.directives++;
        this.compiledFor = null;
        return undefined;
      }
      if (this.compiledFor !== this.header) {
        const problem = headerProblem(this.header);
        if (problem) throw new Error(problem);
        this.compile(this.header);
        this.compiledFor = this.header;
      }
      const record = this.tsvLine(text, start, end, line);
      this.counts.records++;
      return record;
    } catch (err) {
      this.reject(line, (err as Error).message);
      return undefined;
    }
  }

  /**
   * The lines of text[0, end) (text[end] is a newline or the end of the text), numbered from `lineNumber` + 1;
   * returns the number of the last. `bytes`: the same characters as bytes when the text is ASCII, else null (a
   * subclass may then read the bytes directly).
   */
  lines(text: string, end: number, bytes: Buffer | null, lineNumber: number, out: T[]): number {
    let start = 0;
    let n = lineNumber;
    for (;;) {
      let lineEnd = text.indexOf('\n', start);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      const record = this.line(text, start, lineEnd, ++n);
      if (record !== undefined) out.push(record);
      if (lineEnd === end) return n;
      start = lineEnd + 1;
    }
  }

  /** True when the data lines to come are typed by a header already compiled (none of its directives since). */
  protected get compiled(): boolean {
    return this.compiledFor === this.header;
  }

  /** Called once per header, before its first data line. Throws to reject the data line with a reason. */
  protected abstract compile(header: ZeekHeader): void;
  protected abstract tsvLine(text: string, start: number, end: number, line: number): T;
  protected abstract jsonLine(values: ZeekValues, line: number): T;

  /** Every column typed per #types; throws for a wrong column count or a bad value. */
  protected typedValues(text: string, start: number, end: number, converters: ColumnConverter[]): ZeekValues {
    const raw = rawColumns(this.columns, text, start, end, this.header);
    if (typeof raw === 'string') throw new Error(raw);
    const fields = this.header.fields!;
    const values: ZeekValues = {};
    for (let i = 0; i < raw.length; i++) values[fields[i]!] = converters[i]!(raw[i]!, fields[i]!, this.header);
    return values;
  }
}

/** Every Zeek log (conn, dns, http, ssl, weird, …) as generic records. */
export class ZeekRecordParser extends ZeekLineParser<ZeekLogRecord> {
  private converters: ColumnConverter[] = [];

  protected compile(header: ZeekHeader): void {
    this.converters = header.types!.map(columnConverter);
  }

  protected tsvLine(text: string, start: number, end: number, line: number): ZeekLogRecord {
    return { path: this.path, line, values: this.typedValues(text, start, end, this.converters) };
  }

  protected jsonLine(values: ZeekValues, line: number): ZeekLogRecord {
    const path = typeof values._path === 'string' && values._path ? values._path : this.path;
    return { path, line, values };
  }
}

/** conn.log straight into ConnRecords. */
export class ConnRecordParser extends ZeekLineParser<ConnRecord> {
  private reader: ConnTsvReader | null = null;
  private scanner: ConnTsvScanner | null = null;
  /** Made on the first JSON line (its interning tables are not small). */
  private json: ConnJsonScanner | null = null;
  private converters: ColumnConverter[] = [];

  /**
   * ASCII chunks: each line is first offered to the byte scanner of its format (conn-tsv-scan.ts,
   * conn-json-scan.ts); the lines it does not take — directives, blank lines, rejects, anything unusual — and every
   * line before the format and header are known go through line(), the general path, exactly as without them.
   */
  override lines(text: string, end: number, bytes: Buffer | null, lineNumber: number, out: ConnRecord[]): number {
    if (bytes === null || !this.scanBytes) return super.lines(text, end, bytes, lineNumber, out);
    // The scanners stop at a newline: they may only run where one follows.
    const scanEnd = bytes[end] === 10 ? end : text.lastIndexOf('\n', end - 1);
    let start = 0;
    let n = lineNumber;
    for (;;) {
      n++;
      let lineEnd = -1;
      if (start < scanEnd) {
        let record: ConnRecord | null = null;
        if (this.format === 'json') {
          const json = (this.json ??= new ConnJsonScanner());
          record = json.scan(bytes, text, start);
          if (record !== null) lineEnd = json.newline;
        } else if (this.format === 'tsv' && this.scanner !== null && this.compiled) {
          const first = bytes[start];
          if (first !== 35 /* # */ && first !== 10) record = this.scanner.scan(bytes, text, start);
          if (record !== null) lineEnd = this.scanner.newline;
        }
        if (record !== null) {
          this.counts.records++;
          out.push(record);
        }
      }
      if (lineEnd < 0) {
        lineEnd = text.indexOf('\n', start);
        if (lineEnd < 0 || lineEnd > end) lineEnd = end;
        const record = this.line(text, start, lineEnd, n);
        if (record !== undefined) out.push(record);
      }
      if (lineEnd === end) return n;
      start = lineEnd + 1;
    }
  }

  protected compile(header: ZeekHeader): void {
    const layout = connLayout(header);
    if (typeof layout === 'string') throw new Error(layout);
    this.reader = new ConnTsvReader(layout, header, this.columns);
    this.scanner = ConnTsvScanner.forHeader(header, layout);
    this.converters = header.types!.map(columnConverter);
  }

  protected tsvLine(text: string, start: number, end: number): ConnRecord {
    const expected = this.header.fields!.length;
    const found = this.columns.split(text, start, end, this.header.separator, expected);
    if (found === expected) return this.reader!.read(text);
    if (this.header.spacedTail > 0) return connFromValues(this.typedValues(text, start, end, this.converters));
    throw new Error(wrongColumnCount(expected, found));
  }

  protected jsonLine(values: ZeekValues): ConnRecord {
    return connFromValues(values);
  }
}
