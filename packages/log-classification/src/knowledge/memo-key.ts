/**
 * The knowledge memo's key of a line (linux-knowledge.ts). Folding every digit to `1` lets lines that differ only in
 * counters, pids, times and addresses share one entry, which is sound only where nothing reads which digit stands
 * where. What does:
 * - the header: the PRI / kernel level `<N>` (and the RFC 5424 version after it), `localN.` facilities, and the
 *   journal JSON's PRIORITY: those digits are kept as they are (`<3>` and `<6>` are other severities), journal lines
 *   are keyed as they are;
 * - a family, fail2ban or logcheck pattern that tells digits apart (digit-sensitivity.ts: `status=[1-9]`, `uid=0`,
 *   `EXT[234]-fs`): a line that holds one of such a pattern's required literals, digits folded, is keyed as it is.
 *   Every match of a pattern holds one of its literals, so a line of the same folded shape that such a pattern could
 *   match is caught; a sensitive pattern without a literal set makes every line it may run on exact.
 * The result's program name may then come from another line of the same shape (`python2` for `python3`): only its
 * programKey (leading letters) reaches a decision, and digits never change it.
 */
import { foldDigits, readsDigits } from './digit-sensitivity.ts';
import { LiteralIndex } from './literal-index.ts';
import { requiredLiterals } from './required-literals.ts';

/** A pattern the knowledge may run, and whether it runs only on lines with an authentication trigger (fail2ban). */
export interface MemoPattern {
  regex: RegExp;
  authOnly: boolean;
}

const HEADER_DIGITS = /<\d|local\d/;
const FOLD_OUTSIDE_HEADER = /(<\d{1,3}>\d?|local\d)|\d/g;

export class MemoKey {
  private readonly literals: LiteralIndex;
  /** A digit-sensitive pattern without a literal set runs on every line (of its kind): those lines are exact. */
  private readonly exactAlways: boolean;
  private readonly exactOnAuth: boolean;
  /** How many patterns tell digits apart (for the tests and the docs). */
  readonly sensitivePatterns: number;

  constructor(patterns: readonly MemoPattern[]) {
    const literals = new Set<string>();
    let exactAlways = false;
    let exactOnAuth = false;
    let sensitive = 0;
    for (const p of patterns) {
      if (!readsDigits(p.regex)) continue;
      sensitive++;
      const required = requiredLiterals(p.regex.source, p.regex.flags);
      if (required === null) {
        if (p.authOnly) exactOnAuth = true;
        else exactAlways = true;
      } else for (const l of required) literals.add(foldDigits(l));
    }
    this.literals = new LiteralIndex([...literals]);
    this.exactAlways = exactAlways;
    this.exactOnAuth = exactOnAuth;
    this.sensitivePatterns = sensitive;
  }

  /** The folded key of a line, or null when the line must be keyed as it is (exactly). */
  folded(line: string, authTriggered: boolean): string | null {
    if (this.exactAlways || (this.exactOnAuth && authTriggered) || line.charCodeAt(0) === 123 /* { journal JSON */) return null;
    // The literals are looked for with every digit folded (a header digit may be part of one).
    const plain = foldDigits(line);
    if (this.literals.occursIn(plain)) return null;
    return HEADER_DIGITS.test(line) ? line.replace(FOLD_OUTSIDE_HEADER, (m, header: string | undefined) => header ?? '1') : plain;
  }
}
