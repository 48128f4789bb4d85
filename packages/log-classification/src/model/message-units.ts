/**
 * A message's UTF-16 units in a reused buffer, the way FastRows reads a line: extractMessage's message (header
 * skipped, `prog[123]` → `prog`) done on the units themselves. The line is copied once, natively, whole; the header
 * is skipped by an offset and the `[pid]`s are cut by moving the units after them down, where extractMessage took a
 * slice, built a second string around the cuts and the copy then read that (~6 % of a batch pass between them).
 */
import { Buffer } from 'node:buffer';
import { messageStart } from '@aiops/ml';
import { isWordCode } from './ascii-codes.ts';

/** [A-Za-z_]: a word character that is no digit (what may start a name). */
const isLetterCode = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

export class MessageUnits {
  /** The units: the message is units[start, end), then a sentinel 0. */
  units = new Uint16Array(1024);
  private bytes = Buffer.from(this.units.buffer);
  start = 0;
  end = 0;
  /** Where the units stop matching the line's own (the first cut `[pid]`; end when none). */
  private firstCut = 0;
  private line = '';

  /** Loads line's message (extracted when `extract`, else the whole line). */
  load(line: string, extract: boolean): void {
    if (this.units.length <= line.length) {
      this.units = new Uint16Array(2 * line.length + 1);
      this.bytes = Buffer.from(this.units.buffer);
    }
    this.bytes.write(line, 0, 'utf16le');
    this.line = line;
    this.start = extract ? messageStart(line) : 0;
    this.firstCut = line.length;
    this.end = extract ? this.stripPidSuffixes(line) : line.length;
    this.units[this.end] = 0;
  }

  /** The message's units [from, to) as a string: a slice of the line before any cut, else decoded from the units. */
  text(from: number, to: number): string {
    return to <= this.firstCut ? this.line.slice(from, to) : this.bytes.toString('utf16le', 2 * from, 2 * to);
  }

  /**
   * stripPidSuffixes (@aiops/ml) over units[start, line.length): removes `[digits]` after a name (walking back over
   * [\w.-] from the bracket, some letter or `_` starts a word there: the message's start or a non-word unit before
   * it). Units are read ahead of the ones written, so the scan reads the line's own. Returns the message's end.
   */
  private stripPidSuffixes(line: string): number {
    const u = this.units;
    const start = this.start;
    const length = line.length;
    let written = start;
    let copied = start;
    for (let open = line.indexOf('[', start); open >= 0; open = line.indexOf('[', open + 1)) {
      let close = open + 1;
      while (close < length && u[close]! >= 48 && u[close]! <= 57) close++;
      if (close === open + 1 || close === length || u[close] !== 93 /* ] */) continue;
      let named = false;
      for (let p = open - 1; p >= copied; p--) {
        const c = u[p]!;
        if (!isWordCode(c) && c !== 46 && c !== 45) break;
        if (isLetterCode(c) && (p === start || !isWordCode(u[p - 1]!))) named = true;
      }
      if (!named) continue;
      if (copied === start) this.firstCut = open;
      if (written !== copied) u.copyWithin(written, copied, open);
      written += open - copied;
      copied = close + 1;
      open = close;
    }
    if (copied === start) return length;
    if (written !== copied) u.copyWithin(written, copied, length);
    return written + length - copied;
  }
}
