/**
 * The severity a log line carries by itself (syslog's severity from Logstash, a Java logger's level, Loghub's Level
 * column), folded onto five levels so that `err`, `ERROR` and `E` mean the same to a model. Unknown values (Loghub
 * Linux's Level column holds the host name "combo") give undefined: no severity is better than a wrong one.
 */

export const SEVERITY_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

// syslog keywords and numeric codes (RFC 5424: 0 emerg … 7 debug), Java/Python logger levels, Android's letters.
const ALIASES: Record<string, SeverityLevel> = {
  emerg: 'fatal', emergency: 'fatal', panic: 'fatal', alert: 'fatal', crit: 'fatal', critical: 'fatal', fatal: 'fatal', severe: 'fatal', f: 'fatal',
  '0': 'fatal', '1': 'fatal', '2': 'fatal',
  err: 'error', error: 'error', e: 'error', '3': 'error',
  warn: 'warn', warning: 'warn', w: 'warn', '4': 'warn',
  notice: 'info', info: 'info', informational: 'info', information: 'info', i: 'info', '5': 'info', '6': 'info',
  debug: 'debug', trace: 'debug', verbose: 'debug', fine: 'debug', finer: 'debug', finest: 'debug', d: 'debug', v: 'debug', '7': 'debug',
};

/** One of SEVERITY_LEVELS, or undefined when the value is missing or not a severity. */
export function normalizeSeverity(value: string | null | undefined): SeverityLevel | undefined {
  if (value === null || value === undefined) return undefined;
  const key = value.trim().toLowerCase();
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}
