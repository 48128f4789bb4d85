/**
 * The labeling guide's phrases → the model's guide rules (model/guide-rules.ts): each reading of each phrase
 * (alternations expanded, as training/guide-leaks.ts reads them) becomes a pattern of word segments in the model's
 * own tokens. Only phrases of at least MIN_PATTERN_WORDS words become rules: a single word (`started`, `active`,
 * `critical`) says too little to overrule the model (`BTLE scanning started` is noise, `critical input interrupt …
 * warning` a warning).
 */
import type { GuidePattern } from '../model/guide-rules.ts';
import { phraseReadings, readingSegments, type Tokenize } from './guide-leaks.ts';
import type { GuideExample } from './labeling-guide.ts';

export const MIN_PATTERN_WORDS = 2;

/** The patterns of the guide's phrases (precision and matches are measured by the caller, on its documents). */
export function compileGuidePatterns(examples: readonly GuideExample[], tokenize: Tokenize): GuidePattern[] {
  const patterns: GuidePattern[] = [];
  const seen = new Set<string>();
  for (const example of examples) {
    if (example.kind !== 'phrase') continue;
    for (const reading of phraseReadings(example.phrase)) {
      const segments = readingSegments(reading, tokenize);
      const key = `${example.label}|${JSON.stringify(segments)}`;
      if (segments.flat().length < MIN_PATTERN_WORDS || seen.has(key)) continue;
      seen.add(key);
      patterns.push({ rule: example.rule, label: example.label, segments });
    }
  }
  return patterns;
}
