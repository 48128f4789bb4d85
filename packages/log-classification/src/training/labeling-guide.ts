/**
 * The labeling guide (../shared/labels/README.md) as labeled examples: every backticked phrase of a judgment rule
 * (`C1`…`N10`) is a short document of the rule's class, and so is each item of "Applied the same way across
 * systems" (`… => class`). Optionally the rule's own title prose ("Authentication failures of every kind") is one
 * more document per rule. Pure: the caller reads the file (training/dataset.ts, loadLabelingGuide).
 *
 * The guide writes variables as `<*>`, `N`, `<n>`, `<field>`, `...`; they become what masking makes of a variable
 * in a real line (`<num>`, a kept mask token such as `<ip>`, or nothing) so an example looks like the lines it
 * stands for. The guide's original text stays in `phrase` (training/guide-leaks.ts matches it against held-out
 * templates).
 *
 * Clauses that hand a phrase to ANOTHER rule (decided per pattern; everything else keeps the rule's class):
 * - "`no server` is C3", "`no free leases`, which is W13", "`x` (see N3)": the phrase goes to the named rule;
 * - "it is C3 (`Input/output error`)": the phrase goes to the named rule;
 * - a later sentence of a rule that names exactly one other rule ("… is critical (C6)", "(see N3)"): its phrases go
 *   there; naming several (N8's "carries C1/C2"), they are dropped;
 * - "the line says `fatal:`": a word a line may contain, not an example of the class; dropped.
 */
import { MASK_TOKENS } from '@aiops/ml';
import type { Category } from './dataset.ts';

export interface GuideExample {
  /** What the model sees: the phrase with the guide's placeholders turned into masked variables. */
  text: string;
  label: Category;
  /** `C1`, `W13`, … or `across` ("Applied the same way across systems"). */
  rule: string;
  /** A backticked phrase (or across-systems item), or the rule's title prose. */
  kind: 'phrase' | 'prose';
  /** The guide's own wording, placeholders and all. */
  phrase: string;
}

const CLASS_OF_LETTER: Record<string, Category> = { C: 'critical', W: 'warning', I: 'informational', N: 'noise' };
const SECTION_CLASS: Record<string, Category> = { critical: 'critical', warning: 'warning', informational: 'informational', noise: 'noise' };
const CLASS_WORDS = 'critical|warning|informational|noise';
const RULE = '[CWIN]\\d{1,2}';

const classOfRule = (rule: string): Category => CLASS_OF_LETTER[rule[0]!]!;

/** Kept as they are: masking turns a real address into `<ip>`, a path into `<path>`, … */
const KEPT_PLACEHOLDERS = new Set<string>(MASK_TOKENS);
/** Placeholders that stand for a number in the lines (counts, ports, pids, ids, core-file suffixes). */
const NUMBER_PLACEHOLDERS = new Set(['<*>', '<n>', '<num>', '<port>', '<id>', '<pid>']);

/** The guide's placeholders → what masking makes of a variable: `<num>`, a kept mask token, or a space. */
export function placeholdersToMasked(phrase: string): string {
  return phrase
    .replace(/0x\.\./g, ' <hex> ')
    .replace(/<[^<>\s]*>/g, (p) => (NUMBER_PLACEHOLDERS.has(p) ? ' <num> ' : KEPT_PLACEHOLDERS.has(p) ? ` ${p} ` : ' '))
    .replace(/\bN(?:ms)?\b/g, ' <num> ') // `N times`, `took Nms`: capital N alone is the guide's number
    .replace(/\.{2,}|…|\*/g, ' ') // `...` elisions and `mapred.*` wildcards are gaps
    .replace(/\s+/g, ' ')
    .trim();
}

interface Section {
  kind: 'rules' | 'across';
  label?: Category;
  items: string[];
}

/** Items (`- …` plus their indented continuation lines) of the four class sections and of the across section. */
function sections(markdown: string): Section[] {
  const out: Section[] = [];
  let current: Section | null = null;
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const title = heading[2]!.trim().toLowerCase();
      const label = SECTION_CLASS[title];
      current = label ? { kind: 'rules', label, items: [] } : title.startsWith('applied the same way across systems') ? { kind: 'across', items: [] } : null;
      if (current) out.push(current);
      continue;
    }
    if (!current) continue;
    if (/^- /.test(line)) current.items.push(line.slice(2).trim());
    else if (/^\s+\S/.test(line) && current.items.length > 0) current.items[current.items.length - 1] += ` ${line.trim()}`;
  }
  return out;
}

/** The text with every backticked span blanked out (same length), so punctuation inside phrases splits nothing. */
const blankPhrases = (text: string): string => text.replace(/`[^`]*`/g, (m) => '`' + ' '.repeat(m.length - 2) + '`');

/** [start, end) of each sentence: split after a period followed by white space, outside backticks. */
function sentenceSpans(text: string): [number, number][] {
  const blank = blankPhrases(text);
  const spans: [number, number][] = [];
  let start = 0;
  for (const m of blank.matchAll(/\.\s+/g)) {
    spans.push([start, m.index + 1]);
    start = m.index + m[0].length;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans;
}

/** Where a phrase goes: its own rule, another rule, or nowhere (null). */
function ruleOfPhrase(ownRule: string, before: string, after: string, sentenceIndex: number, sentenceBlank: string): string | null {
  if (/\bsays\s*$/.test(before)) return null;
  const following = new RegExp(`^\\s*(?:,?\\s*which\\s+is|is|\\(see)\\s+(${RULE})\\b`).exec(after);
  if (following) return following[1]!;
  const preceding = new RegExp(`\\bis\\s+(${RULE})\\s*\\(\\s*$`).exec(before);
  if (preceding) return preceding[1]!;
  if (sentenceIndex > 0) {
    const named = new Set([...sentenceBlank.matchAll(new RegExp(`\\b(${RULE})\\b`, 'g'))].map((m) => m[1]!).filter((r) => r !== ownRule));
    if (named.size === 1) return [...named][0]!;
    if (named.size > 1) return null;
  }
  return ownRule;
}

/** The rule's title: its first sentence up to the first phrase, `=>` or colon, without an unclosed `(…` tail. */
export function ruleProse(body: string): string {
  const first = body.slice(0, sentenceSpans(body)[0]?.[1] ?? body.length);
  const cut = Math.min(...['`', '=>', ':'].map((s) => first.indexOf(s)).filter((i) => i >= 0), first.length);
  let prose = first.slice(0, cut);
  const open = prose.lastIndexOf('(');
  if (open >= 0 && prose.indexOf(')', open) < 0) prose = prose.slice(0, open);
  return prose.replace(/\*/g, '').replace(/[\s,;.]+$/, '').trim();
}

function ruleExamples(item: string, label: Category, withProse: boolean): GuideExample[] {
  const head = new RegExp(`^(${RULE})\\s+(.*)$`).exec(item);
  if (!head) return [];
  const [, rule, body] = head as unknown as [string, string, string];
  if (classOfRule(rule) !== label) return []; // a rule listed under another class's heading: not ours to guess
  const out: GuideExample[] = [];
  if (withProse) {
    const prose = ruleProse(body);
    if (prose) out.push({ text: prose, label, rule, kind: 'prose', phrase: prose });
  }
  const blank = blankPhrases(body);
  sentenceSpans(body).forEach(([start, end], sentenceIndex) => {
    for (const m of body.slice(start, end).matchAll(/`([^`]+)`/g)) {
      const at = start + m.index;
      const target = ruleOfPhrase(rule, blank.slice(start, at), blank.slice(at + m[0].length, end), sentenceIndex, blank.slice(start, end));
      if (target) out.push({ text: placeholdersToMasked(m[1]!), label: classOfRule(target), rule: target, kind: 'phrase', phrase: m[1]! });
    }
  });
  return out;
}

/** Splits on commas outside backticks. */
function commaItems(text: string): string[] {
  const blank = blankPhrases(text);
  const out: string[] = [];
  let start = 0;
  for (const m of blank.matchAll(/,/g)) {
    out.push(text.slice(start, m.index));
    start = m.index + 1;
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

/** `Subject a, `b`: System, System => class. Other subject => class; …`: one example per subject item. */
function acrossExamples(item: string): GuideExample[] {
  const out: GuideExample[] = [];
  const blank = blankPhrases(item);
  let start = 0;
  for (const m of blank.matchAll(new RegExp(`=>\\s*(${CLASS_WORDS})\\b[.;]?`, 'g'))) {
    const clause = item.slice(start, m.index);
    const colon = blankPhrases(clause).lastIndexOf(':');
    const subject = colon >= 0 ? clause.slice(0, colon) : clause; // after the colon: the systems it was checked on
    for (const part of commaItems(subject)) {
      const phrase = part.replace(/`/g, '').trim();
      out.push({ text: placeholdersToMasked(phrase), label: m[1] as Category, rule: 'across', kind: 'phrase', phrase });
    }
    start = m.index + m[0].length;
  }
  return out;
}

export interface ParseGuideOptions {
  /** Add each rule's title prose as one example (default false). */
  prose?: boolean;
}

/**
 * Every example of the guide, in the guide's order; empty texts (a phrase that was all placeholders, `****`) and
 * exact repeats (same text and class) are left out.
 */
export function parseLabelingGuide(markdown: string, { prose = false }: ParseGuideOptions = {}): GuideExample[] {
  const all: GuideExample[] = [];
  for (const section of sections(markdown)) {
    for (const item of section.items) {
      all.push(...(section.kind === 'across' ? acrossExamples(item) : ruleExamples(item, section.label!, prose)));
    }
  }
  const seen = new Set<string>();
  return all.filter((e) => {
    const key = `${e.label}\u0000${e.text.toLowerCase()}`;
    if (!/[\p{L}\p{N}]/u.test(e.text) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The heading of the guide's own section of rules for Linux server logs (C9–C14, W14, W15, …), its last section. */
export const LINUX_ADDITIONS_HEADING = '## Additions for Linux server logs';

/** The guide split at its Linux additions: the Loghub rules, and the additions ('' when the guide has none). */
export function splitLinuxAdditions(markdown: string): { base: string; additions: string } {
  const at = markdown.search(new RegExp(`^${LINUX_ADDITIONS_HEADING}\\s*$`, 'm'));
  return at < 0 ? { base: markdown, additions: '' } : { base: markdown.slice(0, at), additions: markdown.slice(at) };
}

/** Examples per class, for logs and the model file. */
export function countByClass(examples: readonly GuideExample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of examples) counts[e.label] = (counts[e.label] ?? 0) + 1;
  return counts;
}
