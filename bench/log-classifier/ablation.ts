/**
 * The evaluation behind docs/evaluation/logs.md: an ablation from the seed's pipeline to ours (each step's effect,
 * mean ± sd over the SPLIT_SEEDS template splits), leave-one-system-out scores, the reliability diagram and the
 * costliest confusions. `pnpm exec tsx bench/log-classifier/ablation.ts` — prints markdown, writes
 * out/bench/log-classifier-ablation.json and docs/evaluation/img/logs-*.svg.
 */
import { systemClock } from '@aiops/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classificationReport } from '@aiops/ml';
import { writeSvg } from '@aiops/plots';
import { labelsDir, loghubDir } from '@aiops/datasets';
import { loadLabeledLoghub, loadLabelingGuide } from '@aiops/datasets/log-labels';
import { evaluateClassifier, predictAll } from '@aiops/log-classification';
import { reliabilitySpec } from '@aiops/log-classification';
import { DEFAULT_TRAIN_OPTIONS, SEED_TRAIN_OPTIONS, trainModel, trainOptionsWithGuide, type TrainOptions } from '@aiops/log-classification';
import { LogClassifier } from '@aiops/log-classification';
import { formatSpread, makeSplit, scoreSplit, SPLIT_SEEDS, summarize } from './splits.ts';

const root = new URL('../..', import.meta.url).pathname;
const lines = loadLabeledLoghub(labelsDir(), loghubDir());
const seeds = process.env.ABLATION_SEEDS ? process.env.ABLATION_SEEDS.split(',').map(Number) : SPLIT_SEEDS;
const splits = seeds.map((seed) => makeSplit(lines, seed));

const D = { ...DEFAULT_TRAIN_OPTIONS, guideExamples: null };
const withGuide = trainOptionsWithGuide(loadLabelingGuide(labelsDir()));
const plain = { ...D.features, severity: false, lexicon: false };
const previous: TrainOptions = { ...D, features: plain, tuneClassBias: false, tuneCriticalThreshold: true, criticalBeta: 2, C: 1, severityDropout: false };
const steps: [string, TrainOptions][] = [
  ['1. seed: raw lines, word 1–2-grams, balanced LR', SEED_TRAIN_OPTIONS],
  ['2. + header strip, masking, log stop words', { ...SEED_TRAIN_OPTIONS, features: { ...SEED_TRAIN_OPTIONS.features, mask: true, stopWords: true } }],
  ['3. + dedup masked messages, template-weighted', { ...SEED_TRAIN_OPTIONS, features: plain, dedup: true, templateWeighting: true }],
  ['4. + temperature + critical threshold (previous default)', previous],
  ['5. + severity token (trained with and without)', { ...previous, features: { ...plain, severity: true }, severityDropout: true }],
  ['6. + keyword groups of the labeling guide', { ...previous, features: { ...plain, severity: true, lexicon: true }, severityDropout: true }],
  ['7. + class biases (F3 for critical) instead of the critical threshold', { ...previous, features: D.features, severityDropout: true, tuneClassBias: true, criticalBeta: 3 }],
  ['8. + C = 3 (default without the guide)', D],
  ['9. step 8 with the critical threshold instead of class biases', { ...D, tuneClassBias: false, tuneCriticalThreshold: true }],
  ['10. step 8 + char 3–5-grams', { ...D, features: { ...D.features, charNgramRange: [3, 5] } }],
  ['11. step 8 + the labeling guide\'s phrases as training documents', { ...withGuide, guideRules: false }],
  ['12. + the guide\'s phrases as rules before the model (**default**)', withGuide],
];

const ablation = steps.map(([name, options]) => {
  const runs = splits.map((split) => scoreSplit(split, options));
  process.stderr.write(`${name}: macro-F1 ${summarize(runs).macroF1.mean.toFixed(3)}\n`);
  return { name, runs, summary: summarize(runs) };
});

// Leave one system out: train on the other 13 systems, score every labeled line of the one left out.
const systems = [...new Set(lines.map((l) => l.system))].sort();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const loso = systems.map((system) => {
  const { model } = trainModel(lines.filter((l) => l.system !== system), withGuide, systemClock());
  const test = lines.filter((l) => l.system === system);
  const classifier = new LogClassifier(model);
  const present = [...new Set(test.map((l) => l.label))].sort();
  const score = (severities: (string | undefined)[] | undefined) => {
    const predicted = predictAll(classifier, test.map((l) => l.message), severities).categories;
    const report = classificationReport(test.map((l) => l.label), predicted, classifier.classes);
    return { report, macroPresent: mean(present.map((c) => report.perClass[c]!.f1)) };
  };
  const withSeverity = score(test.map((l) => l.severity));
  const without = score(undefined);
  return {
    system,
    lines: test.length,
    templates: new Set(test.map((l) => l.template)).size,
    severity: test.some((l) => l.severity),
    classes: present.join(' '),
    accuracy: withSeverity.report.accuracy,
    macroF1PresentClasses: withSeverity.macroPresent,
    macroF1NoSeverity: without.macroPresent,
    criticalRecall: present.includes('critical') ? withSeverity.report.perClass.critical!.recall : null,
  };
});

// Calibration and confusions of the default model on the seed-42 split.
const split42 = makeSplit(lines, 42);
const model42 = trainModel(split42.train, withGuide, systemClock()).model;
const e42 = evaluateClassifier(new LogClassifier(model42), split42.test);
const argmaxModel = new LogClassifier({ ...model42, decision: { ...model42.decision, criticalThreshold: null, classBias: null } });
const e42argmax = evaluateClassifier(argmaxModel, split42.test);
const uncalibrated = new LogClassifier({ ...model42, calibration: { ...model42.calibration, temperature: 1 }, decision: { ...model42.decision, criticalThreshold: null, classBias: null } });
const e42raw = evaluateClassifier(uncalibrated, split42.test);

// The costliest confusion over every split of the default (the last step).
const defaultRuns = ablation[ablation.length - 1]!.runs;
const criticalAsNoise = new Map<string, number>();
for (const run of defaultRuns) for (const t of run.criticalAsNoiseTemplates) criticalAsNoise.set(t, (criticalAsNoise.get(t) ?? 0) + 1);

const imgDir = join(root, 'docs/evaluation/img');
await writeSvg(join(imgDir, 'logs-reliability.svg'), reliabilitySpec(e42argmax.reliability, `Held-out templates (seed 42), argmax, T=${model42.calibration.temperature.toFixed(2)} (ECE ${e42argmax.ece.toFixed(3)})`) as never);
await writeSvg(join(imgDir, 'logs-ablation.svg'), {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `Ablation (mean ± sd over ${splits.length} template splits)`,
  width: 520,
  height: 240,
  data: {
    values: ablation.flatMap((a) => [
      { step: a.name.split('.')[0], metric: 'macro-F1 per line', value: a.summary.macroF1.mean, sd: a.summary.macroF1.std },
      { step: a.name.split('.')[0], metric: 'critical recall per line', value: a.summary.criticalRecall.mean, sd: a.summary.criticalRecall.std },
      { step: a.name.split('.')[0], metric: 'macro-F1 per template', value: a.summary.templateMacroF1.mean, sd: a.summary.templateMacroF1.std },
    ]),
  },
  transform: [{ calculate: 'datum.value - datum.sd', as: 'low' }, { calculate: 'datum.value + datum.sd', as: 'high' }],
  encoding: {
    x: { field: 'step', type: 'ordinal', title: 'step', sort: null },
    xOffset: { field: 'metric' },
    color: { field: 'metric', type: 'nominal' },
  },
  layer: [
    { mark: 'bar', encoding: { y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: 'mean over splits' } } },
    { mark: { type: 'rule', color: 'black' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
  ],
} as never);

const f = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const out = [
  `## Ablation (held-out templates; mean ± sd (min) over split seeds ${seeds.join(', ')})`,
  '| step | macro-F1 line | critical recall line | macro-F1 line, severity withheld | critical recall line, severity withheld | critical precision line | macro-F1 template | critical recall template | ECE | fit s |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...ablation.map(({ name, summary: m }) =>
    `| ${name} | ${formatSpread(m.macroF1)} | ${formatSpread(m.criticalRecall)} | ${formatSpread(m.noSeverityMacroF1)} | ${formatSpread(m.noSeverityCriticalRecall)} | ${f(m.criticalPrecision.mean)} | ${formatSpread(m.templateMacroF1)} | ${formatSpread(m.templateCriticalRecall)} | ${f(m.ece.mean)} | ${m.seconds.mean.toFixed(2)} |`),
  '',
  'per split (default): ' + defaultRuns.map((r) => `seed ${r.seed}: F1 ${r.macroF1.toFixed(2)} / crit R ${r.criticalRecall.toFixed(2)}`).join('; '),
  '',
  '## Leave one system out (default pipeline)',
  '| system | lines | templates | severity in source | classes present | accuracy | macro-F1 (present classes) | same, severity withheld | critical recall |',
  '|---|---|---|---|---|---|---|---|---|',
  ...loso.map((r) => `| ${r.system} | ${r.lines} | ${r.templates} | ${r.severity ? 'yes' : 'no'} | ${r.classes} | ${f(r.accuracy)} | ${f(r.macroF1PresentClasses)} | ${f(r.macroF1NoSeverity)} | ${f(r.criticalRecall)} |`),
  '',
  `## Seed-42 split, default model (T = ${model42.calibration.temperature.toFixed(3)}, class bias ${JSON.stringify(model42.decision.classBias)}, critical threshold ${model42.decision.criticalThreshold})`,
  `ECE: uncalibrated argmax ${e42raw.ece.toFixed(3)}, temperature-scaled argmax ${e42argmax.ece.toFixed(3)}, with the tuned decision ${e42.ece.toFixed(3)}`,
  `confusion per line (rows true, cols predicted ${e42.perLine.classes.join('/')}): ${JSON.stringify(e42.perLine.confusion)}`,
  `confusion per template: ${JSON.stringify(e42.perTemplate.confusion.map((r) => r.map((v) => Number(v.toFixed(1)))))}`,
  `critical → noise (seed 42): ${e42.criticalAsNoise.lines} lines, templates ${e42.criticalAsNoise.templates.join(', ') || 'none'}`,
  `critical → noise over all ${defaultRuns.length} splits: ${defaultRuns.reduce((a, r) => a + r.criticalAsNoiseLines, 0)} lines; templates (splits): ${[...criticalAsNoise].map(([t, n]) => `${t} (${n})`).join(', ') || 'none'}`,
  'worst errors (seed 42):',
  ...e42.errors.slice(0, 12).map((e) => `- ${e.template} ${e.truth} → ${e.predicted} (${e.lines} lines): ${e.example.slice(0, 110)}`),
].join('\n');
console.log(out);
mkdirSync(join(root, 'out/bench'), { recursive: true });
writeFileSync(
  join(root, 'out/bench/log-classifier-ablation.json'),
  JSON.stringify({ seeds, ablation, loso, seed42: { perLine: e42.perLine, perTemplate: e42.perTemplate, ece: e42.ece, eceArgmax: e42argmax.ece, eceUncalibrated: e42raw.ece, errors: e42.errors.slice(0, 40) } }, null, 2),
);
