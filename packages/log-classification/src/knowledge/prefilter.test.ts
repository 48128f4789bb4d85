import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAMILIES, matchFamily, matchFamilyNaive } from './families.ts';
import { chunkTriggers, TRIGGER_FAMILY } from './linux-knowledge.ts';
import { LiteralIndex } from './literal-index.ts';
import { PrefilteredPatterns } from './prefilter.ts';
import { FALLBACK_MIN_LITERAL, MIN_LITERAL, requiredLiterals } from './required-literals.ts';

const holdsOne = (text: string, literals: readonly string[]) => literals.some((l) => text.toLowerCase().includes(l));

describe('requiredLiterals', () => {
  it('reads the words a match cannot do without, and nothing it could avoid', () => {
    expect(requiredLiterals('Out of memory: Kill(?:ed)? process')).toEqual(['out of memory: kill']);
    expect(requiredLiterals('\\bsegfault at [0-9a-f]+ ip|\\btraps: \\S+')).toEqual(['segfault at ', 'traps: ']);
    expect(requiredLiterals('ab+cde')).toEqual(['bcde']); // the run from b's last copy on beats "ab"
    expect(requiredLiterals('(?:foo)?barbaz')).toEqual(['barbaz']);
    expect(requiredLiterals('x\\d+y')).toBeNull(); // no run of MIN_LITERAL characters
    expect(requiredLiterals('\\s+-\\s+-\\s+\\[\\]')).toBeNull();
    expect(requiredLiterals('\\s+-\\s+-\\s+\\[\\]', '', FALLBACK_MIN_LITERAL)).toEqual(['[]']); // the prefilter's fallback
    expect(requiredLiterals('x\\d+y', '', FALLBACK_MIN_LITERAL)).toBeNull();
    expect(requiredLiterals('(?:abcd|\\d+)')).toBeNull(); // one alternative has none
    expect(requiredLiterals('FAILED login', 'i')).toEqual(['failed login']);
    expect(requiredLiterals('failed', 'iu')).toBeNull(); // Unicode case folding reaches beyond ASCII
    expect(requiredLiterals('(')).toBeNull(); // does not parse: always tried
    expect(requiredLiterals('[Ff]ail|[Bb]an\\b')).toEqual(['fail', 'ban']); // a letter in both cases is that letter (the index folds case)
    expect(requiredLiterals('[Ff]+ail')).toEqual(['fail']);
    expect(requiredLiterals('[Fa]il')).toBeNull(); // two letters: the class cuts the run
    expect(requiredLiterals('[^Ff]ai')).toBeNull(); // a negated class is no letter
  });

  it('every string a trigger regex matches holds one of its literals, so chunkTriggers may scan for them first', () => {
    for (const trigger of [/[Ff]ail|FAIL|[Ii]nvalid|[Bb]an|attack|[Uu]nauthori/, /ata\d|EXT\d|I\/O|[Ff]ile ?system|[Dd]isk/]) {
      const literals = requiredLiterals(trigger.source)!;
      fc.assert(
        fc.property(fc.stringMatching(trigger), (s) => holdsOne(s, literals)),
        { numRuns: 200 },
      );
    }
  });

  it('every string a family pattern matches holds one of its literals', () => {
    for (const family of FAMILIES) {
      const literals = requiredLiterals(family.pattern.source, family.pattern.flags);
      expect(literals, family.rule).not.toBeNull();
      expect(Math.min(...literals!.map((l) => l.length))).toBeGreaterThanOrEqual(MIN_LITERAL);
      // fast-check cannot generate through \b; without it the pattern matches more strings, and needs the same words.
      const unbounded = new RegExp(family.pattern.source.replace(/\\b/g, ''), family.pattern.flags);
      expect(requiredLiterals(unbounded.source)).toEqual(literals);
      fc.assert(
        fc.property(fc.stringMatching(unbounded), (s) => holdsOne(s, literals!)),
        { numRuns: 200 },
      );
    }
  });

  it('every string a family pattern matches raises the family trigger on one of its chunks', () => {
    // analyze() tries the families only on lines whose chunks raise TRIGGER_FAMILY: a family without its word there is dead.
    const triggered = (s: string) => s.split(/\s+/).some((chunk) => (chunkTriggers(chunk) & TRIGGER_FAMILY) !== 0);
    for (const family of FAMILIES) {
      const unbounded = new RegExp(family.pattern.source.replace(/\\b/g, ''), family.pattern.flags);
      fc.assert(
        fc.property(fc.stringMatching(unbounded), (s) => triggered(s)),
        { numRuns: 200, examples: [] },
      );
    }
  });
});

describe('LiteralIndex', () => {
  it('reports the tags of the literals that occur, each literal with its own bits', () => {
    const literals = ['he', 'she', 'hers', 'his', 'i/o error', 'ata1.00:'];
    const tags = [1, 2, 4, 1, 8, 2];
    const index = new LiteralIndex(literals, tags);
    const alphabet = fc.constantFrom('h', 'e', 's', 'r', 'i', 'H', 'S', '/', 'o', ' ', 'a', 't', '1', '.', '0', ':', 'é', 'x');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')), (text) => {
        const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
        return index.tagsIn(text) === literals.reduce((bits, l, id) => bits | (lower.includes(l) ? tags[id]! : 0), 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds exactly the literals that occur, case folded, across overlaps and non-ASCII text', () => {
    const literals = ['he', 'she', 'hers', 'his', 'i/o error', 'ata1.00:'];
    const index = new LiteralIndex(literals);
    const alphabet = fc.constantFrom('h', 'e', 's', 'r', 'i', 'H', 'S', '/', 'o', ' ', 'a', 't', '1', '.', '0', ':', 'é', '\u0301', 'x');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')), (text) => {
        index.scan(text);
        const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
        return literals.every((l, id) => index.has(id) === lower.includes(l));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('PrefilteredPatterns', () => {
  it('picks the same first pattern as trying each in order', () => {
    const patterns = ['Failed (?:password|none) for', 'Invalid user \\S+', 'error: PAM: Authentication failure', 'from \\d+\\.\\d+', '[Ff]a\\w'].map((source, i) => ({ regex: new RegExp(source, i === 2 ? 'i' : ''), i }));
    const filtered = new PrefilteredPatterns(patterns);
    // `from \d+` has a literal (`from `); `[Ff]a\w` none of MIN_LITERAL, and its two-character fallback (`fa`).
    expect(filtered.filtered).toBe(5);
    const words = fc.constantFrom('Failed', 'password', 'none', 'for', 'Invalid', 'user', 'root', 'ERROR: pam:', 'authentication', 'FAILURE', 'from', '1.2', 'fail', ' ', ' ');
    fc.assert(
      fc.property(fc.array(words, { maxLength: 12 }).map((w) => w.join(' ')), (text) => filtered.first(text)?.i === patterns.find((p) => p.regex.test(text))?.i),
      { numRuns: 3000 },
    );
  });

  it('matchFamily agrees with matchFamilyNaive on family-like lines', () => {
    const pieces = fc.constantFrom('kernel:', 'Out of memory:', 'Killed process 12 (java) total-vm', 'invoked oom-killer', 'EXT4-fs error', 'Buffer I/O error on dev sda', 'Failed to start', 'nginx.service:', "Failed with result 'exit-code'", 'logrotate.service', 'segfault at 0 ip 1 sp 2', 'BUG: soft lockup', 'blocked for more than 120 seconds', 'No space left on device', 'x', ' ', '[1]');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }).map((p) => p.join(' ')), (text) => matchFamily(text) === matchFamilyNaive(text)),
      { numRuns: 3000 },
    );
  });
});
