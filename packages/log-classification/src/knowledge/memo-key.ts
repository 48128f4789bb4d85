/**
 * The knowledge memo's key of a line (linux-knowledge.ts). Folding every digit to `1` lets lines that differ only in
 * counters, pids, times and addresses share one entry, which is sound only where nothing reads which digit stands
 * where. What does:
 * - the header: the PRI / kernel level `<N>` (and the RFC 5424 version after it), `localN.` facilities, and the
 *   journal JSON's PRIORITY: those digits are kept as they are (`<3>` and `<6>` are other severities), journal lines
 *   are keyed as they are;
 * - a family, fail2ban or logcheck pattern that tells digits apart (digit-sensitivity.ts: `status=[1-9]`, `uid=0`,
 *   `EXT[234]-fs`): a line that such a pattern's digit-blind cover matches (digitBlindCover: the pattern with its
 *   digit-telling atoms widened and its anchors dropped) is keyed as it is. The cover matches wherever the pattern
 *   matches on a part of the line, and gives one answer for all lines of one folded shape, so a line it does not
 *   match cannot be matched by the pattern whatever its digits. The patterns run on the line (families), the line
 *   after its date (fail2ban) or `program[pid]: message` (logcheck), each a part of the line, but for dmesg lines
 *   that parseLineHeader rebuilds as `kernel: …`: with logcheck on, those are keyed as they are.
 * The result's program name may then come from another line of the same shape (`python2` for `python3`): only its
 * programKey (leading letters) reaches a decision, and digits never change it.
 */
import { digitBlindCover, foldDigits, readsDigits } from './digit-sensitivity.ts';
import { existenceForm } from './existence-form.ts';
import { PrefilteredPatterns } from './prefilter.ts';

/**
 * A pattern the knowledge may run: whether only on lines with an authentication trigger (fail2ban), and whether on
 * the program's text (logcheck: `program[pid]: message`, rebuilt for dmesg lines as `kernel: …`, so not always a
 * part of the line) rather than on a part of the line (families: the line; fail2ban: the line after its date).
 */
export interface MemoPattern {
  regex: RegExp;
  authOnly: boolean;
  programText?: boolean;
}

const VERDICT_LIMIT = 50_000;
const HEADER_DIGITS = /<\d|local\d/;
const FOLD_OUTSIDE_HEADER = /(<\d{1,3}>\d?|local\d)|\d/g;
/** Lines whose program text parseLineHeader rebuilds (a dmesg level, a kernel time stamp): `] ` or `:level :`. */
const REBUILT_PROGRAM_TEXT = /\] |:(?:emerg|alert|crit|err|warn|notice|info|debug) *: /;

export class MemoKey {
  /** Digit-blind covers (digitBlindCover) of the sensitive patterns, behind their literal prefilter; auth lines only. */
  private readonly covers: PrefilteredPatterns<{ regex: RegExp }>;
  private readonly authCovers: PrefilteredPatterns<{ regex: RegExp }>;
  private readonly programText: boolean;
  /** Folded line → which covers match it (bits, see folded). */
  private readonly verdicts = new Map<string, number>();
  /** How many patterns tell digits apart (for the tests and the docs). */
  readonly sensitivePatterns: number;

  constructor(patterns: readonly MemoPattern[]) {
    const covers: { regex: RegExp }[] = [];
    const authCovers: { regex: RegExp }[] = [];
    let programText = false;
    for (const p of patterns) {
      if (!readsDigits(p.regex)) continue;
      programText ||= p.programText === true;
      // Only whether a cover matches somewhere counts: its leading optional prefix need not be tried at each position.
      (p.authOnly ? authCovers : covers).push({ regex: existenceForm(digitBlindCover(p.regex)) });
    }
    this.covers = new PrefilteredPatterns(covers);
    this.authCovers = new PrefilteredPatterns(authCovers);
    this.programText = programText;
    this.sensitivePatterns = covers.length + authCovers.length;
  }

  clear(): void {
    this.verdicts.clear();
  }

  /**
   * The line's shape: its digits folded but the header's, or null when the line is keyed as it is anyway (journal
   * JSON; a dmesg line with logcheck on). Cheap; whether the shape may stand for the line is readsDigitsOf's answer.
   */
  shapeOf(line: string): string | null {
    if (line.charCodeAt(0) === 123 /* { journal JSON */) return null;
    if (this.programText && REBUILT_PROGRAM_TEXT.test(line)) return null;
    return HEADER_DIGITS.test(line) ? line.replace(FOLD_OUTSIDE_HEADER, (m, header: string | undefined) => header ?? '1') : foldDigits(line);
  }

  /**
   * Whether a pattern that tells digits apart may match a line of this shape (then the line is keyed as it is). The
   * covers are digit-blind: one verdict per shape, computed once (they run unanchored). Bit 0: a cover of the
   * patterns every line meets matches; bit 1: one of the fail2ban patterns' (auth lines only).
   */
  readsDigitsOf(shape: string, authTriggered: boolean): boolean {
    let verdict = this.verdicts.get(shape);
    if (verdict === undefined) {
      const plain = foldDigits(shape);
      verdict = (this.covers.first(plain) !== null ? 1 : 0) | (this.authCovers.first(plain) !== null ? 2 : 0);
      if (this.verdicts.size >= VERDICT_LIMIT) this.verdicts.clear();
      this.verdicts.set(shape, verdict);
    }
    return (verdict & (authTriggered ? 3 : 1)) !== 0;
  }
}
