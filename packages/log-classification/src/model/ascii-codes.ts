/** UTF-16 code tests of the ASCII scans over lines (chunk-analyzer.ts, message-units.ts, token-table.ts). */

/** A–Z → a–z (the tokenizer lower-cases first; for ASCII that is all toLowerCase does). */
export function lowerAscii(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

/** [A-Za-z0-9_]: a word character of LogTokenizer and of `\w`, within ASCII. */
export function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || (c >= 65 && c <= 90);
}
