/**
 * Turning the field's own pattern files into JavaScript regular expressions: logcheck's POSIX extended regexes
 * (egrep dialect with [[:class:]] brackets) and fail2ban's Python regexes with its option interpolation
 * (`%(name)s`, `<name>`, `<lt_file/__prefix_line>`) and tags (`<HOST>`, `<F-USER>…</F-USER>`). Used by
 * scripts/linux-logs/extract-knowledge.ts, whose output (data/knowledge/linux-kb.json) the classifier reads; nothing
 * here runs at classification time.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  digit: '0-9',
  xdigit: '0-9A-Fa-f',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\s',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  word: '\\w',
};

/** A logcheck (egrep) pattern as a JavaScript pattern, or null when it uses something JavaScript lacks. */
export function posixToJs(pattern: string): string | null {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (c !== '[') {
      // ERE's literal `{` that opens no bound is fine in JavaScript's non-unicode mode; `}` likewise.
      out += c;
      continue;
    }
    // A bracket expression: [[:alnum:]._-], []abc], [^]abc]
    let j = i + 1;
    let body = '';
    if (pattern[j] === '^') {
      body += '^';
      j++;
    }
    if (pattern[j] === ']') {
      body += '\\]';
      j++;
    }
    let closed = false;
    while (j < pattern.length) {
      const d = pattern[j]!;
      if (d === '[' && pattern[j + 1] === ':') {
        const end = pattern.indexOf(':]', j + 2);
        if (end < 0) return null;
        const name = pattern.slice(j + 2, end);
        const cls = POSIX_CLASSES[name];
        if (cls === undefined) return null;
        body += cls;
        j = end + 2;
        continue;
      }
      if (d === '[' && (pattern[j + 1] === '.' || pattern[j + 1] === '=')) return null; // collating elements
      if (d === ']') {
        closed = true;
        break;
      }
      // In POSIX brackets a backslash is literal; JavaScript needs it escaped, and `[` too for clarity.
      if (d === '\\') body += '\\\\';
      else if (d === '[') body += '\\[';
      else body += d;
      j++;
    }
    if (!closed) return null;
    out += `[${body}]`;
    i = j;
  }
  try {
    new RegExp(out);
  } catch {
    return null;
  }
  return out;
}

/**
 * logcheck's header, `^(\w{3} [ :[:digit:]]{11}|[0-9T:.+-]{32}) [._[:alnum:]-]+ ` (date, host) in its spellings:
 * the end of the first group when it is a date alternative, followed by the host class; -1 when there is none.
 */
function logcheckHeaderEnd(pattern: string): number {
  if (!pattern.startsWith('^(')) return -1;
  let depth = 0;
  for (let i = 1; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) {
      if (!pattern.slice(1, i).includes('{11}')) return -1;
      const host = /^ \[[^ ]*alnum[^ ]*\]\+ /.exec(pattern.slice(i + 1));
      return host ? i + 1 + host[0].length : -1;
    }
  }
  return -1;
}

export interface LogcheckPattern {
  /** The program the pattern is for (`sshd`, `postfix/smtpd`, `kernel`), or `*` when the pattern does not name one. */
  program: string;
  /** JavaScript pattern to test against `program[pid]: message` (the date and host are left out). */
  source: string;
}

/**
 * One logcheck line → the pattern without its date/host header and the program's name (its leading literal word,
 * for indexing); null for comments and what cannot be converted. A pattern without `^` matches anywhere (egrep).
 */
export function convertLogcheckLine(line: string): LogcheckPattern | null {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  const end = logcheckHeaderEnd(trimmed);
  const anchored = trimmed.startsWith('^');
  const rest = end >= 0 ? trimmed.slice(end) : anchored ? trimmed.slice(1) : trimmed;
  const js = posixToJs(rest);
  if (js === null) return null;
  const program = /^([A-Za-z][\w.-]*(?:\/[\w.-]+)?)(?:\\\[|\[|:|\(|\\\(| |$)/.exec(rest);
  const name = program && !/[\\[(|]/.test(program[1]!) ? program[1]! : '*';
  return { program: name, source: anchored ? `^${js}` : js };
}

// --- fail2ban ---

interface IniSection {
  [option: string]: string;
}
export type Ini = Map<string, IniSection>;

/** fail2ban's INI dialect: `[section]`, `key = value` with continuation lines indented, `#`/`;` comments. */
export function parseIni(text: string): Ini {
  const ini: Ini = new Map();
  let section: IniSection | null = null;
  let key: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*[#;]/.test(line)) continue;
    const head = /^\[([^\]]+)\]\s*$/.exec(line);
    if (head) {
      section = ini.get(head[1]!) ?? {};
      ini.set(head[1]!, section);
      key = null;
      continue;
    }
    if (!section) continue;
    if (/^\s+\S/.test(line) && key) {
      section[key] += `\n${line.trim()}`;
      continue;
    }
    const kv = /^([^=\s][^=]*?)\s*=\s?(.*)$/.exec(line);
    if (kv) {
      key = kv[1]!.trim();
      section[key] = kv[2]!.trim();
    } else if (line.trim() === '') key = null;
  }
  return ini;
}

/** The filter's options in fail2ban's lookup order: Init, Definition, DEFAULT, then the files it includes before. */
export function optionLookup(filter: Ini, includes: readonly Ini[]): (name: string) => string | undefined {
  const all = [filter, ...includes];
  return (name) => {
    const slash = name.indexOf('/');
    if (slash > 0) {
      const [sec, opt] = [name.slice(0, slash), name.slice(slash + 1)];
      for (const ini of all) {
        const v = ini.get(sec)?.[opt];
        if (v !== undefined) return v;
      }
      return undefined;
    }
    for (const ini of all) for (const sec of ['Init', 'Definition', 'DEFAULT']) {
      const v = ini.get(sec)?.[name];
      if (v !== undefined) return v;
    }
    return undefined;
  };
}

/** Substitutes `%(name)s` and `<name>` (innermost first) with known options until nothing known is left. */
export function interpolate(value: string, lookup: (name: string) => string | undefined, depth = 0): string {
  if (depth > 30) throw new Error(`fail2ban interpolation too deep: ${value.slice(0, 80)}`);
  let out = value.replace(/%\(([^()]+)\)s/g, (m, name: string) => {
    const v = lookup(name);
    return v === undefined ? m : interpolate(v, lookup, depth + 1);
  });
  // `<cmnfailre-failed-pub-<publickey>>`: replace the innermost tags first, repeatedly.
  for (let pass = 0; pass < 10; pass++) {
    const before = out;
    out = out.replace(/<([\w./-]+)>/g, (m, name: string) => {
      if (/^F-|^\/F-|^(HOST|ADDR|IP4|IP6|DNS|CIDR|SUBNET|SKIPLINES|USER)$/.test(name)) return m;
      const v = lookup(name);
      return v === undefined ? m : interpolate(v, lookup, depth + 1);
    });
    if (out === before) break;
  }
  return out;
}

/** [start, end) of the group opening at `open` (its `(` … matching `)`), escapes and classes skipped. */
function groupEnd(re: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Index of the first `|` at depth 0 of re[from, to), or -1. */
function topLevelBar(re: string, from: number, to: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < to; i++) {
    const c = re[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return i;
  }
  return -1;
}

/**
 * Python's conditional groups `(?(name)yes|no)` (JavaScript has none) expanded into variants: for each named group a
 * conditional refers to, one variant where the group took part (it stays, the conditionals take `yes`) and one where
 * it did not (the group can never match, the conditionals take `no`). Their union matches what the original does.
 */
export function expandConditionals(re: string): string[] {
  const cond = /\(\?\((\w+)\)/.exec(re);
  if (!cond) return [re];
  const name = cond[1]!;
  const variants: string[] = [];
  for (const present of [true, false]) {
    let out = re;
    // the conditionals on `name`, innermost-last: rewrite from the right
    for (let at = out.lastIndexOf(`(?(${name})`); at >= 0; at = out.lastIndexOf(`(?(${name})`, at - 1)) {
      const end = groupEnd(out, at);
      if (end < 0) return [];
      const bodyStart = at + `(?(${name})`.length;
      const bar = topLevelBar(out, bodyStart, end - 1);
      const yes = bar < 0 ? out.slice(bodyStart, end - 1) : out.slice(bodyStart, bar);
      const no = bar < 0 ? '' : out.slice(bar + 1, end - 1);
      out = `${out.slice(0, at)}(?:${present ? yes : no})${out.slice(end)}`;
    }
    const open = out.indexOf(`(?P<${name}>`);
    if (open >= 0) {
      const end = groupEnd(out, open);
      if (end < 0) return [];
      const inner = out.slice(open + `(?P<${name}>`.length, end - 1);
      const optional = out[end] === '?';
      out = present ? `${out.slice(0, open)}(?:${inner})${out.slice(optional ? end + 1 : end)}` : `${out.slice(0, open)}${optional ? '' : '(?!)'}${out.slice(optional ? end + 1 : end)}`;
    }
    variants.push(...expandConditionals(out));
  }
  return variants;
}

const HOST = '\\[?(?:::f{4,6}:)?[\\w\\-.:^_]*\\w\\]?';

/** One resolved fail2ban failregex → JavaScript; null for success lines (F-NOFAIL, F-MLFGAINED) and what JS lacks. */
export function fail2banToJs(regex: string): { source: string; flags: string } | null {
  if (/<SKIPLINES>/.test(regex)) return null;
  // A success marker around the whole match (`^<F-NOFAIL>…`) makes the line no failure: leave it out. Inside an
  // alternation (`(?:<F-NOFAIL>publickey</F-NOFAIL>|\S+)`) only that alternative is a success: it can never match.
  if (/^\^?(?:<F-[A-Z]+>)*<F-(?:NOFAIL|MLFGAINED)>/.test(regex)) return null;
  regex = regex.replace(/<F-(NOFAIL|MLFGAINED)>.*?<\/F-\1>/g, '(?!)');
  if (/<F-(?:NOFAIL|MLFGAINED)>/.test(regex)) return null;
  if (/\(\?\(/.test(regex)) return null; // conditional groups: expandConditionals first
  let js = regex
    .replace(/<\/?F-[A-Z_]+>/g, (tag) => (tag.startsWith('</') ? ')' : '(?:'))
    .replace(/<(HOST|ADDR|IP4|IP6|DNS|CIDR|SUBNET)>/g, HOST)
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  if (/<[a-z_][\w-]*>/.test(js.replace(/\(\?<\w+>|\\k<\w+>/g, ''))) return null; // an option left unresolved
  // Python's inline flags at the start, e.g. (?i)
  let flags = '';
  js = js.replace(/^\(\?([imsx]+)\)/, (_, f: string) => {
    flags = f.replace(/x/g, '');
    return '';
  });
  try {
    new RegExp(js, flags);
  } catch {
    return null;
  }
  return { source: js, flags };
}
