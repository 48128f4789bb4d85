/**
 * An ordered list of regular expressions of which the first that matches decides (the kernel families, a program's
 * fail2ban filters), with one literal scan in front: each pattern's required literals (required-literals.ts) go into
 * one LiteralIndex, a text is scanned once, and only the patterns one of whose literals occurs are tried, in their
 * order. Same answer as trying every pattern (tests/log-classification/knowledge-prefilter.test.ts checks it on
 * every shipped line and on generated ones); patterns without a literal set (of MIN_LITERAL, else of
 * FALLBACK_MIN_LITERAL characters) are always tried.
 */
import { LiteralIndex } from './literal-index.ts';
import { FALLBACK_MIN_LITERAL, requiredLiterals } from './required-literals.ts';

export class PrefilteredPatterns<T extends { regex: RegExp }> {
  private readonly index: LiteralIndex;
  /** Per pattern, the ids of its required literals, or null: always tried. */
  private readonly required: (Int32Array | null)[];

  constructor(readonly patterns: readonly T[]) {
    const ids = new Map<string, number>();
    this.required = patterns.map((p) => {
      // A pattern without literals of MIN_LITERAL runs on every text: two characters filter less, but still filter.
      const literals = requiredLiterals(p.regex.source, p.regex.flags) ?? requiredLiterals(p.regex.source, p.regex.flags, FALLBACK_MIN_LITERAL);
      if (!literals) return null;
      return Int32Array.from(literals, (l) => {
        let id = ids.get(l);
        if (id === undefined) ids.set(l, (id = ids.size));
        return id;
      });
    });
    this.index = new LiteralIndex([...ids.keys()]);
  }

  /** How many patterns have a literal set (the rest run on every text). */
  get filtered(): number {
    return this.required.filter((r) => r !== null).length;
  }

  /** The first pattern (in order) that matches text, or null. */
  first(text: string): T | null {
    const n = this.patterns.length;
    if (n === 0) return null;
    this.index.scan(text);
    for (let i = 0; i < n; i++) {
      const required = this.required[i]!;
      if (required !== null) {
        let present = false;
        for (let r = 0; r < required.length && !present; r++) present = this.index.has(required[r]!);
        if (!present) continue;
      }
      const pattern = this.patterns[i]!;
      if (pattern.regex.test(text)) return pattern;
    }
    return null;
  }
}
