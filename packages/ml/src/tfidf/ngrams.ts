/**
 * The two analyzers of scikit-learn's text vectorizers, reproduced term for term so that a vocabulary fitted here
 * equals sklearn's on the same tokens: word n-grams joined by one space, and `char_wb` character n-grams taken
 * inside each whitespace-separated word padded with one space on each side.
 */

/** Word n-grams of lengths min..max (sklearn `_word_ngrams`: unigrams first, then bigrams, …). */
export function wordNgrams(tokens: readonly string[], min: number, max: number): string[] {
  const out: string[] = min === 1 ? tokens.slice() : [];
  const from = Math.max(min, 2);
  for (let n = from; n <= Math.min(max, tokens.length); n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}

/** Character n-grams within word boundaries (sklearn `_char_wb_ngrams`, on already lower-cased text). */
export function charWbNgrams(text: string, min: number, max: number): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (word.length === 0) continue;
    const padded = ` ${word} `;
    for (let n = min; n <= max; n++) {
      let offset = 0;
      out.push(padded.slice(offset, offset + n));
      while (offset + n < padded.length) {
        offset++;
        out.push(padded.slice(offset, offset + n));
      }
      if (offset === 0) break; // a word shorter than n counts once, as in sklearn
    }
  }
  return out;
}
