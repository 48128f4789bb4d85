import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { segmentsOccur } from '../training/guide-leaks.ts';
import { GuideRules, type GuidePattern } from './guide-rules.ts';

const classes = ['critical', 'warning', 'informational', 'noise'];
const pattern = (rule: string, label: string, ...segments: string[]): GuidePattern => ({ rule, label, segments: segments.map((s) => s.split(' ')) });
const rules = new GuideRules(
  {
    patterns: [
      pattern('N6', 'noise', 'packetresponder', 'terminating'),
      pattern('N1', 'noise', 'dhcp request'),
      pattern('W13', 'warning', 'dhcp', 'no free leases'),
      pattern('W2', 'warning', 'connection reset'),
      pattern('I2', 'informational', 'connection closed'),
    ],
    precision: 0.97,
    matchedMessages: 10,
  },
  classes,
);
const decide = (text: string) => {
  const found = rules.matchTokens(text.split(' '));
  return found && `${found.rule} ${classes[found.label]}`;
};

describe('GuideRules', () => {
  it('matches segments in order, each contiguous, with anything between them and placeholders left out', () => {
    expect(decide('packetresponder <num> for block <blk> terminating')).toBe('guide:N6 noise');
    expect(decide('terminating packetresponder')).toBeNull(); // out of order
    expect(decide('connection was reset')).toBeNull(); // a segment must be contiguous
    expect(decide('connection <num> reset')).toBe('guide:W2 warning'); // placeholders do not break a segment
  });

  it('lets the pattern with the most words win, ties to the guide order', () => {
    expect(decide('dhcp request on eth0: no free leases')).toBe('guide:W13 warning'); // 4 words over 2
    expect(decide('dhcp request from <mac>')).toBe('guide:N1 noise');
    expect(decide('connection reset then connection closed')).toBe('guide:W2 warning'); // 2 words each: the earlier rule
  });

  it('decides exactly as the training side reads a phrase (segmentsOccur), on random token streams', () => {
    const words = ['dhcp', 'request', 'no', 'free', 'leases', 'connection', 'reset', 'closed', 'packetresponder', 'terminating', 'x', '<num>'];
    const patterns = [
      ['packetresponder', 'terminating'],
      ['dhcp request'],
      ['dhcp', 'no free leases'],
      ['connection reset'],
      ['connection closed'],
    ].map((p) => p.map((s) => s.split(' ')));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 14 }), (tokens) => {
        const plain = tokens.filter((t) => !t.startsWith('<'));
        const matching = patterns.map((p, i) => ({ i, words: p.flat().length })).filter(({ i }) => segmentsOccur(patterns[i]!, plain));
        const best = matching.sort((a, b) => b.words - a.words || a.i - b.i)[0];
        const found = rules.matchTokens(tokens);
        expect(found === null ? -1 : ['guide:N6', 'guide:N1', 'guide:W13', 'guide:W2', 'guide:I2'].indexOf(found.rule)).toBe(best ? best.i : -1);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a pattern whose label is not a class of the model', () => {
    expect(() => new GuideRules({ patterns: [pattern('X1', 'fatal', 'a b')], precision: 1, matchedMessages: 0 }, classes)).toThrow(/fatal/);
  });
});
