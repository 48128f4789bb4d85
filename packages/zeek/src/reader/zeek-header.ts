/**
 * The header of a Zeek ASCII (TSV) log: the `#separator`, `#set_separator`, `#empty_field`, `#unset_field`,
 * `#path`, `#open`, `#fields`, `#types` and `#close` directives. Plain data (JSON-serialisable), so a reader that
 * resumes in the middle of a file can be handed the header it saw before.
 */
import { unescapeZeek } from './zeek-escapes.ts';

export interface ZeekHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path: string | null;
  open: string | null;
  close: string | null;
  fields: string[] | null;
  types: string[] | null;
  /**
   * IoT-23 style: the last tab-separated entry of `#fields` held this many names separated by spaces (0 when not),
   * so a data line may carry them in one tab column as well.
   */
  spacedTail: number;
}

/** Zeek's defaults, used until the file says otherwise. */
export function defaultZeekHeader(): ZeekHeader {
  return {
    separator: '\t',
    setSeparator: ',',
    emptyField: '(empty)',
    unsetField: '-',
    path: null,
    open: null,
    close: null,
    fields: null,
    types: null,
    spacedTail: 0,
  };
}

/**
 * Stratosphere's IoT-23 files write `tunnel_parents   label   detailed-label` as ONE tab-separated header entry
 * (the two label columns appended with runs of spaces), and the data the same way. Such an entry is split into its
 * names; the reader splits the matching data column on runs of spaces the same way. The dash form
 * `detailed-label` is named `detailedlabel` like in the Stratosphere CTU files.
 */
export function splitSpacedNames(entry: string): string[] {
  const names = entry.trim().split(/\s+/);
  return names.map((n) => (n === 'detailed-label' ? 'detailedlabel' : n));
}

export type DirectiveResult = { ok: true } | { ok: false; reason: string };

const KNOWN = new Set(['separator', 'set_separator', 'empty_field', 'unset_field', 'path', 'open', 'close', 'fields', 'types']);

/**
 * Applies one directive line (starting with `#`) to `header` in place. `#separator` is special: its value follows
 * a space and is itself escaped (`#separator \x09`). An unknown directive is reported, not applied.
 */
export function applyDirective(header: ZeekHeader, line: string): DirectiveResult {
  if (line.startsWith('#separator ')) {
    const value = unescapeZeek(line.slice('#separator '.length));
    if (value.length === 0) return { ok: false, reason: 'header #separator is empty' };
    header.separator = value;
    return { ok: true };
  }
  const cut = line.indexOf(header.separator);
  const name = (cut < 0 ? line.slice(1) : line.slice(1, cut)).trim();
  if (!KNOWN.has(name)) return { ok: false, reason: `unknown header directive "#${name.slice(0, 40)}"` };
  if (cut < 0) return { ok: false, reason: `header #${name} has no value` };
  const rest = line.slice(cut + header.separator.length);
  switch (name) {
    case 'separator': {
      // `#separator<TAB>\x09` (a tab instead of Zeek's space): accepted the same way.
      const value = unescapeZeek(rest);
      if (value.length === 0) return { ok: false, reason: 'header #separator is empty' };
      header.separator = value;
      return { ok: true };
    }
    case 'set_separator':
      header.setSeparator = unescapeZeek(rest);
      return header.setSeparator ? { ok: true } : { ok: false, reason: 'header #set_separator is empty' };
    case 'empty_field':
      header.emptyField = unescapeZeek(rest);
      return { ok: true };
    case 'unset_field':
      header.unsetField = unescapeZeek(rest);
      return { ok: true };
    case 'path':
      header.path = unescapeZeek(rest);
      return { ok: true };
    case 'open':
      header.open = rest;
      header.close = null;
      return { ok: true };
    case 'close':
      header.close = rest;
      return { ok: true };
    case 'fields': {
      const entries = rest.split(header.separator);
      const tail = splitSpacedNames(entries[entries.length - 1]!);
      const fields = tail.length > 1 ? [...entries.slice(0, -1), ...tail] : entries;
      if (fields.some((f) => f.length === 0)) return { ok: false, reason: 'header #fields has an empty name' };
      header.fields = fields;
      header.spacedTail = tail.length > 1 ? tail.length : 0;
      return { ok: true };
    }
    case 'types': {
      const entries = rest.split(header.separator);
      const tail = entries[entries.length - 1]!.trim().split(/\s+/);
      header.types = tail.length > 1 ? [...entries.slice(0, -1), ...tail] : entries;
      return { ok: true };
    }
  }
  return { ok: false, reason: `unknown header directive "#${name}"` };
}

/** Why the header cannot type a data line yet, or null when it can. */
export function headerProblem(header: ZeekHeader): string | null {
  if (!header.fields) return 'no #fields header line before this data line';
  if (!header.types) return 'no #types header line before this data line';
  if (header.types.length !== header.fields.length) {
    return `header has ${header.fields.length} #fields but ${header.types.length} #types`;
  }
  return null;
}
