/**
 * The labeling guide quotes Loghub templates, so some of its examples ARE templates a split holds out. Scoring a
 * model trained on them as "unseen templates" would lie; this finds them so an evaluation can drop them first.
 *
 * An example leaks when its phrase, read as a pattern, occurs in the masked token sequence of a held-out text (the
 * EventTemplate of a held-out template, or one of its lines): the guide's gaps (`...`, `<*>`, `N`, `<field>`) match
 * any run of tokens, the words between them must appear in order and contiguous, placeholder tokens (`<num>`,
 * `<ip>`) are ignored on both sides since the guide and the lines write variables differently, and every reading
 * of an alternation counts (`Failed password/none` is `Failed password` or `Failed none`; `connect (through) proxy`
 * with or without `through`; `a / b` as `a` or `b`). Erring towards dropping: a leak kept would inflate the score.
 */
import { FeaturePipeline, type FeatureConfig } from '../model/features.ts';
import type { GuideExample } from './labeling-guide.ts';

/** Text → masked word tokens, as the model's pipeline makes them. */
export type Tokenize = (text: string) => string[];

export function maskedTokenizer(features: FeatureConfig): Tokenize {
  const pipeline = new FeaturePipeline(features);
  return (text) => pipeline.tokenize(pipeline.normalize(text));
}

/** Where the guide elides a variable part. */
const GAP = /0x\.\.|<[^<>\s]*>|\bN(?:ms)?\b|\.{2,}|…|\*/g;
const MAX_READINGS = 64;

/** Every reading of a phrase: its alternations (`a/b`, `a / b`, `(optional)`) expanded, the phrase itself first. */
export function phraseReadings(phrase: string): string[] {
  let readings = [phrase];
  // `a / b` with spaces: each side on its own (`Authentication failure / unknown user`).
  if (/\s\/\s/.test(phrase)) readings.push(...phrase.split(/\s\/\s/));
  const expand = (pattern: RegExp, alternatives: (match: string) => string[]) => {
    const next: string[] = [];
    for (const reading of readings) {
      let variants = [''];
      let last = 0;
      for (const m of reading.matchAll(pattern)) {
        const head = reading.slice(last, m.index);
        variants = variants.flatMap((v) => alternatives(m[0]).map((alt) => v + head + alt)).slice(0, MAX_READINGS);
        last = m.index + m[0].length;
      }
      next.push(...variants.map((v) => v + reading.slice(last)));
    }
    readings = [...new Set([...readings, ...next])].slice(0, MAX_READINGS);
  };
  expand(/[\w.-]+(?:\/[\w.-]+)+/g, (m) => m.split('/'));
  expand(/\s\(\w+\)/g, (m) => [m, '']);
  return readings;
}

const words = (tokens: readonly string[]): string[] => tokens.filter((t) => !t.startsWith('<'));

/** A reading → its segments between gaps, each a token run (placeholders out); empty segments dropped. */
export function readingSegments(reading: string, tokenize: Tokenize): string[][] {
  return reading
    .split(GAP)
    .map((segment) => words(tokenize(segment)))
    .filter((segment) => segment.length > 0);
}

/** Do the segments occur in `tokens` in order, each contiguous? (Leftmost matching is enough for that.) */
export function segmentsOccur(segments: readonly (readonly string[])[], tokens: readonly string[]): boolean {
  if (segments.length === 0) return false;
  let from = 0;
  for (const segment of segments) {
    let found = -1;
    for (let i = from; i + segment.length <= tokens.length && found < 0; i++) {
      let j = 0;
      while (j < segment.length && tokens[i + j] === segment[j]) j++;
      if (j === segment.length) found = i;
    }
    if (found < 0) return false;
    from = found + segment.length;
  }
  return true;
}

export interface LeakFilterResult {
  kept: GuideExample[];
  dropped: GuideExample[];
}

/** Splits the examples into those that match no held-out text and those that leak one. */
export function filterGuideLeaks(examples: readonly GuideExample[], heldOutTexts: Iterable<string>, tokenize: Tokenize): LeakFilterResult {
  const targets = new Map<string, string[]>();
  for (const text of heldOutTexts) {
    const tokens = words(tokenize(text));
    targets.set(tokens.join(' '), tokens); // held-out lines repeat a lot once masked
  }
  const kept: GuideExample[] = [];
  const dropped: GuideExample[] = [];
  for (const example of examples) {
    const patterns = phraseReadings(example.phrase).map((r) => readingSegments(r, tokenize));
    const leaks = [...targets.values()].some((tokens) => patterns.some((segments) => segmentsOccur(segments, tokens)));
    (leaks ? dropped : kept).push(example);
  }
  return { kept, dropped };
}
