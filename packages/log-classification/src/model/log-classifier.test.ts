import { describe, expect, it } from 'vitest';
import type { LabeledLine } from '../training/dataset.ts';
import { evaluateClassifier } from '../training/evaluate.ts';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from '../training/train.ts';
import { corpus } from '../testing/synthetic-corpus.ts';
import { LogClassifier } from './log-classifier.ts';
import { compactModel, parseModelFile, type ModelFile } from './model-file.ts';

/** What the service's model store does, without the file: compact → JSON → parse + check. */
const roundTrip = (m: ModelFile, name: string) => parseModelFile(JSON.parse(JSON.stringify(compactModel(m))), name);

describe('LogClassifier', () => {
  const { model } = trainModel(corpus(), DEFAULT_TRAIN_OPTIONS, { now: new Date('2026-01-02T03:04:05Z'), monotonicMs: () => performance.now() });
  const classifier = new LogClassifier(model);

  it('records a versioned model with calibration and decision settings', () => {
    expect(model.modelVersion).toMatch(/^tfidf-logreg-20260102030405-[0-9a-f]{8}$/);
    expect(model.classes).toEqual(['critical', 'informational', 'noise', 'warning']);
    expect(model.calibration.temperature).toBeGreaterThan(0);
    expect(model.training.documents).toBeLessThan(corpus().length); // masked duplicates were merged
  });

  it('classifies a line into {category, confidence, review} and never throws on junk', () => {
    const r = classifier.classifyLine('Jun 14 15:16:01 host kernel[0]: Kernel panic - not syncing on cpu 3');
    expect(r).toMatchObject({ category: 'critical', truncated: false });
    if (!('rejected' in r)) {
      expect(r.review).toBe(r.confidence < 0.6);
      expect(Object.values(r.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    expect(classifier.classifyLine('')).toMatchObject({ rejected: 'empty' });
    expect(classifier.classifyLine('\u0000\u0001\u0002\u0003\u0004')).toMatchObject({ rejected: 'binary' });
    const huge = classifier.classifyLine('session opened for user x '.repeat(50_000));
    expect(huge).toMatchObject({ truncated: true, category: 'informational' });
    expect(huge.line.length).toBeLessThanOrEqual(2000);
    expect(classifier.classify('')).toEqual({ category: 'noise', confidence: 0, unseenTokenRatio: 1 });
  });

  it('reports unseen tokens for drift', () => {
    const r = classifier.classifyLine('zorglub quux frobnicated');
    expect('rejected' in r ? -1 : r.unseenTokenRatio).toBe(1);
  });

  it('explains a line by the terms that pushed it', () => {
    const { terms } = classifier.explainLine('Out of memory: kill process 42');
    expect(terms.map((t) => t.term)).toContain('memory');
    expect(terms[0]!.weight).toBeGreaterThan(0);
    expect(classifier.topTerms(3).noise).toHaveLength(3);
  });

  it('round-trips through the model file and rejects a corrupt one', () => {
    const loaded = new LogClassifier(roundTrip(model, 'm.json'));
    const line = 'connection reset by peer 10.9.9.9';
    expect(loaded.classifyLine(line)).toMatchObject({ category: (classifier.classifyLine(line) as { category: string }).category });
    expect(() => roundTrip({ ...model, weights: { ...model.weights, coefficients: [[1]] } }, 'bad.json')).toThrow(/bad\.json: field weights\.coefficients/);
  });

  it('scores itself per line and per template', () => {
    const e = evaluateClassifier(classifier, corpus());
    expect(e.templates).toBe(24);
    expect(e.perLine.macroF1).toBeGreaterThan(0.9); // training data: a smoke check, not a quality claim
    expect(e.perTemplate.perClass.critical!.support).toBeCloseTo(6, 9);
  });

  it('uses the line\'s own severity when given, and the text alone when it is unknown', () => {
    const lines: LabeledLine[] = corpus().map((l) => ({ ...l, severity: l.label === 'critical' ? 'fatal' : l.label === 'warning' ? 'warn' : 'info' }));
    const withSeverity = new LogClassifier(trainModel(lines, DEFAULT_TRAIN_OPTIONS, { now: new Date('2026-01-02T03:04:05Z'), monotonicMs: () => performance.now() }).model);
    expect(withSeverity.features.word.column('__sev_fatal__')).toBeDefined();
    const line = 'zorglub quux frobnicated';
    const bare = withSeverity.classifyLine(line) as { probabilities: Record<string, number> };
    const fatal = withSeverity.classifyLine(line, { severity: 'CRIT' }) as { probabilities: Record<string, number> };
    expect(fatal.probabilities.critical).toBeGreaterThan(bare.probabilities.critical!);
    expect(withSeverity.classifyLine(line, { severity: 'combo' })).toEqual(bare);
    expect(withSeverity.classify(line, { severity: null })).toEqual(withSeverity.classify(line));
  });

  it('rejects a model file whose class biases do not match its classes', () => {
    expect(() => roundTrip({ ...model, decision: { ...model.decision, classBias: [0, 1] } }, 'bias.json')).toThrow(/bias\.json: field decision\.classBias/);
  });
});
