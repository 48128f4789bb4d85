/**
 * Log clean-up before tokenizing: strip the transport header a collector adds (syslog timestamp, host, program[pid])
 * so that only the message is left, then mask the variable parts (ids, addresses, numbers, paths) with placeholder
 * tokens. Masking is what lets a model generalize from `Failed password for root from 1.2.3.4 port 22` to the same
 * event from another host: without it, every address becomes a rare feature that the vocabulary cut drops anyway.
 */

const MONTHS = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
// RFC 3164 syslog: `Jun 14 15:16:01 host program[123]: message` (host and program optional in some exports).
const SYSLOG_HEADER = new RegExp(
  `^(?:<\\d{1,3}>)?${MONTHS}\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}(?:\\s+\\S+)?\\s+[\\w./()@-]+(?:\\[\\d+\\])?:\\s+`,
);
// RFC 5424 syslog: `<pri>1 2018-03-24T08:59:37-07:00 host app procid msgid [sd|-] message` (the <pri> often stripped).
const RFC5424_HEADER = /^(?:<\d{1,3}>)?1 \d{4}-\d{2}-\d{2}T\S+ \S+ \S+ \S+ \S+ (?:-|(?:\[[^\]]*\])+) ?/;
// ISO 8601 / RFC 5424 style leading timestamps: `2017-05-16 00:00:00.008`, `2016-09-28T04:30:30Z`.
const LEADING_ISO_TIMESTAMP = /^(?:<\d{1,3}>\d?\s*)?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+/;
// A bare `HH:MM:SS` or `[Sun Dec 04 04:47:44 2005]` style stamp left at the start.
const LEADING_BRACKET_TIMESTAMP = /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4}\]\s*/;
const MONTH_INITIALS = new Set([...'JFMASOND'].map((c) => c.charCodeAt(0)));
const PID_SUFFIX = /\b([A-Za-z_][\w.-]*)\[\d+\]/g;

/** The header patterns, in the order extractMessage tries them (exported for its reference test). */
export const HEADER_PATTERNS = { SYSLOG_HEADER, RFC5424_HEADER, LEADING_ISO_TIMESTAMP, LEADING_BRACKET_TIMESTAMP } as const;

/** The message part of a raw log line: known timestamp/host/program headers removed, `prog[123]` → `prog`. */
export function extractMessage(line: string): string {
  const start = messageStart(line);
  const message = start === 0 ? line : line.slice(start);
  return message.includes('[') ? stripPidSuffixes(message) : message;
}

/**
 * Where extractMessage's message starts in line: the length of its known header (0: none). The `[pid]` removal is
 * left to the caller, so that a caller holding the line's units can strip both without a slice (fast-rows.ts).
 */
export function messageStart(line: string): number {
  // Each header pattern is anchored and needs a known first character; most lines skip most regexes on that test.
  const first = line.charCodeAt(0);
  const pri = first === 60; // `<`
  const syslog = (pri || MONTH_INITIALS.has(first) ? SYSLOG_HEADER.exec(line) : null) ?? (pri || first === 49 ? RFC5424_HEADER.exec(line) : null);
  if (syslog) return syslog[0].length;
  let start = 0;
  if (pri || (first >= 48 && first <= 57)) start = LEADING_ISO_TIMESTAMP.exec(line)?.[0].length ?? 0;
  if (line.charCodeAt(start) === 91) {
    // `[`: anchored at the start of what is left (a slice only after an ISO stamp, which seldom has one).
    const bracket = LEADING_BRACKET_TIMESTAMP.exec(start === 0 ? line : line.slice(start));
    if (bracket) start += bracket[0].length;
  }
  return start;
}

/** The reference of stripPidSuffixes: `prog[123]` → `prog` (kept to check the scan against it). */
export function stripPidSuffixesByRegex(message: string): string {
  return message.replace(PID_SUFFIX, '$1');
}

const isWordCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isLetterCode = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * Removes `[digits]` after a name, as PID_SUFFIX does (`\b[A-Za-z_][\w.-]*` just before the bracket), by a scan:
 * the regex's global replace was a good part of extracting a message. A name qualifies when, walking back over
 * [\w.-] from the bracket, some letter or `_` starts a word there (line start, or a non-word character before it).
 */
function stripPidSuffixes(message: string): string {
  let out = '';
  let copied = 0;
  for (let open = message.indexOf('['); open >= 0; open = message.indexOf('[', open + 1)) {
    let close = open + 1;
    while (close < message.length && message.charCodeAt(close) >= 48 && message.charCodeAt(close) <= 57) close++;
    if (close === open + 1 || message.charCodeAt(close) !== 93 /* ] */) continue;
    let named = false;
    for (let p = open - 1; p >= copied; p--) {
      const c = message.charCodeAt(p);
      if (!isWordCode(c) && c !== 46 && c !== 45) break;
      if (isLetterCode(c) && (p === 0 || !isWordCode(message.charCodeAt(p - 1)))) named = true;
    }
    if (!named) continue;
    out += message.slice(copied, open);
    copied = close + 1;
    open = close;
  }
  return copied === 0 ? message : out + message.slice(copied);
}

/** Placeholder tokens; the tokenizer keeps them whole (`<ip>` stays one token). */
export const MASK_TOKENS = ['<uuid>', '<blk>', '<mac>', '<ip>', '<hex>', '<path>', '<url>', '<email>', '<num>'] as const;

// Order matters: the specific shapes first, so that an IP is not eaten as four numbers or a UUID as hex runs.
const MASKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, ' <uuid> '],
  [/\bblk_-?\d+\b/g, ' <blk> '],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, ' <url> '],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, ' <email> '],
  [/\b(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b/gi, ' <mac> '],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, ' <ip> '],
  [/\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi, ' <ip> '],
  [/\b0x[0-9a-f]+\b/gi, ' <hex> '],
  [/(?:^|(?<=[\s=:"'(]))(?:[.~]{0,2}\/[\w.@%+-]+)+\/?/g, ' <path> '],
  // Hex-looking runs of 6+ characters that mix digits and letters: ids, hashes, addresses.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, ' <hex> '],
  [/[-+]?\b\d+(?:\.\d+)?\b/g, ' <num> '],
];

const anyOf = (...needles: string[]): ((text: string) => boolean) =>
  needles.length === 1 ? (text) => text.includes(needles[0]!) : (text) => needles.some((n) => text.includes(n));

function hasDigitCode(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** A run of 6+ hex digits with a decimal digit in it (what the hex-run mask needs before its lookaheads). */
function hasHexRunWithDigit(text: string): boolean {
  let run = 0;
  let digit = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20; // ASCII lower case
    const isDecimal = c >= 48 && c <= 57;
    if (isDecimal || (c >= 97 && c <= 102)) {
      run++;
      digit ||= isDecimal;
      if (run >= 6 && digit) return true;
    } else {
      run = 0;
      digit = false;
    }
  }
  return false;
}

/**
 * For each mask, a cheap test that must pass for it to match. A replacement only ever inserts spaces, letters and
 * angle brackets (never a digit, nor six hex letters in a row), so a guard that fails stays failed.
 */
const GUARDS: ReadonlyArray<(text: string) => boolean> = [
  anyOf('-'), anyOf('blk_'), anyOf('://'), anyOf('@'), anyOf(':', '-'), anyOf('.'), anyOf(':'), anyOf('0x', '0X'), anyOf('/'),
  hasHexRunWithDigit, hasDigitCode,
];

/** maskLogMessageByPasses without the whitespace collapse, skipping the masks whose guard fails. */
function maskChunk(chunk: string, collapse: boolean): string {
  let masked = chunk;
  for (let m = 0; m < MASKS.length; m++) {
    if (!GUARDS[m]!(masked)) continue;
    masked = masked.replace(MASKS[m]![0], MASKS[m]![1]);
  }
  // Only a replacement brings whitespace into a chunk.
  return masked === chunk || !collapse ? masked : masked.replace(/\s+/g, ' ').trim();
}

/** The reference: every mask applied in turn to the whole message (kept to check maskLogMessage against it). */
export function maskLogMessageByPasses(message: string): string {
  let masked = message;
  for (const [pattern, replacement] of MASKS) masked = masked.replace(pattern, replacement);
  return masked.replace(/\s+/g, ' ').trim();
}

/**
 * A chunk (no whitespace) no mask can touch: every mask needs a digit, or one of / @ : - (paths, e-mails, MACs,
 * IPv6, UUIDs). Most words of a log line are such chunks.
 */
function untouchable(chunk: string): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if ((c >= 48 && c <= 58) /* 0-9 : */ || c === 47 /* / */ || c === 64 /* @ */ || c === 45 /* - */) return false;
  }
  return true;
}

/** Whether a path may start after this unit (the path mask's lookbehind `[\s=:"'(]`; a chunk has no whitespace). */
const leadsPath = (c: number): boolean => c === 61 || c === 58 || c === 34 || c === 39 || c === 40;

/**
 * A chunk no mask can match, by one scan: a chunk miss of the classifier ran the masks' guards and regexes on
 * `status:`, `R02-M1-N0-C:J12-U11`, `dn228/dn228` only to get them back unchanged. Sufficient, not necessary (a
 * chunk it does not clear goes through the masks). Each mask needs something this scan looks for:
 * - numbers, IPv4, `0x…`: a digit at the start of a word (`\b\d`); `blk_…`: the text `blk_`;
 * - the hex-run mask: a whole word of 6+ hex characters with a digit;
 * - a path: `/` at the start or after `=:"'(` (up to two of `.~` between); a URL: `://`, the same;
 * - an e-mail: `@`, then a `.`;
 * - IPv6: 3+ colons and 4+ words of 1–4 hex characters; a MAC: 5+ colons and dashes and 6+ two-hex words; a UUID:
 *   4+ dashes and an eight-hex word.
 * Words are maximal runs of [A-Za-z0-9_] and `\b` is ASCII (no mask has the u flag): other units only separate.
 */
function noMaskMatches(chunk: string): boolean {
  let colons = 0;
  let dashes = 0;
  let shortHexWords = 0;
  let twoHexWords = 0;
  let eightHexWord = false;
  let at = false;
  let wordLength = 0;
  let hexWord = true;
  let wordDigit = false;
  for (let i = 0; i <= chunk.length; i++) {
    const c = i < chunk.length ? chunk.charCodeAt(i) : 32;
    const digit = c >= 48 && c <= 57;
    const lower = c | 0x20;
    if (digit || (lower >= 97 && lower <= 122) || c === 95) {
      if (digit && wordLength === 0) return false;
      wordLength++;
      hexWord &&= digit || (lower >= 97 && lower <= 102);
      wordDigit ||= digit;
      continue;
    }
    if (wordLength > 0 && hexWord) {
      if (wordLength >= 6 && wordDigit) return false;
      if (wordLength <= 4) shortHexWords++;
      if (wordLength === 2) twoHexWords++;
      if (wordLength === 8) eightHexWord = true;
    }
    wordLength = 0;
    hexWord = true;
    wordDigit = false;
    if (c === 47 /* / */) {
      for (let p = i - 1, k = 0; ; p--, k++) {
        if (p < 0 || leadsPath(chunk.charCodeAt(p))) return false;
        const q = chunk.charCodeAt(p);
        if (k === 2 || (q !== 46 && q !== 126)) break; // . ~
      }
    } else if (c === 64 /* @ */) at = true;
    else if (c === 46 /* . */) {
      if (at) return false;
    } else if (c === 58 /* : */) colons++;
    else if (c === 45 /* - */) dashes++;
  }
  if (colons >= 3 && shortHexWords >= 4) return false;
  if (colons + dashes >= 5 && twoHexWords >= 6) return false;
  if (dashes >= 4 && eightHexWord) return false;
  return !chunk.includes('blk_');
}

function allDigits(chunk: string): boolean {
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * maskLogMessage of one chunk (a text with no whitespace), without the memo: for a caller that memoizes chunks
 * itself. May return '' (a chunk that was all placeholder-less junk) or several space-separated pieces.
 */
export function maskLogChunk(chunk: string): string {
  return maskOneChunk(chunk, true);
}

/**
 * maskLogChunk with the replacements' spaces left as they are (runs of them, at either end): the same tokens for a
 * caller that only tokenizes the result (spaces separate, and no token holds one), without the whitespace collapse,
 * a regex replace per masked chunk (~1 % of a cold classify pass).
 */
export function maskLogChunkForTokens(chunk: string): string {
  return maskOneChunk(chunk, false);
}

/** The two above: the cheap exits first, then the masks (collapse: the replacements' spaces folded to one). */
function maskOneChunk(chunk: string, collapse: boolean): string {
  if (untouchable(chunk)) return chunk;
  if (allDigits(chunk)) return '<num>'; // the commonest variable chunk
  return noMaskMatches(chunk) ? chunk : maskChunk(chunk, collapse);
}

const chunkMemo = new Map<string, string>();
const CHUNK_MEMO_LIMIT = 50_000;

/** Empties maskLogMessage's memo (benchmarks measure a cold start with it). */
export function clearMaskMemo(): void {
  chunkMemo.clear();
}

/**
 * Replaces ids, addresses, paths and numbers with placeholder tokens and collapses whitespace. Same result as
 * maskLogMessageByPasses, several times faster: no mask matches across whitespace (and a chunk's start or end is a
 * word boundary like the whitespace around it), so masking each whitespace-separated chunk on its own is exact;
 * chunks no mask can touch are skipped, and the others are memoized (hosts, ports and ids recur).
 */
export function maskLogMessage(message: string): string {
  const chunks = message.split(WHITESPACE);
  let out = '';
  for (const chunk of chunks) {
    if (chunk.length === 0) continue;
    let masked: string | undefined;
    if (untouchable(chunk) || allDigits(chunk)) masked = maskLogChunk(chunk); // nothing to memoize: counters would only churn
    else {
      masked = chunkMemo.get(chunk);
      if (masked === undefined) {
        masked = maskLogChunk(chunk);
        if (chunkMemo.size >= CHUNK_MEMO_LIMIT) chunkMemo.clear();
        chunkMemo.set(chunk, masked);
      }
      if (masked.length === 0) continue;
    }
    out = out.length === 0 ? masked : `${out} ${masked}`;
  }
  return out;
}

const WHITESPACE = /\s+/;
