/**
 * First gate for a log line: whatever arrives (binary junk, a 1 MB line, invalid UTF-8 already decoded to U+FFFD,
 * an empty line) leaves either as bounded text or as a rejection with a reason — never as an exception, so one bad
 * line can never stop a classification run.
 */

/** Longer lines are cut: a log message past this carries no more signal, and the cost of n-grams grows with it. */
export const MAX_LINE_CHARS = 4096;
/** Above this share of control characters or U+FFFD replacement characters, a line is binary, not text. */
export const MAX_BINARY_SHARE = 0.3;

export type RejectReason = 'empty' | 'binary';

export type SanitizedLine =
  | { ok: true; text: string; truncated: boolean }
  | { ok: false; reason: RejectReason; detail: string };

export function sanitizeLogLine(raw: string, maxChars = MAX_LINE_CHARS): SanitizedLine {
  const truncated = raw.length > maxChars;
  let text = truncated ? raw.slice(0, maxChars) : raw;
  // A lone high surrogate left by the cut would be invalid UTF-16; drop it.
  if (truncated && /[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  let binary = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c === 0xfffd) binary++;
  }
  if (text.length > 0 && binary / text.length > MAX_BINARY_SHARE) {
    return { ok: false, reason: 'binary', detail: `${binary} of ${text.length} characters are control or invalid UTF-8` };
  }
  // Remaining stray control characters become spaces so they cannot glue two words together.
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u0008\u000a-\u001f\u007f\ufffd]/g, ' ').trim();
  if (text.length === 0) return { ok: false, reason: 'empty', detail: 'no text after trimming' };
  return { ok: true, text, truncated };
}
