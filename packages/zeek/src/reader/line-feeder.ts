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
    // The newline is passed along: a scanner then finds every line's end without checking for the block's.
    this.lines(buf.subarray(0, last + 1), last, parser, out);
    this.offset += last + 1;
    if (last + 1 < buf.length) this.holdOrSkip(buf.subarray(last + 1), parser);
  }

  /** End of input: a last line without newline counts as a line (a finished file, e.g. a rotated .gz). */
  flush<T>(parser: ZeekLineParser<T>, out: T[]): void {
    const rest = this.carry;
    this.carry = null;
    if (!rest || rest.length === 0) return;
    this.lines(rest, rest.length, parser, out);
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

  /** The lines of block[0, end): complete lines; block[end], when present, is their final newline. */
  private lines<T>(block: Buffer, end: number, parser: ZeekLineParser<T>, out: T[]): void {
    // Zeek escapes every non-ASCII byte in TSV, so nearly every chunk is ASCII: Latin-1 decoding is then a copy,
    // and byte offsets are character offsets (the parser may read the bytes).
    if (isAscii(block)) {
      this.lineNumber = parser.lines(block.toString('latin1'), end, block, this.lineNumber, out);
      return;
    }
    block = block.subarray(0, end);
    if (isUtf8(block)) {
      const text = block.toString('utf8');
      this.lineNumber = parser.lines(text, text.length, null, this.lineNumber, out);
      return;
    }
    let start = 0;
    for (;;) {
      let lineEnd = block.indexOf(NEWLINE, start);
      if (lineEnd < 0) lineEnd = block.length;
      const line = block.subarray(start, lineEnd);
      if (isUtf8(line)) {
        const text = line.toString('utf8');
        this.lineNumber = parser.lines(text, text.length, null, this.lineNumber, out);
      } else parser.reject(++this.lineNumber, 'invalid UTF-8');
      if (lineEnd === block.length) break;
      start = lineEnd + 1;
    }
  }
}
