/**
 * Extracts the field's own patterns from Debian's packages into data/knowledge/linux-kb.json, which the log
 * classifier reads at training time (packages/log-classification, knowledge/):
 * - logcheck-database: /etc/logcheck/ignore.d.server (routine chatter), violations.d and cracking.d (attention);
 * - fail2ban: the failregex lines of /etc/fail2ban/filter.d/*.conf (authentication failures and probes), with
 *   fail2ban's option interpolation resolved.
 * Reads the installed files (`--root /`, after scripts/linux-logs/install-knowledge.sh) or a folder the two .deb
 * files were unpacked into (`--root DIR`, what install-knowledge.sh --unpack DIR makes without root). Both packages
 * are GPL-2: the JSON is a converted copy of their pattern lists and keeps that licence (data/knowledge/README.md).
 *
 *   pnpm exec tsx scripts/linux-logs/extract-knowledge.ts [--root DIR] [--out data/knowledge/linux-kb.json]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { convertLogcheckLine, expandConditionals, fail2banToJs, interpolate, optionLookup, parseIni, type Ini } from '@aiops/log-classification';

export interface KbPattern {
  /** Where it comes from: `logcheck:ignore.d.server/ssh`, `fail2ban:filter.d/sshd`. */
  origin: string;
  /** logcheck list or fail2ban: what a match means. */
  kind: 'logcheck-ignore' | 'logcheck-violation' | 'logcheck-cracking' | 'fail2ban';
  /** Index key: first four letters of the program the pattern is for, `*` when it does not say. */
  key: string;
  source: string;
  flags: string;
}

/** First four letters of a program name (lower case): `postfix/smtpd` → `post`, `sshd-session` → `sshd`. */
export function programKey(program: string): string {
  const run = /^[A-Za-z]+/.exec(program)?.[0] ?? '';
  return run.length >= 2 ? run.slice(0, 4).toLowerCase() : '*';
}

/** The index key of a converted pattern that starts with its program (`sshd\[`, `(openvpn|ovpn-…)`). */
function keyOfPatternSource(source: string): string {
  const body = source.replace(/^\^/, '');
  // A leading literal run, cut before a character a quantifier applies to.
  const literal = /^([A-Za-z]+)([?*+{]?)/.exec(body);
  if (literal) {
    const run = literal[2] ? literal[1]!.slice(0, -1) : literal[1]!;
    return run.length >= 4 || /^[A-Za-z]+(\\\[|\[|:| )/.test(body) ? programKey(run) : '*';
  }
  return '*';
}

function logcheckPatterns(root: string): { patterns: KbPattern[]; skipped: number } {
  const patterns: KbPattern[] = [];
  let skipped = 0;
  const lists: [string, KbPattern['kind']][] = [
    ['ignore.d.server', 'logcheck-ignore'],
    ['violations.d', 'logcheck-violation'],
    ['cracking.d', 'logcheck-cracking'],
  ];
  for (const [list, kind] of lists) {
    const dir = join(root, 'etc/logcheck', list);
    if (!existsSync(dir)) throw new Error(`${dir}: missing (is logcheck-database installed or unpacked there?)`);
    for (const file of readdirSync(dir).sort()) {
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .forEach((line) => {
          if (line.trim() === '' || line.trimStart().startsWith('#')) return;
          const converted = convertLogcheckLine(line);
          if (!converted) {
            skipped++;
            return;
          }
          const key = converted.program === '*' ? keyOfPatternSource(converted.source) : programKey(converted.program);
          patterns.push({ origin: `logcheck:${list}/${file}`, kind, key, source: converted.source, flags: '' });
        });
    }
  }
  return { patterns, skipped };
}

function readIni(dir: string, name: string): Ini | null {
  const file = join(dir, name);
  return existsSync(file) ? parseIni(readFileSync(file, 'utf8')) : null;
}

/** A filter's `before =` includes (common.conf, apache-common.conf, …), nearest first. */
function includesOf(dir: string, ini: Ini, seen = new Set<string>()): Ini[] {
  const before = ini.get('INCLUDES')?.before;
  if (!before) return [];
  const out: Ini[] = [];
  for (const name of before.split(/\s+/).filter(Boolean)) {
    if (seen.has(name)) continue;
    seen.add(name);
    const inc = readIni(dir, name);
    if (inc) out.push(inc, ...includesOf(dir, inc, seen));
  }
  return out;
}

function fail2banPatterns(root: string): { patterns: KbPattern[]; skipped: number } {
  const dir = join(root, 'etc/fail2ban/filter.d');
  if (!existsSync(dir)) throw new Error(`${dir}: missing (is fail2ban installed or unpacked there?)`);
  const patterns: KbPattern[] = [];
  let skipped = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.conf')).sort()) {
    const ini = parseIni(readFileSync(join(dir, file), 'utf8'));
    const failregex = ini.get('Definition')?.failregex;
    if (!failregex) continue;
    const lookup = optionLookup(ini, includesOf(dir, ini));
    const name = file.replace(/\.conf$/, '');
    const daemon = lookup('_daemon');
    const key = daemon && daemon !== '\\S*' ? keyOfPatternSource(daemon) : '*';
    let prefix: string | null = null;
    const prefregex = lookup('prefregex');
    if (prefregex) prefix = interpolate(prefregex, lookup);
    for (const raw of interpolate(failregex, lookup).split('\n')) {
      const regex = raw.trim();
      if (regex === '') continue;
      // With a prefregex fail2ban matches failregex against its F-CONTENT: compose the two into one pattern.
      const composed = prefix ? prefix.replace(/<F-CONTENT>.*<\/F-CONTENT>/, `(?:${regex.replace(/^\^/, '')})`) : regex;
      const variants = expandConditionals(composed.replace(/\(\?i\)/g, ''));
      let kept = 0;
      for (const variant of variants) {
        const js = fail2banToJs(variant);
        if (!js) continue;
        kept++;
        const flags = /\(\?i\)/.test(composed) ? `${js.flags}i`.replace(/(.)(?=.*\1)/g, '') : js.flags;
        patterns.push({ origin: `fail2ban:filter.d/${name}`, kind: 'fail2ban', key, source: js.source, flags });
      }
      if (kept === 0) skipped++;
    }
  }
  return { patterns, skipped };
}

function packageVersion(root: string, pkg: string): string {
  // Installed: dpkg's status file; unpacked: install-knowledge.sh writes <root>/VERSIONS.
  const versions = join(root, 'VERSIONS');
  if (existsSync(versions)) {
    const line = readFileSync(versions, 'utf8').split('\n').find((l) => l.startsWith(`${pkg} `));
    if (line) return line.split(' ')[1]!;
  }
  const status = '/var/lib/dpkg/status';
  if (root === '/' && existsSync(status)) {
    const block = readFileSync(status, 'utf8').split('\n\n').find((b) => b.startsWith(`Package: ${pkg}\n`));
    const version = block && /\nVersion: (\S+)/.exec(block);
    if (version) return version[1]!;
  }
  return 'unknown';
}

function main(): void {
  const args = process.argv.slice(2);
  const arg = (name: string, fallback: string): string => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  if (args.includes('--help')) {
    console.log('usage: extract-knowledge.ts [--root DIR] [--out FILE]');
    return;
  }
  const root = arg('--root', '/');
  const out = arg('--out', join(import.meta.dirname, '..', '..', 'data', 'knowledge', 'linux-kb.json'));
  const logcheck = logcheckPatterns(root);
  const fail2ban = fail2banPatterns(root);
  const kb = {
    format: 'aiops-linux-knowledge',
    version: 1,
    packages: { 'logcheck-database': packageVersion(root, 'logcheck-database'), fail2ban: packageVersion(root, 'fail2ban') },
    licence: 'GPL-2.0-or-later (converted from the pattern files of the Debian packages logcheck-database and fail2ban)',
    skipped: { logcheck: logcheck.skipped, fail2ban: fail2ban.skipped },
    patterns: [...logcheck.patterns, ...fail2ban.patterns],
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(kb)}\n`);
  const count = (kind: string): number => kb.patterns.filter((p) => p.kind === kind).length;
  console.error(
    `extract-knowledge: ${out}: logcheck ignore ${count('logcheck-ignore')}, violations ${count('logcheck-violation')}, cracking ${count('logcheck-cracking')} (${logcheck.skipped} not convertible); fail2ban ${count('fail2ban')} (${fail2ban.skipped} not convertible: success lines, conditionals)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main();
