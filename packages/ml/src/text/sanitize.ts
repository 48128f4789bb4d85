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

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\ufffd]/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f\ufffd]/g;

/** Whether String.prototype.trim could remove this character (its whitespace set is RegExp's \s). */
function mayTrim(code: number): boolean {
  return code <= 0x20 || (code >= 0x80 && /\s/.test(String.fromCharCode(code)));
}

export function sanitizeLogLine(raw: string, maxChars = MAX_LINE_CHARS): SanitizedLine {
  const truncated = raw.length > maxChars;
  let text = truncated ? raw.slice(0, maxChars) : raw;
  // A lone high surrogate left by the cut would be invalid UTF-16; drop it.
  if (truncated && /[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  // A CRLF file's lines end in \r: it would become a space and be trimmed; drop it before counting.
  if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
  let binary = 0;
  // The regex scan is native and most lines have nothing to count.
  if (CONTROL.test(text)) for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c === 0xfffd) binary++;
  }
  if (text.length > 0 && binary / text.length > MAX_BINARY_SHARE) {
    return { ok: false, reason: 'binary', detail: `${binary} of ${text.length} characters are control or invalid UTF-8` };
  }
  // Remaining stray control characters become spaces so they cannot glue two words together (most lines have none).
  if (binary > 0) text = text.replace(CONTROLS, ' ');
  if (binary > 0 || mayTrim(text.charCodeAt(0)) || mayTrim(text.charCodeAt(text.length - 1))) text = text.trim();
  if (text.length === 0) return { ok: false, reason: 'empty', detail: 'no text after trimming' };
  return { ok: true, text, truncated };
}
