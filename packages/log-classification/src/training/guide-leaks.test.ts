import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../model/features.ts';
import { filterGuideLeaks, maskedTokenizer, phraseReadings, readingSegments, segmentsOccur } from './guide-leaks.ts';
import type { GuideExample } from './labeling-guide.ts';

const tokenize = maskedTokenizer(DEFAULT_FEATURES);
const example = (phrase: string, label: GuideExample['label'] = 'warning'): GuideExample => ({ text: phrase, label, rule: 'W1', kind: 'phrase', phrase });

describe('phraseReadings', () => {
  it('expands alternations, keeping the phrase itself', () => {
    expect(phraseReadings('Failed password/none')).toEqual(['Failed password/none', 'Failed password', 'Failed none']);
    expect(phraseReadings('Could not connect (through) proxy')).toEqual(['Could not connect (through) proxy', 'Could not connect proxy']);
    expect(phraseReadings('Authentication failure / unknown user')).toEqual(['Authentication failure / unknown user', 'Authentication failure', 'unknown user']);
    expect(phraseReadings('Receiving/Received block')).toContain('Received block');
    expect(phraseReadings('a/b c/d')).toEqual(expect.arrayContaining(['a c', 'a d', 'b c', 'b d']));
  });
});

describe('segmentsOccur', () => {
  it('wants every segment contiguous and in order', () => {
    expect(segmentsOccur([['a', 'b'], ['d']], ['x', 'a', 'b', 'c', 'd'])).toBe(true);
    expect(segmentsOccur([['a', 'c']], ['a', 'b', 'c'])).toBe(false);
    expect(segmentsOccur([['d'], ['a']], ['a', 'd'])).toBe(false);
    expect(segmentsOccur([], ['a'])).toBe(false);
  });

  it('reads the guide’s gaps as gaps and ignores placeholders', () => {
    const segments = readingSegments('Slow ReadProcessor ... took Nms (threshold ...)', tokenize);
    expect(segments).toEqual([['slow', 'readprocessor'], ['took'], ['threshold']]);
  });
});

describe('filterGuideLeaks', () => {
  const heldOut = [
    'generating core.<*>', // an EventTemplate
    'Slow ReadProcessor read fields took <*>ms (threshold=<*>ms); ack: seqno: 2',
    'Failed none for invalid user admin from 10.0.0.1 port 22 ssh2', // a line
  ];
  const examples = [
    example('generating core.<*>', 'critical'),
    example('Slow ReadProcessor ... took Nms (threshold ...)'),
    example('Failed password/none'),
    example('Accepted password', 'informational'),
    example('data storage interrupt', 'critical'),
  ];

  it('drops the examples that quote a held-out text, keeps the rest', () => {
    const { kept, dropped } = filterGuideLeaks(examples, heldOut, tokenize);
    expect(dropped.map((e) => e.phrase)).toEqual(['generating core.<*>', 'Slow ReadProcessor ... took Nms (threshold ...)', 'Failed password/none']);
    expect(kept.map((e) => e.phrase)).toEqual(['Accepted password', 'data storage interrupt']);
  });

  it('matches a masked line as well as its template', () => {
    expect(filterGuideLeaks([example('generating core.<*>')], ['generating core.2275'], tokenize).dropped).toHaveLength(1);
    expect(filterGuideLeaks([example('generating core.<*>')], ['core generating 2275'], tokenize).dropped).toHaveLength(0);
  });
});
