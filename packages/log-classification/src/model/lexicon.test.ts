import { describe, expect, it } from 'vitest';
import { Lexicon } from './lexicon.ts';

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
});
