/**
 * Checks of raw option values that validateBeforeRun runs before any lock, file or server is touched (a failure is
 * a usage error, exit 64, naming the option), and the repeatable-option collector commander needs.
 */

/** For `.option('--file <path>', '…', collectOption)`: every occurrence, in order. */
export const collectOption = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The option's value as a number, or an Error naming the option, the expectation and the value given. */
export function checkNumber(option: string, raw: unknown, ok: (n: number) => boolean, expected: string): number {
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(n) || !ok(n)) throw new Error(`${option}: expected ${expected}, got "${String(raw)}"`);
  return n;
}

/** An optional ISO 8601 time: absent is fine, unparseable is not. */
export function checkIsoTime(option: string, raw: unknown): void {
  if (raw !== undefined && Number.isNaN(Date.parse(String(raw)))) throw new Error(`${option}: expected an ISO time, got "${String(raw)}"`);
}
