import { describe, expect, it } from 'vitest';
import { LogClassifier } from '../model/log-classifier.ts';
import type { LabeledLine } from './dataset.ts';
import type { GuideExample } from './labeling-guide.ts';
import { buildDocuments, DEFAULT_TRAIN_OPTIONS, trainModel, withGuideDocuments } from './train.ts';

const TEST_CLOCK = { now: new Date('2026-01-02T03:04:05Z'), monotonicMs: () => 0 };

// Two or three templates per class, a few lines each; the guide adds phrases no line contains.
const TEMPLATES: Record<string, string[]> = {
  critical: ['kernel panic on cpu {n}', 'segfault at {n} in libc'],
  warning: ['authentication failure for user{n}', 'connection reset by peer {n}', 'retrying connect to server {n}'],
  informational: ['session opened for user alice{n}', 'service started on port {n}', 'cron job {n} completed'],
  noise: ['heartbeat ok seq {n}', 'ntp time sync offset {n}', 'received SNMP packet {n}'],
};
const lines: LabeledLine[] = Object.entries(TEMPLATES).flatMap(([label, templates]) =>
  templates.flatMap((t, i) => Array.from({ length: 3 + i }, (_, n) => ({ system: 'Syn', template: `Syn/${label}${i}`, message: t.replace('{n}', `x${n}q`), label: label as LabeledLine['label'] }))),
);
const guide: GuideExample[] = [
  { text: 'zorglub meltdown', label: 'critical', rule: 'C1', kind: 'phrase', phrase: 'zorglub meltdown' },
  { text: 'zorglub meltdown detected', label: 'critical', rule: 'C1', kind: 'phrase', phrase: 'zorglub meltdown detected' },
  { text: 'frobnication deferred', label: 'warning', rule: 'W5', kind: 'phrase', phrase: 'frobnication deferred' },
];
const options = { ...DEFAULT_TRAIN_OPTIONS, severityDropout: false, guideExamples: guide, guideWeight: 2 };

const totalsByClass = (docs: { label: string; weight: number }[]) => {
  const totals: Record<string, number> = {};
  for (const d of docs) totals[d.label] = (totals[d.label] ?? 0) + d.weight;
  return totals;
};

describe('guide examples as training documents', () => {
  const real = buildDocuments(lines, options);

  it('are pseudo-templates of guideWeight units inside the class balance', () => {
    const docs = withGuideDocuments(real, options);
    const guideDocs = docs.slice(real.length);
    expect(guideDocs.map((d) => d.template)).toEqual(['guide/C1/0', 'guide/C1/1', 'guide/W5/2']);
    // 11 real templates + 3 × 2 units = 17 units; every class weighs 17 / 4.
    for (const total of Object.values(totalsByClass(docs))) expect(total).toBeCloseTo(17 / 4, 9);
    // critical: 2 real templates + 4 guide units; one guide example is worth two real critical templates.
    const criticalTemplate = docs.filter((d) => d.template === 'Syn/critical0').reduce((a, d) => a + d.weight, 0);
    expect(guideDocs[0]!.weight).toBeCloseTo(2 * criticalTemplate, 9);
  });

  it('or on top of it, each weighing one real template of its class × guideWeight', () => {
    const docs = withGuideDocuments(real, { ...options, guideInClassBalance: false });
    expect(docs.slice(0, real.length)).toEqual(real);
    const criticalTemplate = real.filter((d) => d.template === 'Syn/critical0').reduce((a, d) => a + d.weight, 0);
    expect(docs[real.length]!.weight).toBeCloseTo(2 * criticalTemplate, 9);
  });

  it('teach the model, are recorded in the model file and stay out of the tuned documents', () => {
    const { model } = trainModel(lines, options, TEST_CLOCK);
    expect(model.hyperparameters.guide).toEqual({ examples: 3, weight: 2, inClassBalance: true, perClass: { critical: 2, warning: 1 } });
    expect(model.training.guideDocuments).toBe(3);
    expect(model.training.documents).toBe(real.length);
    expect(model.training.templates).toBe(11);
    const classifier = new LogClassifier(model);
    expect(classifier.classify('zorglub meltdown on node 7').category).toBe('critical');
    const plain = trainModel(lines, { ...options, guideExamples: null }, TEST_CLOCK).model;
    expect(plain.hyperparameters.guide).toBeNull();
    expect(plain.training.guideDocuments).toBe(0);
    expect(new LogClassifier(plain).classify('zorglub meltdown on node 7').category).not.toBe('critical');
  });

  it('become rules before the model when guideRules is on: the phrase decides, with the rules\' precision as confidence', () => {
    // Weight 0.01: the fit barely sees the examples, so the decision must come from the rule.
    const { model } = trainModel(lines, { ...options, guideWeight: 0.01, guideRules: true }, TEST_CLOCK);
    // `zorglub meltdown` (2 words) and `frobnication deferred` (2); none matches a training line.
    expect(model.guideRules?.patterns.map((p) => p.rule)).toEqual(['C1', 'C1', 'W5']);
    expect(model.guideRules?.matchedMessages).toBe(0);
    const classifier = new LogClassifier(model);
    const decided = classifier.classifyLine('queue 7: frobnication deferred, heartbeat ok');
    expect(decided).toMatchObject({ category: 'warning', rule: 'guide:W5', confidence: model.guideRules!.precision });
    const undecided = classifier.classifyLine('heartbeat ok seq x9q');
    expect(undecided).not.toHaveProperty('rule');
    const batch = classifier.decideAll(['frobnication deferred', 'heartbeat ok seq x9q']);
    expect(Array.from(batch.chosen, (c) => classifier.classes[c])).toEqual(['warning', (undecided as { category: string }).category]);
    expect(batch.rules[0]?.rule).toBe('guide:W5');
    const without = trainModel(lines, { ...options, guideWeight: 0.01, guideRules: false }, TEST_CLOCK).model;
    expect(without.guideRules).toBeNull();
  });
});

