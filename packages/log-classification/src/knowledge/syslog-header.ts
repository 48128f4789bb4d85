/**
 * What a Linux log line says about itself before its message: the program that wrote it (`sshd`, `kernel`,
 * `postfix/smtpd`), and a severity when the line carries one — a syslog PRI (`<30>`), a kernel log level (`<3>` of
 * /dev/kmsg and `dmesg -r`), rsyslog's `facility.level` (`kern.crit`), dmesg -x's `kern  :err   :`, a journal
 * JSON export's PRIORITY. Also the line without its date, the form logcheck's and fail2ban's patterns are written
 * against (`host program[pid]: message`).
 */
import { normalizeSeverity, type SeverityLevel } from '@aiops/ml';

export interface LineHeader {
  /** Program name as logged (`sshd`, `postfix/smtpd`, `kernel`), or '' when the line does not say. */
  program: string;
  /** `program[pid]: message` (or `program: message`), what logcheck patterns see; the whole line when no program. */
  programAndMessage: string;
  /** The line without its leading date (fail2ban's view: `host program[pid]: message`). */
  withoutDate: string;
  severity?: SeverityLevel;
}

const SYSLOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
// `<30>` or `<30>1 ` (RFC 5424 version), then a date: `Mmm dd hh:mm:ss`, ISO 8601, or `YYYY Mmm dd hh:mm:ss`.
const DATE = new RegExp(
  `^(<\\d{1,3}>(?:1 )?)?(?:${MONTH} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?|\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?|\\d{4} ${MONTH} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}) +`,
);
// After the date: optional host, optional `facility.level`, then `program[pid]:` (the program may hold `/`, `-`, `.`).
const HOST_PROGRAM = /^(?:(\S+) +)?(?:(auth|authpriv|cron|daemon|kern|lpr|mail|news|syslog|user|uucp|ftp|local[0-7])\.(emerg|alert|crit|err|error|warn|warning|notice|info|debug) +)?([A-Za-z_][\w./()@-]*?)(?:\[(\d+)\])?: /;
const BARE_PROGRAM = /^(?:<(\d)>)?(?:([^\s:]+) +)?([A-Za-z_][\w./@-]*?)(?:\[(\d+)\])?: /;
/** Words that open a message (`error: PAM: …`) and are no program. */
const NOT_PROGRAMS = new Set(['error', 'warning', 'fatal', 'info', 'debug', 'notice', 'crit', 'critical', 'alert', 'emerg', 'panic', 'note', 'warn']);
const DMESG_X = /^(kern|user|mail|daemon|auth|syslog|lpr|news) *:(emerg|alert|crit|err|warn|notice|info|debug) *: /;
const KERNEL_TIME = /^\[ *\d+\.\d+\] /;

/** The header's regular expressions, for the memo's digit check (knowledge-memo.test.ts). */
export const HEADER_PATTERNS: Readonly<Record<string, RegExp>> = { DATE, HOST_PROGRAM, BARE_PROGRAM, DMESG_X, KERNEL_TIME };

/**
 * First characters each anchored pattern needs, tested before it runs: most lines fail every pattern, and a
 * character test costs less than a failed match (the results are the same; knowledge.test.ts compares).
 */
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** `<`, a digit, or the initial of a month (J F M A S O N D). */
const mayOpenDate = (c: number): boolean => c === 60 || isDigit(c) || c === 74 || c === 70 || c === 77 || c === 65 || c === 83 || c === 79 || c === 78 || c === 68;
/** The initials of DMESG_X's facilities: k u m d a s l n. */
const mayOpenDmesg = (c: number): boolean => c === 107 || c === 117 || c === 109 || c === 100 || c === 97 || c === 115 || c === 108 || c === 110;

function levelFromPri(pri: string): SeverityLevel | undefined {
  // `<30>1 ` carries RFC 5424's version after the PRI: only the digits inside the brackets are the PRI.
  const n = Number(/^<?(\d+)/.exec(pri.trim())?.[1] ?? Number.NaN);
  return Number.isFinite(n) ? normalizeSeverity(SYSLOG_LEVELS[n % 8]) : undefined;
}

/** A journal JSON export line (`journalctl -o json`): its MESSAGE, SYSLOG_IDENTIFIER and PRIORITY. */
function journalJson(line: string): LineHeader | null {
  if (!line.startsWith('{') || !line.includes('"MESSAGE"')) return null;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const message = typeof entry.MESSAGE === 'string' ? entry.MESSAGE : null;
    if (message === null) return null;
    const program = typeof entry.SYSLOG_IDENTIFIER === 'string' ? entry.SYSLOG_IDENTIFIER : typeof entry._COMM === 'string' ? entry._COMM : '';
    const pid = typeof entry._PID === 'string' ? `[${entry._PID}]` : '';
    const severity = typeof entry.PRIORITY === 'string' ? levelFromPri(entry.PRIORITY) : undefined;
    const programAndMessage = program ? `${program}${pid}: ${message}` : message;
    return { program, programAndMessage, withoutDate: programAndMessage, ...(severity ? { severity } : {}) };
  } catch {
    return null;
  }
}

export function parseLineHeader(line: string): LineHeader {
  return parseHeader(line, true);
}

/**
 * parseLineHeader(line).severity without the rest of the parse (the classifier's hot path needs only the severity
 * when the program is no feature). Same answer on every line (knowledge-prefilter.test.ts): a PRI or kernel level
 * needs `<` first, a journal line `{`, and both take the full parse; otherwise only a dmesg level (after the date,
 * or with no date at all) or, after a date, the `facility.level` of a line with a program can give one.
 */
export function lineSeverity(line: string): SeverityLevel | undefined {
  const first = line.charCodeAt(0);
  if (first === 60 || first === 123) return parseHeader(line, true).severity;
  const date = mayOpenDate(first) ? DATE.exec(line) : null;
  const rest = date ? line.slice(date[0].length) : line;
  const dmesg = mayOpenDmesg(rest.charCodeAt(0)) ? DMESG_X.exec(rest) : null;
  if (dmesg) return normalizeSeverity(dmesg[2]);
  // Without a date, a severity needs `<` first (BARE_PROGRAM's `<N>`, a kernel level): not this line. With one, the
  // facility.level needs a `.`.
  if (!date || !rest.includes('.')) return undefined;
  const hp = HOST_PROGRAM.exec(rest);
  return hp?.[3] && !NOT_PROGRAMS.has(hp[4]!.toLowerCase()) ? normalizeSeverity(hp[3]) : undefined;
}

/** parseLineHeader with every pattern tried (no first-character tests): the reference its tests compare against. */
export function parseLineHeaderUnguarded(line: string): LineHeader {
  return parseHeader(line, false);
}

function parseHeader(line: string, guard: boolean): LineHeader {
  const journal = journalJson(line);
  if (journal) return journal;
  let severity: SeverityLevel | undefined;
  let rest = line;
  const date = !guard || mayOpenDate(rest.charCodeAt(0)) ? DATE.exec(rest) : null;
  if (date) {
    if (date[1]) severity = levelFromPri(date[1]);
    rest = rest.slice(date[0].length);
  }
  const withoutDate = rest;
  const dmesg = !guard || mayOpenDmesg(rest.charCodeAt(0)) ? DMESG_X.exec(rest) : null;
  if (dmesg) {
    severity ??= normalizeSeverity(dmesg[2]);
    const message = rest.slice(dmesg[0].length).replace(KERNEL_TIME, '');
    return { program: 'kernel', programAndMessage: `kernel: ${message}`, withoutDate, ...(severity ? { severity } : {}) };
  }
  if (date) {
    const hp = HOST_PROGRAM.exec(rest);
    if (hp && !NOT_PROGRAMS.has(hp[4]!.toLowerCase())) {
      if (hp[3]) severity ??= normalizeSeverity(hp[3]);
      const program = hp[4]!;
      const programAndMessage = `${program}${hp[5] ? `[${hp[5]}]` : ''}: ${rest.slice(hp[0].length)}`;
      return { program, programAndMessage, withoutDate, ...(severity ? { severity } : {}) };
    }
    return { program: '', programAndMessage: rest, withoutDate, ...(severity ? { severity } : {}) };
  }
  // No date: `<3>kernel: …`, `sshd[12]: …`, `[ 12.3] dmesg line`, or a bare message.
  const bare = !guard || rest.includes(': ') ? BARE_PROGRAM.exec(rest) : null;
  if (bare && !NOT_PROGRAMS.has(bare[3]!.toLowerCase()) && !(bare[2] && NOT_PROGRAMS.has(bare[2].replace(/:$/, '').toLowerCase()))) {
    if (bare[1]) severity ??= levelFromPri(bare[1]);
    const program = bare[3]!;
    const programAndMessage = `${program}${bare[4] ? `[${bare[4]}]` : ''}: ${rest.slice(bare[0].length)}`;
    return { program, programAndMessage, withoutDate: rest.replace(/^<\d>/, ''), ...(severity ? { severity } : {}) };
  }
  const kernelLevel = !guard || rest.charCodeAt(0) === 60 ? /^<(\d)>/.exec(rest) : null;
  if (kernelLevel) {
    severity ??= levelFromPri(kernelLevel[1]!);
    rest = rest.slice(kernelLevel[0].length);
  }
  if ((!guard || rest.charCodeAt(0) === 91) && KERNEL_TIME.test(rest)) {
    const message = rest.replace(KERNEL_TIME, '');
    return { program: 'kernel', programAndMessage: `kernel: ${message}`, withoutDate: rest, ...(severity ? { severity } : {}) };
  }
  return { program: '', programAndMessage: rest, withoutDate: rest, ...(severity ? { severity } : {}) };
}
