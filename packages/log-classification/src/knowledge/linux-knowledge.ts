/**
 * Field knowledge about Linux server logs beside the model, each piece a switch so the ablation can weigh it:
 * - `header`: the program that wrote the line and the severity the line carries (syslog PRI, kernel level,
 *   `facility.level`, journal PRIORITY) — the severity the model already uses (the program as a feature is off,
 *   PROGRAM_FEATURE);
 * - `families`: the kernel's and systemd's failure messages (families.ts) as decision rules named `kernel:oom`, …;
 * - `fail2ban`: the failregex of Debian's fail2ban filters as rules (an authentication failure is a warning, W1 of
 *   the guide), named after the filter (`fail2ban:filter.d/sshd`);
 * - `logcheck`: whether Debian's logcheck-database ignores the line as routine (ignore.d.server), reports it as a
 *   violation or a cracking attempt, or does not know it (logcheck mails every line it does not ignore) — a
 *   `__lc_ignore__` / `__lc_violation__` / `__lc_cracking__` / `__lc_unknown__` feature.
 * The patterns of the last two come from data/knowledge/linux-kb.json (scripts/linux-logs/extract-knowledge.ts).
 *
 * Speed: the classifier featurizes ~200k lines/s, so nothing here may cost a regex per pattern per line. Families
 * and fail2ban patterns run only on lines that hold one of their trigger words (decided once per distinct chunk by
 * chunkTriggers), and only the patterns indexed under the line's program; results are memoized by the line with
 * its digits folded (counters and addresses vary, templates do not) where no pattern reads them (memo-key.ts).
 */
import type { SeverityLevel } from '@aiops/ml';
import { FAMILIES, matchFamily, matchFamilyNaive, type Family } from './families.ts';
import { MemoKey } from './memo-key.ts';
import { LiteralIndex } from './literal-index.ts';
import { PrefilteredPatterns } from './prefilter.ts';
import { requiredLiterals } from './required-literals.ts';
import { lineSeverity, parseLineHeader } from './syslog-header.ts';

export interface KnowledgePattern {
  origin: string;
  kind: 'logcheck-ignore' | 'logcheck-violation' | 'logcheck-cracking' | 'fail2ban';
  key: string;
  source: string;
  flags: string;
}

export interface KnowledgeFile {
  format: 'aiops-linux-knowledge';
  version: 1;
  packages: Record<string, string>;
  licence: string;
  patterns: KnowledgePattern[];
}

export interface KnowledgeParts {
  header: boolean;
  families: boolean;
  fail2ban: boolean;
  logcheck: boolean;
}

export const ALL_KNOWLEDGE: KnowledgeParts = { header: true, families: true, fail2ban: true, logcheck: true };
export const NO_KNOWLEDGE: KnowledgeParts = { header: false, families: false, fail2ban: false, logcheck: false };

export interface KnowledgeRule {
  label: 'critical' | 'warning';
  /** `kernel:oom`, `fail2ban:filter.d/sshd` */
  rule: string;
}

export interface KnowledgeResult {
  program: string;
  severity?: SeverityLevel;
  rule: KnowledgeRule | null;
  logcheck: 'ignore' | 'violation' | 'cracking' | 'unknown' | null;
}

/**
 * Chunk words without which no family message (bit 0) or fail2ban failure (bit 1) can match: each family pattern holds
 * one of them (prefilter.test.ts checks it on generated matches). Kept to rare words: a trigger costs the family
 * patterns on that line.
 */
const FAMILY_TRIGGER = /oom|memory|panic|LOCKUP|lockup|stall|blocked|BUG|Oops|protection|segfault|traps:|Machine|Hardware|EDAC|Uncorrected|NMI|I\/O|Sense|Unrecovered|ata\d|SCSI|swap-device|sector|EXT\d|journal|JBD2|XFS|BTRFS|FAT-fs|Remounting|VFS:|superblock|SQUASHFS|raid\d|md\/|operational|mdadm|^Fail$|^FailSpare$|DegradedArray|space|ENOSPC|[Ff]ile ?system|dumped|emergency|Dependency|Timed|Failed|failed|exited,|fork|Killed|reaped|init!|handle|NULL|lost|membership|leave|offline|unclean|fenced|Aborting|repeated|Gave|ALERT!|boot\.|dracut-initqueue|Control|medium|blk_update_request|\[ERROR\]|[Dd]isk|^system$|Errcode|errno|signal|opcode|^segment:$|^fault:$|[Aa]ssertion|Incorrect|crashed|corruption|throttled|temperature|voltage|SMART|[Bb]atter|UPS|^Power$|upsmon|^Fatal:$|^Panic:$|^fatal:$/;
const AUTH_TRIGGER = /[Ff]ail|FAIL|[Ii]nvalid|[Ii]llegal|REFUSED|[Rr]efused|[Dd]enied|DENIED|[Rr]eject|[Aa]uth|AUTH|[Pp]assword|[Ll]ogin|LOGIN|identification|BREAK|[Bb]an\b|attack|[Mm]ismatch|limiting|[Uu]nauthori|[Ff]orbidden/;

/**
 * Whether the header's program is a model feature (`__prog_sshd__`). Off: it added 0.021 leave-one-source-out macro-F1
 * (0.852 → 0.873) but carried the Linux sources' class mix per program (fail2ban's sshd and mail-daemon warnings) into
 * Loghub's Linux and OpenSSH templates, whose splits fell below their floor (macro-F1 per line 0.940 → 0.931,
 * docs/evaluation/logs.md). The program still picks the fail2ban and logcheck patterns to try.
 */
export const PROGRAM_FEATURE = false;

/**
 * The two triggers' regexes behind one literal scan of their required literals (required-literals.ts), each literal
 * tagged with its trigger: most chunks hold none, and one scan of a chunk costs a fraction of the failed alternations
 * (the two regexes on every missed chunk were ~4 % of a batch pass; a scan per trigger, ~1 %). A chunk without a
 * trigger's literal cannot match it; a chunk with one runs that trigger's regex, which decides. A trigger without a
 * literal set runs its regex on every chunk.
 */
function triggerScan(triggers: readonly [RegExp, number][]): (chunk: string) => number {
  const literals: string[] = [];
  const tags: number[] = [];
  let always = 0;
  for (const [regex, bit] of triggers) {
    const required = requiredLiterals(regex.source, regex.flags);
    if (!required) always |= bit;
    for (const literal of required ?? []) {
      const id = literals.indexOf(literal);
      if (id >= 0) tags[id]! |= bit;
      else tags[literals.push(literal) - 1] = bit;
    }
  }
  const index = new LiteralIndex(literals, tags);
  return (chunk) => {
    const candidates = index.tagsIn(chunk) | always;
    let out = 0;
    for (const [regex, bit] of triggers) if (candidates & bit && regex.test(chunk)) out |= bit;
    return out;
  };
}

export const TRIGGER_FAMILY = 1;
export const TRIGGER_AUTH = 2;

const triggersOf = triggerScan([
  [FAMILY_TRIGGER, TRIGGER_FAMILY],
  [AUTH_TRIGGER, TRIGGER_AUTH],
]);

/** Which knowledge a chunk (a whitespace-separated piece of a line) may take part in. */
export function chunkTriggers(chunk: string): number {
  return triggersOf(chunk);
}

/** First four letters of a program name, lower case (the index key of extract-knowledge.ts). */
export function programKey(program: string): string {
  const run = /^[A-Za-z]+/.exec(program)?.[0] ?? '';
  return run.length >= 2 ? run.slice(0, 4).toLowerCase() : '*';
}

interface Compiled {
  origin: string;
  regex: RegExp;
}

/** Patterns of one program, tried in order; first() returns the first that matches. */
interface PatternList {
  first(text: string): Compiled | null;
}

/** The reference of PrefilteredPatterns: every pattern tried. */
class AllPatterns implements PatternList {
  constructor(private readonly list: readonly Compiled[]) {}
  first(text: string): Compiled | null {
    for (const c of this.list) if (c.regex.test(text)) return c;
    return null;
  }
}

/** The patterns of some kinds as this engine compiles them (one it cannot compile is left out, as the extractor would). */
function compiled(patterns: readonly KnowledgePattern[], kinds: readonly string[]): RegExp[] {
  return patterns.flatMap((p) => (kinds.includes(p.kind) ? compile(p) : []));
}

function compile(p: KnowledgePattern): RegExp[] {
  try {
    return [new RegExp(p.source, p.flags)];
  } catch {
    return [];
  }
}

function buckets(patterns: readonly KnowledgePattern[], kinds: readonly string[], prefilter: boolean): Map<string, PatternList> {
  const lists = new Map<string, Compiled[]>();
  for (const p of patterns) {
    if (!kinds.includes(p.kind)) continue;
    const [regex] = compile(p);
    if (!regex) continue;
    const list = lists.get(p.key) ?? [];
    list.push({ origin: p.origin, regex });
    lists.set(p.key, list);
  }
  const out = new Map<string, PatternList>();
  for (const [key, list] of lists) out.set(key, prefilter ? new PrefilteredPatterns(list) : new AllPatterns(list));
  return out;
}

export interface KnowledgeOptions {
  /**
   * Whether the family and filter patterns sit behind their literal prefilter (knowledge/prefilter.ts; default) or
   * are each tried on every triggered line (the reference the equivalence tests compare against).
   */
  prefilter?: boolean;
}

const MEMO_LIMIT = 50_000;
const NO_TOKENS: readonly string[] = Object.freeze([]);

export class LinuxKnowledge {
  private readonly ignore: Map<string, PatternList>;
  private readonly violation: Map<string, PatternList>;
  private readonly cracking: Map<string, PatternList>;
  private readonly fail2ban: Map<string, PatternList>;
  private readonly matchFamily: (text: string) => Family | null;
  /** Per trigger combination (TRIGGER_FAMILY | TRIGGER_AUTH bits), line shape → result, and line → result. */
  private readonly memo = Array.from({ length: 4 }, () => new Map<string, KnowledgeResult>());
  private readonly exactMemo = Array.from({ length: 4 }, () => new Map<string, KnowledgeResult>());
  /** Per trigger combination, a shape seen on one line so far → that line and its result (no verdict yet). */
  private readonly unverified = Array.from({ length: 4 }, () => new Map<string, { line: string; result: KnowledgeResult }>());
  private readonly memoKey: MemoKey;
  private readonly programTokens = new Map<string, string>();
  /** What headerOnly returns for a line without a program: one shared, frozen result per severity (or none). */
  private readonly bareResults = new Map<SeverityLevel | undefined, KnowledgeResult>();

  constructor(
    readonly file: KnowledgeFile | null,
    readonly parts: KnowledgeParts,
    options: KnowledgeOptions = {},
  ) {
    const patterns = file?.patterns ?? [];
    const prefilter = options.prefilter ?? true;
    this.ignore = parts.logcheck ? buckets(patterns, ['logcheck-ignore'], prefilter) : new Map();
    this.violation = parts.logcheck ? buckets(patterns, ['logcheck-violation'], prefilter) : new Map();
    this.cracking = parts.logcheck ? buckets(patterns, ['logcheck-cracking'], prefilter) : new Map();
    this.fail2ban = parts.fail2ban ? buckets(patterns, ['fail2ban'], prefilter) : new Map();
    this.matchFamily = prefilter ? matchFamily : matchFamilyNaive;
    this.memoKey = new MemoKey([
      ...(parts.families ? FAMILIES.map((f) => ({ regex: f.pattern, authOnly: false })) : []),
      ...compiled(patterns, parts.fail2ban ? ['fail2ban'] : []).map((regex) => ({ regex, authOnly: true })),
      ...compiled(patterns, parts.logcheck ? ['logcheck-ignore', 'logcheck-violation', 'logcheck-cracking'] : []).map((regex) => ({ regex, authOnly: false, programText: true })),
    ]);
  }

  /** How many of the patterns in use tell one digit from another (their lines are memoized as they are). */
  get digitSensitivePatterns(): number {
    return this.memoKey.sensitivePatterns;
  }

  get enabled(): boolean {
    return this.parts.header || this.parts.families || this.parts.fail2ban || this.parts.logcheck;
  }

  clearMemo(): void {
    for (const m of [...this.memo, ...this.exactMemo, ...this.unverified]) m.clear();
    this.memoKey.clear();
  }

  /**
   * What the knowledge says of one sanitized line. `triggers` (chunkTriggers of its chunks, or'ed) lets a caller
   * that already cut the line skip the family and fail2ban patterns; without it they are decided here.
   */
  analyze(line: string, triggers = chunkTriggers(line)): KnowledgeResult {
    const families = this.parts.families && (triggers & TRIGGER_FAMILY) !== 0;
    const patterns = (this.parts.fail2ban && (triggers & TRIGGER_AUTH) !== 0) || this.parts.logcheck;
    if (!patterns) {
      // The families need no header (their patterns are unanchored) and no memo (a trigger is rare).
      const family = families ? this.matchFamily(line) : null;
      const result = this.headerOnly(line);
      return family ? { ...result, rule: { label: family.label, rule: family.rule } } : result;
    }
    // Digits folded where no reader tells them apart (memo-key.ts), else the line itself, in a map of its own. A
    // shape in this.memo passed readsDigitsOf when it was stored: a hit needs no verdict.
    // The result also depends on the triggers the caller found: one map per trigger combination.
    const combination = triggers & (TRIGGER_FAMILY | TRIGGER_AUTH);
    const shapes = this.memo[combination]!;
    const shape = this.memoKey.shapeOf(line);
    if (shape !== null) {
      const hit = shapes.get(shape);
      if (hit) return hit;
      // The verdict waits for a shape's second line: most shapes come once (~60 % of the bench's), and the first
      // line's own result needs none. Its result then stands for the shape if the verdict allows, as it would have.
      const unverified = this.unverified[combination]!;
      const first = unverified.get(shape);
      if (first === undefined) {
        const result = this.analyzeFully(line, triggers);
        if (unverified.size >= MEMO_LIMIT) unverified.clear();
        unverified.set(shape, { line, result });
        return result;
      }
      if (first.line === line) return first.result;
      if (!this.memoKey.readsDigitsOf(shape, (triggers & TRIGGER_AUTH) !== 0)) {
        if (shapes.size >= MEMO_LIMIT) shapes.clear();
        shapes.set(shape, first.result);
        unverified.delete(shape);
        return first.result;
      }
    }
    const memo = this.exactMemo[combination]!;
    const hit = memo.get(line);
    if (hit) return hit;
    const result = this.analyzeFully(line, triggers);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(line, result);
    return result;
  }

  private headerOnly(line: string): KnowledgeResult {
    if (!PROGRAM_FEATURE || !this.parts.header) {
      // No pattern runs on this line and the program is no feature: only the severity matters (and costs less).
      // Most lines end here, so the result is looked up rather than built (an object spread per line showed in profiles).
      const severity = this.parts.header ? lineSeverity(line) : undefined;
      let result = this.bareResults.get(severity);
      if (result === undefined) {
        result = Object.freeze({ program: '', ...(severity ? { severity } : {}), rule: null, logcheck: null });
        this.bareResults.set(severity, result);
      }
      return result;
    }
    const header = parseLineHeader(line);
    return { program: header.program, ...(header.severity ? { severity: header.severity } : {}), rule: null, logcheck: null };
  }

  private analyzeFully(line: string, triggers: number): KnowledgeResult {
    const header = parseLineHeader(line);
    const key = header.program ? programKey(header.program) : '';
    let rule: KnowledgeRule | null = null;
    if (this.parts.families && triggers & TRIGGER_FAMILY) {
      const family: Family | null = this.matchFamily(line);
      if (family) rule = { label: family.label, rule: family.rule };
    }
    if (!rule && this.parts.fail2ban && triggers & TRIGGER_AUTH) {
      // Filters that name their daemon are indexed under it; the others (web and application logs) apply to lines
      // that name no program.
      const origin = this.firstMatch(this.fail2ban.get(key || '*'), header.withoutDate);
      if (origin) rule = { label: 'warning', rule: origin };
    }
    let logcheck: KnowledgeResult['logcheck'] = null;
    if (this.parts.logcheck && key) {
      const text = header.programAndMessage;
      if (this.firstMatch(this.cracking.get(key), text) ?? this.firstMatch(this.cracking.get('*'), text)) logcheck = 'cracking';
      else if (this.firstMatch(this.violation.get(key), text)) logcheck = 'violation';
      else if (this.firstMatch(this.ignore.get(key), text)) logcheck = 'ignore';
      else logcheck = 'unknown';
    }
    const severity = this.parts.header ? header.severity : undefined;
    return { program: this.parts.header ? header.program : '', ...(severity ? { severity } : {}), rule, logcheck };
  }

  private firstMatch(list: PatternList | undefined, text: string): string | null {
    return list?.first(text)?.origin ?? null;
  }

  /**
   * The feature tokens of a result: program and logcheck verdict (the severity goes through the severity token).
   * Most lines have none (the default model has neither): they share one frozen empty list, where a fresh array per
   * line was ~7 % of a batch pass's allocation.
   */
  tokensOf(result: KnowledgeResult): readonly string[] {
    if (!result.logcheck && !(PROGRAM_FEATURE && this.parts.header && result.program)) return NO_TOKENS;
    const out: string[] = [];
    if (PROGRAM_FEATURE && this.parts.header && result.program) out.push(this.programToken(result.program));
    if (result.logcheck) out.push(`__lc_${result.logcheck}__`);
    return out;
  }

  programToken(program: string): string {
    let token = this.programTokens.get(program);
    if (token === undefined) {
      token = `__prog_${programKey(program).replace('*', 'other')}__`;
      if (this.programTokens.size < 10_000) this.programTokens.set(program, token);
    }
    return token;
  }
}
