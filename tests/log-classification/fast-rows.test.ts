import { describe, expect, it } from 'vitest';
import { labelsDir, loghubDir } from '@aiops/datasets';
import { loadLabeledLoghub, loadLabelingGuide } from '@aiops/datasets/log-labels';
import { DEFAULT_TRAIN_OPTIONS, FastRows, LogClassifier, trainModel, trainOptionsWithGuide } from '@aiops/log-classification';

const TEST_CLOCK = { now: new Date('2026-01-02T03:04:05Z'), monotonicMs: () => 0 };

describe('FastRows on the real shipped lines (data/loghub)', () => {
  const lines = loadLabeledLoghub(labelsDir(), loghubDir());
  // Two systems, one with a severity column: enough vocabulary, quick to fit.
  const some = lines.filter((l) => l.system === 'Hadoop' || l.system === 'OpenSSH');
  const { model } = trainModel(some, { ...DEFAULT_TRAIN_OPTIONS, calibrate: false, tuneCriticalThreshold: false }, TEST_CLOCK);
  const classifier = new LogClassifier(model);
  const fast = new FastRows(classifier.features);

  it('gives the same row as the CSR path for every line, with and without severity', () => {
    // Lines of other systems too: unseen tokens and bigrams of known unigrams must be missed the same way.
    const probe = lines.filter((_, i) => i % 7 === 0);
    let compared = 0;
    for (const line of probe) {
      for (const [message, severity] of [[line.message, line.severity], [`Jun 14 15:16:01 combo prog[42]: ${line.message}`, undefined]] as const) {
        const slow = classifier.features.transformAnalyzed([classifier.features.analyze(message, severity)]);
        const row = fast.featurize(message, severity);
        expect(Array.from(row.cols.subarray(0, row.nnz))).toEqual(Array.from(slow.indices));
        for (let p = 0; p < row.nnz; p++) expect(row.values[p]).toBeCloseTo(slow.data[p]!, 12);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(4000);
  }, 60_000);

  it('cuts and memoizes the tokens of a chunk as the tokenizer does (token table), placeholders and stop words too', () => {
    const chunks = ['<NUM>x', 'x<ip>y', '<a1>b', '<>', '<num', 'a<b>', 'The', 'AND_or', 'a_', '_a', 'Ab9', 'ssh2', 'ÉCHEC', 'naïve-x', 'DENIED:', 'a-b-cd', '<<num>>'];
    for (const order of [chunks, [...chunks].reverse()]) {
      fast.clearMemo();
      for (const chunk of order) {
        for (const message of [`from ${chunk} to`, `${chunk}`, `${chunk} ${chunk.toUpperCase()}`]) {
          const slow = classifier.features.transformAnalyzed([classifier.features.analyze(message, undefined)]);
          const row = fast.featurize(message, undefined);
          expect({ message, cols: Array.from(row.cols.subarray(0, row.nnz)) }).toEqual({ message, cols: Array.from(slow.indices) });
          expect(row.tokens).toBe(classifier.features.analyze(message, undefined).tokens.length);
        }
      }
    }
  });

  it('gives the vocabulary\'s words (stored in the token table when built, kept through clearMemo) as a token miss would', () => {
    // Each word of the vocabulary alone, upper-cased, glued to others and to digits, from emptied memos each round:
    // the stored entries must give the rows the CSR path gives, as the misses they replace did.
    const words = classifier.features.word.featureNames.filter((t) => !t.includes(' '));
    expect(words.length).toBeGreaterThan(300);
    for (let round = 0; round < 2; round++) {
      fast.clearMemo();
      for (let i = 0; i < words.length; i += 3) {
        const [a, b = 'x', c = 'y'] = words.slice(i, i + 3);
        for (const message of [`${a} ${b} ${c}`, `${a!.toUpperCase()}:${b}_${c} ${b}7`, `(${c}) [${a}]`]) {
          const slow = classifier.features.transformAnalyzed([classifier.features.analyze(message, undefined)]);
          const row = fast.featurize(message, undefined);
          expect({ message, cols: Array.from(row.cols.subarray(0, row.nnz)) }).toEqual({ message, cols: Array.from(slow.indices) });
          expect(row.unseenTokens).toBe(classifier.features.analyze(message, undefined).tokens.filter((t) => classifier.features.word.column(t) === undefined).length);
        }
      }
    }
  });

  it('never lets a chunk that keeps a digit stand for another chunk of its digit shape', () => {
    // `ssh1` keeps its digit as a token and is its own digit shape; `ssh2` has that shape but another token.
    expect(classifier.features.word.column('ssh2')).toBeDefined();
    for (const [first, second] of [['ssh1', 'ssh2'], ['ssh2', 'ssh1'], ['port 10.0.0.1:80', 'port 10.0.0.7:8080'], ['0x1f', '0x2e']]) {
      fast.clearMemo();
      fast.featurize(`from ${first} x`, undefined);
      const row = fast.featurize(`from ${second} x`, undefined);
      const slow = classifier.features.transformAnalyzed([classifier.features.analyze(`from ${second} x`, undefined)]);
      expect(Array.from(row.cols.subarray(0, row.nnz))).toEqual(Array.from(slow.indices));
    }
  });

  it('classifies a batch exactly as line by line', () => {
    const probe = lines.filter((_, i) => i % 50 === 0);
    const proba = classifier.probabilitiesOf(probe.map((l) => l.message), probe.map((l) => l.severity));
    probe.forEach((l, i) => {
      const one = classifier.classifyLine(l.message, { severity: l.severity ?? null });
      if ('rejected' in one) throw new Error(`rejected: ${l.message}`);
      expect(classifier.classes[classifier.decide(proba, i * 4)]).toBe(one.category);
      expect(proba[i * 4 + classifier.classes.indexOf(one.category)]).toBeCloseTo(one.confidence, 12);
    });
  });

  it('finds the same guide rule as the token path, on every probed line', () => {
    const guided = new LogClassifier(trainModel(some, { ...trainOptionsWithGuide(loadLabelingGuide(labelsDir())), calibrate: false, tuneClassBias: false }, TEST_CLOCK).model);
    expect(guided.rules).not.toBeNull();
    const guidedFast = new FastRows(guided.features, guided.rules);
    let matched = 0;
    for (const line of lines.filter((_, i) => i % 5 === 0)) {
      const expected = guided.rules!.matchTokens(guided.features.analyze(line.message).tokens);
      expect(guidedFast.featurize(line.message, undefined).rule).toEqual(expected);
      if (expected) matched++;
    }
    // Rules must actually fire on real lines, or the comparison proves nothing.
    expect(matched).toBeGreaterThan(500);
  }, 60_000);

  it('decides every line through the line memo exactly as without it (same class, rule and probabilities)', () => {
    // Lines that differ only in masked digits share a memo entry; a fresh memo per line is the reference.
    const probe = lines.filter((_, i) => i % 5 === 0).flatMap((l) => [l.message, l.message.replace(/\d/g, (d) => String((Number(d) + 3) % 10)), `Jun 14 15:16:01 combo prog[42]: ${l.message}`]);
    const batch = classifier.decideAll(probe);
    const reference = new LogClassifier(model);
    let hits = 0;
    const seen = new Set<string>();
    probe.forEach((message, i) => {
      reference.clearCaches();
      const one = reference.decideAll([message]);
      expect(batch.chosen[i]).toBe(one.chosen[0]);
      expect(batch.rules[i]).toEqual(one.rules[0]);
      for (let c = 0; c < 4; c++) expect(batch.probabilities[i * 4 + c]).toBe(one.probabilities[c]);
      const shape = message.replace(/\d/g, '1');
      if (seen.has(shape)) hits++;
      seen.add(shape);
    });
    expect(hits).toBeGreaterThan(600); // the memo was exercised, not only filled
  }, 60_000);
});
