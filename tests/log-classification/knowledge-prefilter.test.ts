/**
 * The knowledge's fast path decides as its naive path on every shipped line: the literal prefilter in front of the
 * kernel/systemd families and the fail2ban / logcheck patterns (knowledge/prefilter.ts), and the first-character
 * tests in front of the header patterns (parseLineHeader). Same KnowledgeResult (program, severity, rule, logcheck
 * verdict) means the same features and the same rule, so the same label and `ml_rule` under any trained model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knowledgeFile } from '@aiops/datasets';
import { loadKnowledgeFile } from '@aiops/datasets/log-labels';
import { shippedLogLines as corpus } from '../support/shipped-log-lines.ts';
import { extractMessage } from '@aiops/ml';
import { ALL_KNOWLEDGE, chunkTriggers, LinuxKnowledge, lineSeverity, matchFamilyNaive, parseLineHeader, parseLineHeaderUnguarded, TRIGGER_FAMILY } from '@aiops/log-classification';

const lines = corpus();
const file = loadKnowledgeFile(knowledgeFile());

describe('the knowledge prefilter on every shipped line', () => {
  it('gives the naive path\'s result (program, severity, rule, logcheck) on each, every part on', () => {
    const fast = new LinuxKnowledge(file, ALL_KNOWLEDGE);
    const naive = new LinuxKnowledge(file, ALL_KNOWLEDGE, { prefilter: false });
    let rules = 0;
    let differing = 0;
    for (const line of lines) {
      const triggers = line.split(/\s+/).reduce((t, chunk) => t | (chunk ? chunkTriggers(chunk) : 0), 0);
      const a = fast.analyze(line, triggers);
      const b = naive.analyze(line, triggers);
      if (a.rule) rules++;
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        differing++;
        expect({ line, result: a }).toEqual({ line, result: b });
      }
    }
    expect(differing).toBe(0);
    expect(lines.length).toBeGreaterThan(3000);
    // the rules do fire: the comparison covers decisions, not only misses (292 rules on the repository's own lines,
    // 415 with Loghub's raw samples beside them; 300 failed a clone without ../shared)
    expect(rules).toBeGreaterThan(250);
  });

  it('finds a family trigger word in every shipped line a family matches (else the family never runs on it)', () => {
    let matched = 0;
    for (const line of lines) {
      if (!matchFamilyNaive(line)) continue;
      matched++;
      const triggers = extractMessage(line).split(/\s+/).reduce((t, chunk) => t | (chunk ? chunkTriggers(chunk) : 0), 0);
      expect({ line, family: (triggers & TRIGGER_FAMILY) !== 0 }).toEqual({ line, family: true });
    }
    expect(matched).toBeGreaterThan(50);
  });

  it('parses each line\'s header as every header pattern tried would', () => {
    for (const line of lines) expect(parseLineHeader(line)).toEqual(parseLineHeaderUnguarded(line));
  });

  it('reads each line\'s severity alone as the whole header parse does (lineSeverity)', () => {
    let withSeverity = 0;
    for (const line of lines) {
      const severity = parseLineHeaderUnguarded(line).severity;
      if (severity) withSeverity++;
      expect({ line, severity: lineSeverity(line) }).toEqual({ line, severity });
    }
    expect(withSeverity).toBeGreaterThan(0); // few shipped lines carry one: the generated headers below cover the shapes
  });

  it('parses generated headers the same way', () => {
    const piece = fc.constantFrom('<3>', '<30>1 ', 'Jun 20 02:18:39 ', 'Mar  1 10:00:00 ', '2018-09-13T07:38:02+0000 ', '2024 Jan  2 03:04:05 ', 'host ', 'kern.crit ', 'kern  :err   : ', '[  12.3] ', 'sshd[12]: ', 'kernel: ', 'error: ', ': ', 'x', ' ', '.', 'local3.warn ', 'auth.info ', '{"MESSAGE":"m"}', '{"PRIORITY":"2","MESSAGE":"m"}');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }).map((p) => p.join('')), (line) => {
        const reference = parseLineHeaderUnguarded(line);
        return JSON.stringify(parseLineHeader(line)) === JSON.stringify(reference) && lineSeverity(line) === reference.severity;
      }),
      { numRuns: 5000 },
    );
  });
});
