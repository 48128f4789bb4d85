/**
 * Typing of Zeek TSV values by their `#types` entry. The number and address checks work on character codes of a
 * (string, start, end) range, so the conn fast path can type a field without first cutting it out of the line.
 * A value that does not fit its type is a FieldError naming the field, the type and the value.
 */
import { isIPv6 } from 'node:net';
import { unescapeZeek } from './zeek-escapes.ts';

export type ZeekScalar = string | number | boolean;
/** `null` = unset (`-`); a set/vector is an array (empty for `(empty)`). */
export type ZeekValue = ZeekScalar | null | (ZeekScalar | null)[];

export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(`field ${field}: ${message}`);
    this.name = 'FieldError';
  }
}

/** A value, shortened for an error message (a huge field must not make a huge reject report). */
export function preview(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** Non-negative decimal integer in s[start, end), or -1. Up to 15 digits (exact in a double). */
export function parseCountRange(s: string, start: number, end: number): number {
  const len = end - start;
  if (len <= 0 || len > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A decimal number (digits, one dot, optional exponent; sign allowed) — what Number() accepts minus hex, blanks,
 * `Infinity` and the empty string, which Number() would silently turn into values. NaN when it is not one.
 * Fast path (Clinger): with a mantissa below 2^53 and no exponent, mantissa / 10^k is one correctly
 * rounded division of two exact doubles, so it equals Number(text) bit for bit, without cutting a substring.
 */
export function parseDecimalRange(s: string, start: number, end: number): number {
  if (end <= start || end - start > 40) return NaN;
  let i = start;
  const negative = s.charCodeAt(i) === 45;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) fraction = 0;
    else break;
  }
  if (i === end && digits > 0 && digits <= 16 && mantissa <= Number.MAX_SAFE_INTEGER) {
    const v = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction]! : mantissa;
    return negative ? -v : v;
  }
  return slowDecimal(s, start, end);
}

function slowDecimal(s: string, start: number, end: number): number {
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c !== 46 /* . */ && c !== 45 /* - */ && c !== 43 /* + */ && c !== 101 /* e */ && c !== 69 /* E */) return NaN;
  }
  if (digits === 0) return NaN;
  const v = Number(start === 0 && end === s.length ? s : s.slice(start, end));
  return Number.isFinite(v) ? v : NaN;
}

/** Dotted-quad IPv4 in s[start, end). */
export function isIPv4Range(s: string, start: number, end: number): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || digits === 3) return false;
      value = value * 10 + d;
      digits++;
    }
  }
  return parts === 4;
}

export function isAddress(s: string): boolean {
  return isIPv4Range(s, 0, s.length) || (s.indexOf(':') >= 0 && isIPv6(s));
}

type ScalarConverter = (raw: string, field: string) => ZeekScalar;

function asCount(raw: string, field: string): number {
  const v = parseCountRange(raw, 0, raw.length);
  if (v < 0) throw new FieldError(field, `not a count: ${preview(raw)}`);
  return v;
}

function asInt(raw: string, field: string): number {
  const negative = raw.charCodeAt(0) === 45;
  const v = parseCountRange(raw, negative ? 1 : 0, raw.length);
  if (v < 0) throw new FieldError(field, `not an int: ${preview(raw)}`);
  return negative ? -v : v;
}

function asPort(raw: string, field: string): number {
  const v = parseCountRange(raw, 0, raw.length);
  if (v < 0 || v > 65535) throw new FieldError(field, `not a port: ${preview(raw)}`);
  return v;
}

function asDouble(raw: string, field: string): number {
  const v = parseDecimalRange(raw, 0, raw.length);
  if (Number.isNaN(v)) throw new FieldError(field, `not a number: ${preview(raw)}`);
  return v;
}

function asBool(raw: string, field: string): boolean {
  if (raw === 'T') return true;
  if (raw === 'F') return false;
  throw new FieldError(field, `not a bool (T/F): ${preview(raw)}`);
}

function asAddr(raw: string, field: string): string {
  if (!isAddress(raw)) throw new FieldError(field, `not an IP address: ${preview(raw)}`);
  return raw;
}

function asString(raw: string): string {
  return unescapeZeek(raw);
}

function scalarConverter(type: string): ScalarConverter {
  switch (type) {
    case 'count':
      return asCount;
    case 'int':
      return asInt;
    case 'port':
      return asPort;
    case 'time':
    case 'interval':
    case 'double':
      return asDouble;
    case 'bool':
      return asBool;
    case 'addr':
      return asAddr;
    default:
      // string, enum, subnet, pattern, and any type Zeek adds later: kept as (unescaped) text.
      return asString;
  }
}

export interface ValueContext {
  unsetField: string;
  emptyField: string;
  setSeparator: string;
}

export type ColumnConverter = (raw: string, field: string, context: ValueContext) => ZeekValue;

/** The converter for one `#types` entry: scalars, and `set[T]` / `vector[T]` / `table[T]` as arrays of T. */
export function columnConverter(type: string): ColumnConverter {
  const open = type.indexOf('[');
  if (open > 0 && type.endsWith(']')) {
    const element = scalarConverter(type.slice(open + 1, -1));
    return (raw, field, context) => {
      if (raw === context.unsetField) return null;
      if (raw === context.emptyField) return [];
      return raw.split(context.setSeparator).map((item) => (item === context.unsetField ? null : element(item, field)));
    };
  }
  const scalar = scalarConverter(type);
  const isText = scalar === asString;
  return (raw, field, context) => {
    if (raw === context.unsetField) return null;
    if (raw === context.emptyField && isText) return '';
    return scalar(raw, field);
  };
}
