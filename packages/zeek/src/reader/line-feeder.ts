/**
 * Bytes → complete lines → a ZeekLineParser. Chunks are decoded whole (one UTF-8 check and one decode per chunk,
 * not per line); only a chunk that is not valid UTF-8 is taken apart line by line, so exactly its bad lines are
 * rejected. Keeps the byte offset just past the last complete line and the line number, which is what an
 * incremental reader stores as its checkpoint: a partial last line is held back until its newline arrives.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { ZeekLineParser } from './zeek-log-parser.ts';

const NEWLINE = 10;
/** A "line" longer than this is rejected and skipped up to its newline, instead of growing the buffer forever. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

export interface LineFeederOptions {
  /** Byte offset of the first byte fed (resuming at a checkpoint). */
  offset?: number;
  /** Number of lines before the first byte fed. */
  lineNumber?: number;
  maxLineBytes?: number;
}

export class LineFeeder {
  /** Bytes consumed through the end of the last complete line (a checkpoint may point here). */
  offset: number;
  /** Line number of the last complete line. */
  lineNumber: number;
  private carry: Buffer | null = null;
  private skipping = false;
  private readonly maxLineBytes: number;

  constructor(options: LineFeederOptions = {}) {
    this.offset = options.offset ?? 0;
    this.lineNumber = options.lineNumber ?? 0;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Bytes of an incomplete last line held back. */
  get pendingBytes(): number {
    return this.carry?.length ?? 0;
  }

  /** Feeds one chunk; records of its complete lines are pushed to `out`. */
  feed<T>(chunk: Buffer, parser: ZeekLineParser<T>, out: T[]): void {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    if (this.skipping) {
      const nl = buf.indexOf(NEWLINE);
      if (nl < 0) {
        this.offset += buf.length;
        return;
      }
      this.skipping = false;
      this.offset += nl + 1;
      buf = buf.subarray(nl + 1);
    }
    const last = buf.lastIndexOf(NEWLINE);
    if (last < 0) {
      this.holdOrSkip(buf, parser);
      return;
    }
    this.lines(buf.subarray(0, last), parser, out);
    this.offset += last + 1;
    if (last + 1 < buf.length) this.holdOrSkip(buf.subarray(last + 1), parser);
  }

  /** End of input: a last line without newline counts as a line (a finished file, e.g. a rotated .gz). */
  flush<T>(parser: ZeekLineParser<T>, out: T[]): void {
    const rest = this.carry;
    this.carry = null;
    if (!rest || rest.length === 0) return;
    this.lines(rest, parser, out);
    this.offset += rest.length;
  }

  private holdOrSkip<T>(partial: Buffer, parser: ZeekLineParser<T>): void {
    if (partial.length <= this.maxLineBytes) {
      // Copied: the chunk it points into may be a pooled buffer that the stream reuses.
      this.carry = Buffer.from(partial);
      return;
    }
    this.lineNumber++;
    parser.reject(this.lineNumber, `line longer than ${this.maxLineBytes} bytes, skipped`);
    this.offset += partial.length;
    this.skipping = true;
  }

  /** `block` = complete lines without the final newline. */
  private lines<T>(block: Buffer, parser: ZeekLineParser<T>, out: T[]): void {
    // Zeek escapes every non-ASCII byte in TSV, so nearly every chunk is ASCII: Latin-1 decoding is then a copy.
    if (isAscii(block)) {
      this.decoded(block.toString('latin1'), parser, out);
      return;
    }
    if (isUtf8(block)) {
      this.decoded(block.toString('utf8'), parser, out);
      return;
    }
    let start = 0;
    for (;;) {
      let end = block.indexOf(NEWLINE, start);
      if (end < 0) end = block.length;
      const line = block.subarray(start, end);
      if (isUtf8(line)) this.decoded(line.toString('utf8'), parser, out);
      else parser.reject(++this.lineNumber, 'invalid UTF-8');
      if (end === block.length) break;
      start = end + 1;
    }
  }

  private decoded<T>(text: string, parser: ZeekLineParser<T>, out: T[]): void {
    let start = 0;
    let n = this.lineNumber;
    for (;;) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const record = parser.line(text, start, end, ++n);
      if (record !== undefined) out.push(record);
      if (end === text.length) break;
      start = end + 1;
    }
    this.lineNumber = n;
  }
}
