import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Lexicon, LEXICON_GROUPS, LEXICON_TOKENS } from './lexicon.ts';

describe('Lexicon', () => {
  const lexicon = new Lexicon();
  it('lights each keyword group once, by word or by prefix', () => {
    expect(lexicon.tokensFor(['kernel', 'panic', 'segfault', 'failed', 'failure'])).toEqual(['__kw_crash__', '__kw_failure__']);
    expect(lexicon.tokensFor(['connection', 'refused', 'retrying'])).toEqual(['__kw_denied__', '__kw_degraded__']);
    expect(lexicon.tokensFor(['session', 'opened', 'successfully'])).toEqual(['__kw_lifecycle__']);
  });
  it('says nothing about a line with no keyword', () => {
    expect(lexicon.tokensFor(['block', 'manager', '<num>'])).toEqual([]);
  });
  it('gives every token the groups of its words and prefixes (the prefixes bucketed by initial, tested against a plain scan)', () => {
    const groups = Object.values(LEXICON_GROUPS);
    const reference = (token: string): string[] =>
      LEXICON_TOKENS.filter((_, g) => groups[g]!.words?.includes(token) || groups[g]!.prefixes?.some((p) => token.startsWith(p)));
    const pieces = fc.constantFrom(...groups.flatMap((g) => [...(g.words ?? []), ...(g.prefixes ?? [])]), 'x', 'ed', 'ing', 's', '');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 3 }).map((p) => p.join('')), (token) => new Lexicon().tokensFor([token]).join() === reference(token).join() && new Lexicon().groupsOf(token) === new Lexicon().maskOf([token])), { numRuns: 3000 });
  });
});
