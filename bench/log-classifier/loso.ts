/**
 * Leave one source out on the Linux-server lines of data/linux-logs: for each of its sources, train on every other
 * source's lines plus the Loghub labels and the labeling guide (the default training data), classify the left-out
 * source's lines (rules, then the model, as `classify` does), and pool the predictions. Each source is a public
 * repository the lines were taken from, so a fold's test lines come from other systems, other authors and often
 * other daemons than anything it was trained on. scikit-learn's seed pipeline runs on the same folds.
 *
 *   pnpm exec tsx bench/log-classifier/loso.ts              # ours (default) and scikit-learn, ~1 min
 *   KNOWLEDGE=none|all|header,families,… …    # the knowledge parts (ablation), default the default model's
 *   NO_DOMAIN=1 …            # train without any data/linux-logs line (what the model knew before this data)
 *   GUIDE=all|base|filtered|filtered-all|none …   # the labeling guide: with its Linux additions (default), without them
 *                            # (base), the additions that quote a line of the held-out source removed per fold (filtered:
 *                            # the lower bound, since the additions were written reading these lines), every guide
 *                            # example that quotes one removed (filtered-all), or no guide
 *   ERRORS=1 …               # print every misclassified line
 *   SKLEARN=0 …              # ours only
 *   PLOT=out/lc/loso-reliability.svg …   # the pooled reliability diagram
 *
 * Prints per-class P/R/F1, the confusion matrix, critical → noise per source, per-source macro-F1, ECE, and writes
 * out/bench/log-classifier-loso.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock } from '@aiops/common';
import { classificationReport, confusionMatrix, expectedCalibrationError } from '@aiops/ml';
import { filterGuideLeaks, LogClassifier, maskedTokenizer, predictAll, reliabilitySpec, trainModel, type GuideExample, type LabeledLine } from '@aiops/log-classification';
import { writeSvg } from '@aiops/plots';
import { defaultOptions, knowledgeParts, linuxLines, loghubLines } from './default-data.ts';

const root = join(import.meta.dirname, '..', '..');
const CLASSES = ['critical', 'informational', 'noise', 'warning'];

const loghub = loghubLines();
const domain = linuxLines();
const sources = [...new Set(domain.map((l) => l.source))];
const guideMode = process.env.GUIDE ?? 'all';
if (!['all', 'base', 'filtered', 'filtered-all', 'none'].includes(guideMode)) throw new Error(`GUIDE=${guideMode}: one of all, base, filtered, filtered-all, none`);
const options = defaultOptions(undefined, undefined, guideMode !== 'base');
const baseGuide = new Set((defaultOptions(undefined, undefined, false).guideExamples ?? []).map((e) => `${e.label}\u0000${e.text}`));
const tokenize = maskedTokenizer(options.features);
const noDomain = process.env.NO_DOMAIN === '1';

/** The fold's guide examples under GUIDE. */
function guideFor(test: readonly LabeledLine[]): GuideExample[] | null {
  const all = options.guideExamples ?? [];
  if (guideMode === 'none') return null;
  if (guideMode === 'all' || guideMode === 'base') return [...all];
  const { kept, dropped } = filterGuideLeaks(all, test.map((l) => l.message), tokenize);
  if (guideMode === 'filtered-all') return kept;
  // filtered: only the additions' leaks go; the base guide predates these lines.
  const droppedAdditions = new Set(dropped.filter((e) => !baseGuide.has(`${e.label}\u0000${e.text}`)));
  return all.filter((e) => !droppedAdditions.has(e));
}
console.error(`loso: knowledge ${JSON.stringify(knowledgeParts())}${noDomain ? ', no Linux-server lines in training' : ''}`);

interface FoldResult {
  source: string;
  lines: LabeledLine[];
  predicted: string[];
  confidence: number[];
  rules: (string | null)[];
  seconds: number;
}

const folds: FoldResult[] = [];
for (const source of sources) {
  const test = domain.filter((l) => l.source === source);
  const train = [...loghub, ...(noDomain ? [] : domain.filter((l) => l.source !== source))];
  const t0 = performance.now();
  const guideExamples = guideFor(test);
  const { model } = trainModel(train, { ...options, guideExamples }, systemClock());
  const seconds = (performance.now() - t0) / 1000;
  const classifier = new LogClassifier(model);
  const { categories, confidences } = predictAll(
    classifier,
    test.map((l) => l.message),
    test.map((l) => l.severity),
  );
  const rules = test.map((l) => {
    const r = classifier.classifyLine(l.message, { severity: l.severity ?? null });
    return 'rule' in r && r.rule ? r.rule : null;
  });
  folds.push({ source, lines: test, predicted: categories, confidence: Array.from(confidences), rules, seconds });
  console.error(`loso: ${source}: ${test.length} lines, trained in ${seconds.toFixed(1)} s (guide ${guideExamples?.length ?? 0} examples)`);
  if (process.env.ERRORS === '1') {
    test.forEach((l, i) => {
      if (categories[i] !== l.label) console.log(`ERR ${source}\t${l.label} → ${categories[i]}\t${rules[i] ?? 'model'}\t${l.message.slice(0, 160)}`);
    });
  }
}

function report(name: string, truth: string[], predicted: string[], perSource: { source: string; truth: string[]; predicted: string[] }[], confidence?: number[]): object {
  const r = classificationReport(truth, predicted, CLASSES);
  const cm = confusionMatrix(truth, predicted, CLASSES);
  console.log(`\n## ${name}: pooled over ${perSource.length} folds, ${truth.length} lines`);
  console.log(`macro-F1 ${r.macroF1.toFixed(3)}  accuracy ${r.accuracy.toFixed(3)}`);
  console.log('| class | precision | recall | F1 | support |\n|---|---|---|---|---|');
  for (const c of CLASSES) {
    const s = r.perClass[c]!;
    console.log(`| ${c} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.f1.toFixed(3)} | ${s.support} |`);
  }
  console.log(`confusion (rows true, columns predicted ${CLASSES.join(' / ')}): ${JSON.stringify(cm)}`);
  console.log('| source | lines | critical | macro-F1 (classes present) | critical recall | critical → noise |\n|---|---|---|---|---|---|');
  for (const f of perSource) {
    const present = CLASSES.filter((c) => f.truth.includes(c));
    const full = classificationReport(f.truth, f.predicted, CLASSES);
    const fr = { macroF1: present.reduce((a, c) => a + full.perClass[c]!.f1, 0) / present.length };
    const crit = f.truth.filter((t) => t === 'critical').length;
    const critHit = f.truth.filter((t, i) => t === 'critical' && f.predicted[i] === 'critical').length;
    const critNoise = f.truth.filter((t, i) => t === 'critical' && f.predicted[i] === 'noise').length;
    console.log(`| ${f.source} | ${f.truth.length} | ${crit} | ${fr.macroF1.toFixed(3)} | ${crit ? (critHit / crit).toFixed(3) : '–'} | ${critNoise} |`);
  }
  const out: Record<string, unknown> = { macroF1: r.macroF1, perClass: r.perClass, confusion: cm };
  if (confidence) {
    const cal = expectedCalibrationError(Float64Array.from(confidence), predicted.map((p, i) => p === truth[i]));
    console.log(`ECE ${cal.ece.toFixed(3)}`);
    out.ece = cal.ece;
    out.reliability = cal.bins;
  }
  return out;
}

const truth = folds.flatMap((f) => f.lines.map((l) => l.label));
const ours = folds.flatMap((f) => f.predicted);
const results: Record<string, unknown> = {
  knowledge: process.env.KNOWLEDGE ?? 'default',
  guide: guideMode,
  noDomain,
  ours: report(
    'ours',
    truth,
    ours,
    folds.map((f) => ({ source: f.source, truth: f.lines.map((l) => l.label), predicted: f.predicted })),
    folds.flatMap((f) => f.confidence),
  ),
};
const ruleCounts = new Map<string, { lines: number; correct: number }>();
folds.forEach((f) =>
  f.rules.forEach((r, i) => {
    const key = r === null ? 'model' : r.includes(':') ? r.split(':')[0]! : 'guide';
    const e = ruleCounts.get(key) ?? { lines: 0, correct: 0 };
    e.lines++;
    if (f.predicted[i] === f.lines[i]!.label) e.correct++;
    ruleCounts.set(key, e);
  }),
);
console.log(`\nwho decided (lines, accuracy): ${[...ruleCounts].map(([k, v]) => `${k} ${v.lines} (${(v.correct / v.lines).toFixed(3)})`).join(', ')}`);
results.deciders = Object.fromEntries(ruleCounts);

if (process.env.SKLEARN !== '0') {
  const python = process.env.AIOPS_BENCH_PYTHON ?? join(root, 'bench/.venv/bin/python');
  const file = join(tmpdir(), `log-classifier-loso-${process.pid}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      folds: sources.map((source) => ({
        source,
        train: [...loghub, ...(noDomain ? [] : domain.filter((l) => l.source !== source))].map((l) => [l.message, l.label]),
        test: domain.filter((l) => l.source === source).map((l) => l.message),
      })),
    }),
  );
  const out = JSON.parse(execFileSync(python, [join(root, 'bench/log-classifier/reference_loso.py'), file], { encoding: 'utf8', maxBuffer: 1 << 28 })) as {
    folds: { source: string; predicted: string[] }[];
  };
  const sk = out.folds.flatMap((f) => f.predicted);
  results.sklearn = report(
    'scikit-learn seed pipeline',
    truth,
    sk,
    out.folds.map((f) => ({ source: f.source, truth: domain.filter((l) => l.source === f.source).map((l) => l.label), predicted: f.predicted })),
  );
}

if (process.env.PLOT) {
  await writeSvg(process.env.PLOT, reliabilitySpec((results.ours as { reliability: never }).reliability, 'Linux-server lines, leave one source out') as never);
}
const jsonOut = join(root, 'out/bench/log-classifier-loso.json');
mkdirSync(dirname(jsonOut), { recursive: true });
writeFileSync(jsonOut, `${JSON.stringify(results, null, 1)}\n`);
