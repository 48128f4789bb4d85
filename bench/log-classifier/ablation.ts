/**
 * The evaluation behind docs/evaluation/logs.md: an ablation from the seed's pipeline to ours (each step's effect,
 * mean over three template splits), leave-one-system-out scores, the reliability diagram and the costliest
 * confusions. `pnpm exec tsx bench/log-classifier/ablation.ts` — prints markdown, writes
 * out/bench/log-classifier-ablation.json and docs/evaluation/img/logs-*.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classificationReport } from '@aiops/ml';
import { writeSvg } from '../lib/plot.ts';
import { loadLabeledLoghub, sharedDir } from '../../services/log-classifier/src/training/dataset.ts';
import { evaluateClassifier, predictAll } from '../../services/log-classifier/src/training/evaluate.ts';
import { reliabilitySpec } from '../../services/log-classifier/src/training/reliability-plot.ts';
import { stratifiedTemplateSplit, templateLabels } from '../../services/log-classifier/src/training/split.ts';
import { DEFAULT_TRAIN_OPTIONS, SEED_TRAIN_OPTIONS, trainModel, type TrainOptions } from '../../services/log-classifier/src/training/train.ts';
import { LogClassifier } from '../../services/log-classifier/src/model/log-classifier.ts';

const root = new URL('../..', import.meta.url).pathname;
const shared = sharedDir();
const lines = loadLabeledLoghub(join(shared, 'labels'), join(shared, 'data/loghub'));
const SEEDS = [42, 1, 2];
const CHAR: [number, number] = [3, 5];

const steps: [string, TrainOptions][] = [
  ['1. seed: raw lines, word 1–2-grams, balanced LR', SEED_TRAIN_OPTIONS],
  ['2. + header strip, masking, log stop words', { ...SEED_TRAIN_OPTIONS, features: { ...SEED_TRAIN_OPTIONS.features, mask: true, stopWords: true } }],
  ['3. + dedup masked messages, template-weighted', { ...SEED_TRAIN_OPTIONS, features: DEFAULT_TRAIN_OPTIONS.features, dedup: true, templateWeighting: true }],
  ['4. + char 3–5-grams', { ...SEED_TRAIN_OPTIONS, features: { ...DEFAULT_TRAIN_OPTIONS.features, charNgramRange: CHAR }, dedup: true, templateWeighting: true }],
  ['5. step 3 + temperature + critical threshold (default)', DEFAULT_TRAIN_OPTIONS],
  ['6. step 4 + temperature + critical threshold', { ...DEFAULT_TRAIN_OPTIONS, features: { ...DEFAULT_TRAIN_OPTIONS.features, charNgramRange: CHAR } }],
];

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ablation = steps.map(([name, options]) => {
  const runs = SEEDS.map((seed) => {
    const heldOut = stratifiedTemplateSplit(templateLabels(lines), 0.2, seed);
    const { model, seconds } = trainModel(lines.filter((l) => !heldOut.has(l.template)), { ...options, seed });
    const e = evaluateClassifier(new LogClassifier(model), lines.filter((l) => heldOut.has(l.template)));
    return {
      seed,
      seconds,
      macroF1: e.perLine.macroF1,
      criticalRecall: e.perLine.perClass.critical!.recall,
      criticalPrecision: e.perLine.perClass.critical!.precision,
      noisePrecision: e.perLine.perClass.noise!.precision,
      templateMacroF1: e.perTemplate.macroF1,
      templateCriticalRecall: e.perTemplate.perClass.critical!.recall,
      ece: e.ece,
      criticalAsNoise: e.criticalAsNoise.lines,
    };
  });
  const avg = (k: keyof (typeof runs)[number]) => mean(runs.map((r) => r[k] as number));
  return {
    name,
    runs,
    macroF1: avg('macroF1'),
    criticalRecall: avg('criticalRecall'),
    criticalPrecision: avg('criticalPrecision'),
    noisePrecision: avg('noisePrecision'),
    templateMacroF1: avg('templateMacroF1'),
    templateCriticalRecall: avg('templateCriticalRecall'),
    ece: avg('ece'),
    seconds: avg('seconds'),
    seed42: runs[0]!,
  };
});

// Leave one system out: train on the other 13 systems, score every labeled line of the one left out.
const systems = [...new Set(lines.map((l) => l.system))].sort();
const loso = systems.map((system) => {
  const { model } = trainModel(lines.filter((l) => l.system !== system), DEFAULT_TRAIN_OPTIONS);
  const test = lines.filter((l) => l.system === system);
  const classifier = new LogClassifier(model);
  const predicted = predictAll(classifier, test.map((l) => l.message)).categories;
  const present = [...new Set(test.map((l) => l.label))].sort();
  const report = classificationReport(test.map((l) => l.label), predicted, classifier.classes);
  const macroPresent = mean(present.map((c) => report.perClass[c]!.f1));
  return {
    system,
    lines: test.length,
    templates: new Set(test.map((l) => l.template)).size,
    classes: present.join(' '),
    accuracy: report.accuracy,
    macroF1PresentClasses: macroPresent,
    criticalRecall: present.includes('critical') ? report.perClass.critical!.recall : null,
  };
});

// Calibration and confusions of the default model on the seed-42 split.
const heldOut42 = stratifiedTemplateSplit(templateLabels(lines), 0.2, 42);
const model42 = trainModel(lines.filter((l) => !heldOut42.has(l.template)), DEFAULT_TRAIN_OPTIONS).model;
const e42 = evaluateClassifier(new LogClassifier(model42), lines.filter((l) => heldOut42.has(l.template)));
const noThreshold = new LogClassifier({ ...model42, decision: { ...model42.decision, criticalThreshold: null } });
const e42argmax = evaluateClassifier(noThreshold, lines.filter((l) => heldOut42.has(l.template)));
const uncalibrated = new LogClassifier({ ...model42, calibration: { ...model42.calibration, temperature: 1 }, decision: { ...model42.decision, criticalThreshold: null } });
const e42raw = evaluateClassifier(uncalibrated, lines.filter((l) => heldOut42.has(l.template)));

const imgDir = join(root, 'docs/evaluation/img');
await writeSvg(join(imgDir, 'logs-reliability.svg'), reliabilitySpec(e42argmax.reliability, `Held-out templates, argmax, T=${model42.calibration.temperature.toFixed(2)} (ECE ${e42argmax.ece.toFixed(3)})`) as never);
await writeSvg(join(imgDir, 'logs-ablation.svg'), {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: 'Ablation (mean of 3 template splits)',
  width: 420,
  height: 220,
  data: {
    values: ablation.flatMap((a) => [
      { step: a.name.slice(0, 2), metric: 'macro-F1 per line', value: a.macroF1 },
      { step: a.name.slice(0, 2), metric: 'critical recall per line', value: a.criticalRecall },
      { step: a.name.slice(0, 2), metric: 'macro-F1 per template', value: a.templateMacroF1 },
    ]),
  },
  mark: 'bar',
  encoding: {
    x: { field: 'step', type: 'nominal', title: 'step' },
    xOffset: { field: 'metric' },
    y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] } },
    color: { field: 'metric', type: 'nominal' },
  },
});

const f = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const out = [
  `## Ablation (held-out templates; mean of split seeds ${SEEDS.join(', ')}; seed-42 value in brackets)`,
  '| step | macro-F1 line | critical recall line | critical precision line | noise precision line | macro-F1 template | critical recall template | ECE | fit s |',
  '|---|---|---|---|---|---|---|---|---|',
  ...ablation.map((a) => `| ${a.name} | ${f(a.macroF1)} (${f(a.seed42.macroF1)}) | ${f(a.criticalRecall)} (${f(a.seed42.criticalRecall)}) | ${f(a.criticalPrecision)} | ${f(a.noisePrecision)} | ${f(a.templateMacroF1)} (${f(a.seed42.templateMacroF1)}) | ${f(a.templateCriticalRecall)} | ${f(a.ece)} | ${a.seconds.toFixed(2)} |`),
  '',
  '## Leave one system out (default pipeline)',
  '| system | lines | templates | classes present | accuracy | macro-F1 (present classes) | critical recall |',
  '|---|---|---|---|---|---|---|',
  ...loso.map((r) => `| ${r.system} | ${r.lines} | ${r.templates} | ${r.classes} | ${f(r.accuracy)} | ${f(r.macroF1PresentClasses)} | ${f(r.criticalRecall)} |`),
  '',
  `## Seed-42 split, default model (T = ${model42.calibration.temperature.toFixed(3)}, critical threshold ${model42.decision.criticalThreshold})`,
  `ECE: uncalibrated argmax ${e42raw.ece.toFixed(3)}, temperature-scaled argmax ${e42argmax.ece.toFixed(3)}, with the critical threshold ${e42.ece.toFixed(3)}`,
  `confusion per line (rows true, cols predicted ${e42.perLine.classes.join('/')}): ${JSON.stringify(e42.perLine.confusion)}`,
  `confusion per template: ${JSON.stringify(e42.perTemplate.confusion.map((r) => r.map((v) => Number(v.toFixed(1)))))}`,
  `critical → noise: ${e42.criticalAsNoise.lines} lines, templates ${e42.criticalAsNoise.templates.join(', ') || 'none'}`,
  'worst errors:',
  ...e42.errors.slice(0, 12).map((e) => `- ${e.template} ${e.truth} → ${e.predicted} (${e.lines} lines): ${e.example.slice(0, 110)}`),
].join('\n');
console.log(out);
mkdirSync(join(root, 'out/bench'), { recursive: true });
writeFileSync(join(root, 'out/bench/log-classifier-ablation.json'), JSON.stringify({ ablation, loso, seed42: { perLine: e42.perLine, perTemplate: e42.perTemplate, ece: e42.ece, eceArgmax: e42argmax.ece, eceUncalibrated: e42raw.ece, errors: e42.errors.slice(0, 40) } }, null, 2));
