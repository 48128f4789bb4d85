/**
 * The knowledge memo serves a line the result of another line of the same shape only when no reader of the line can
 * tell their digits apart (knowledge/memo-key.ts): the header's `<N>` severity, and the family, fail2ban and logcheck
 * patterns that read digits (`uid=0`, `status=[1-9]`, `EXT[234]-fs`). Before, every digit was folded to `1`, so a
 * `<6>` line could get the severity of an earlier `<3>` line and a `uid=1000` line the logcheck verdict of `uid=0`.
 */
import { describe, expect, it } from 'vitest';
import { knowledgeFile } from '@aiops/datasets';
import { loadKnowledgeFile } from '@aiops/datasets/log-labels';
import fc from 'fast-check';
import { ALL_KNOWLEDGE, chunkTriggers, digitBlindCover, existenceForm, FAMILIES, foldDigits, HEADER_PATTERNS, LinuxKnowledge, parseLineHeader, programKey, readsDigits, type KnowledgeResult } from '@aiops/log-classification';
import { shippedLogLines } from '../support/shipped-log-lines.ts';

const file = loadKnowledgeFile(knowledgeFile());
const triggersOf = (line: string): number => line.split(/\s+/).reduce((t, chunk) => t | (chunk ? chunkTriggers(chunk) : 0), 0);
/** What reaches a decision: the severity, the rule, the logcheck verdict and the program's index key. */
const decision = (r: KnowledgeResult) => ({ severity: r.severity, rule: r.rule, logcheck: r.logcheck, program: r.program ? programKey(r.program) : '' });

/** The line with each digit at the given positions replaced by the next digit (same length, same folded shape). */
function shiftDigits(line: string, step: number): string {
  return line.replace(/\d/g, (d) => String((Number(d) + step) % 10));
}

describe('readsDigits', () => {
  it('tells the patterns that compare digits from those that only count them', () => {
    for (const r of [/status=[1-9]/, /\(uid=0\)/, /EXT[234]-fs/, /(\d)\1/, /[^0]x/, /local[0-7]\./, /<30>1 /, /(?=\d*5)/]) expect({ r: r.source, reads: readsDigits(r) }).toEqual({ r: r.source, reads: true });
    for (const r of [/\d+/, /[0-9a-f]+/, /[^\s:]+/, /[\w.-]+/, /\bport \d{1,5}\b/, /.+/, /[\D]/, /\[ *\d+\.\d+\]/]) expect({ r: r.source, reads: readsDigits(r) }).toEqual({ r: r.source, reads: false });
  });

  it('finds the header patterns that read digits, each of whose digits the memo key keeps (memo-key.ts HEADER_DIGITS)', () => {
    const reading = Object.entries(HEADER_PATTERNS)
      .filter(([, r]) => readsDigits(r))
      .map(([name]) => name);
    expect(reading.sort()).toEqual(['DATE', 'HOST_PROGRAM']); // `<30>1 ` (RFC 5424 version) and `local[0-7]`
  });
});

describe('foldDigits', () => {
  it('folds every ASCII digit to 1 and nothing else, as the regex replace does', () => {
    for (const text of ['', '1', '0x7f 1.2.3.4:8080', 'a\ud800b9 \udfff0', '😀12 é0 ٣', ...shippedLogLines()]) {
      expect({ text, folded: foldDigits(text) }).toEqual({ text, folded: text.replace(/\d/g, '1') });
    }
  });
});

describe('digitBlindCover', () => {
  it('widens what tells digits apart and drops the anchors', () => {
    const cover = digitBlindCover(/^\s[+-]\d{4} \S+ \d{3}0[1-9] (?<!x)(a)\1$/);
    expect(readsDigits(cover)).toBe(false);
    expect(cover.test('host:  +1234 h 12301 aa')).toBe(true);
    expect(cover.test('host:  +1234 h 12399 ab tail')).toBe(true); // the same digit shape, the pattern's back-reference and anchors gone
    expect(cover.test('host: +1234 h 1231 aa')).toBe(false);
  });

  it('matches the folded line wherever a digit-telling pattern matches (families on the line, fail2ban after the date)', () => {
    const lines = shippedLogLines();
    const patterns = [
      ...FAMILIES.map((f) => ({ regex: f.pattern, text: (line: string) => line })),
      ...file.patterns.filter((p) => p.kind === 'fail2ban').flatMap((p) => {
        try {
          return [{ regex: new RegExp(p.source, p.flags), text: (line: string) => parseLineHeader(line).withoutDate }];
        } catch {
          return [];
        }
      }),
    ].filter((p) => readsDigits(p.regex));
    let matched = 0;
    for (const p of patterns) {
      const cover = digitBlindCover(p.regex);
      for (const line of lines) {
        if (!p.regex.test(p.text(line))) continue;
        matched++;
        expect({ pattern: p.regex.source, line, covered: cover.test(foldDigits(line)) }).toEqual({ pattern: p.regex.source, line, covered: true });
      }
    }
    expect(matched).toBeGreaterThan(50);
  });
});

describe('existenceForm', () => {
  it('drops leading optional elements, also inside a leading group, and nothing a match needs', () => {
    expect(existenceForm(/(?:)(?:\[\])?\s*(?:\S+\s+)?(?:(?:x\s+)?y|z?w)v/).source).toBe('(?:y|w)v');
    expect(existenceForm(/a?b|c*/).source).toBe('b|c*');
    expect(existenceForm(/(a)?b\1/).source).toBe('(a)?b\\1'); // a back-reference may name a dropped group
    expect(existenceForm(/\bfoo/).source).toBe('\\bfoo'); // an assertion reads the text around it
  });

  it('matches some part of a text exactly when the regex does', () => {
    const regexes = [/(?:a|b)?\s*(?:c+\s+)?(?:(?:d )?e|f?g)h?/, /x*(?:y?z|\d)+w|(?:v )?u/, /(?:[ab]c)?(?:(?:d|)e)f/];
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'u', 'v', 'w', 'x', 'y', 'z', '1', ' '), { maxLength: 16 }).map((cs) => cs.join(''));
    for (const regex of regexes) {
      const trimmed = existenceForm(regex);
      expect(trimmed.source).not.toBe(regex.source);
      fc.assert(fc.property(text, (t) => trimmed.test(t) === regex.test(t)), { numRuns: 3000 });
    }
  });

  it('gives the memo key\'s covers the same answer on every shipped line, folded', () => {
    const covers = [...FAMILIES.map((f) => f.pattern), ...file.patterns.flatMap((p) => (p.kind === 'fail2ban' ? [new RegExp(p.source, p.flags)] : []))]
      .filter(readsDigits)
      .map(digitBlindCover);
    const lines = [...new Set(shippedLogLines().map(foldDigits))];
    let changed = 0;
    const differing: { cover: string; line: string }[] = [];
    for (const cover of covers) {
      const trimmed = existenceForm(cover);
      if (trimmed.source === cover.source) continue;
      changed++;
      for (const line of lines) if (trimmed.test(line) !== cover.test(line)) differing.push({ cover: cover.source, line });
    }
    expect(differing).toEqual([]);
    expect(changed).toBeGreaterThan(20);
  });
});

describe('the knowledge memo', () => {
  it('keeps the header severity of lines that differ only in their <N>', () => {
    const knowledge = new LinuxKnowledge(file, ALL_KNOWLEDGE);
    const severities = ['<3>kernel: eth0: link is up', '<6>kernel: eth0: link is up', '<30>1 Dec  3 10:00:00 host cron[1]: job done', '<27>1 Dec  3 10:00:00 host cron[1]: job done'].map(
      (line) => knowledge.analyze(line, triggersOf(line)).severity,
    );
    expect(severities).toEqual(['error', 'info', 'info', 'error']);
  });

  it('gives a logcheck verdict that reads a digit to each line, not to its shape', () => {
    const knowledge = new LinuxKnowledge(file, ALL_KNOWLEDGE);
    const root = 'Dec  3 10:00:01 host login[4242]: pam_unix(login:session): session opened for user alice(uid=1000) by LOGIN(uid=0)';
    const other = root.replace('LOGIN(uid=0)', 'LOGIN(uid=7)');
    const first = knowledge.analyze(root, triggersOf(root)).logcheck;
    const second = knowledge.analyze(other, triggersOf(other)).logcheck;
    const fresh = new LinuxKnowledge(file, ALL_KNOWLEDGE).analyze(other, triggersOf(other)).logcheck;
    expect(first).toBe('ignore'); // ignore.d.server/login: a login by LOGIN(uid=0) is routine
    expect(second).toBe(fresh);
    expect(second).not.toBe('ignore');
  });

  it('gives every shipped line with digits, seen after a line of the same shape, the result it gets alone', () => {
    const lines = shippedLogLines().filter((l) => /\d/.test(l));
    const shared = new LinuxKnowledge(file, ALL_KNOWLEDGE);
    const alone = new LinuxKnowledge(file, ALL_KNOWLEDGE);
    let differing = 0;
    for (const line of lines) {
      shared.analyze(line, triggersOf(line));
      for (const step of [1, 5]) {
        const variant = shiftDigits(line, step);
        const got = decision(shared.analyze(variant, triggersOf(variant)));
        alone.clearMemo();
        const want = decision(alone.analyze(variant, triggersOf(variant)));
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          differing++;
          if (differing <= 5) expect({ line, variant, got }).toEqual({ line, variant, got: want });
        }
      }
    }
    expect(differing).toBe(0);
    expect(lines.length).toBeGreaterThan(3000);
    expect(shared.digitSensitivePatterns).toBeGreaterThan(100);
  });
});
