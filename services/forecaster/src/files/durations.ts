import { InvalidArgumentError } from 'commander';

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * "30d", "12h", "1w", "90m", or plain seconds ("3600") → seconds; a commander argument parser, so a bad value is
 * a usage error (exit 64).
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw]?)$/.exec(text.trim());
  if (!match || !(Number(match[1]) > 0)) throw new InvalidArgumentError(`expected a positive duration like 7d, 12h, 1w, 30m or 3600, got "${text}"`);
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}
