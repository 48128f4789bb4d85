/**
 * Leave one source out on the Linux-server lines of data/linux-logs: for each of its sources, train on every other
 * source's lines plus the Loghub labels and the labeling guide (the default training data), classify the left-out
 * source's lines (rules, then the model, as `classify` does), and pool the predictions. Each source is a public
 * repository the lines were taken from, so a fold's test lines come from other systems, other authors and often
 * other daemons than anything it was trained on. scikit-learn's seed pipeline runs on the same folds.
 *
 *   pnpm exec tsx bench/log-classifier/loso.ts              # ours (default) and scikit-learn, ~1 min
 *   KNOWLEDGE=none|header|families|fail2ban|logcheck|all …    # the knowledge parts (ablation), default all
 *   NO_DOMAIN=1 …            # train without any data/linux-logs line (what the model knew before this data)
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
import { classificationReport, confusionMatrix, expectedCalibrationError } from '@aiops/ml';
import { LogClassifier } from '../../services/log-classifier/src/model/log-classifier.ts';
import { loadLabeledLoghub, sharedDir, type LabeledLine } from '../../services/log-classifier/src/training/dataset.ts';
import { predictAll } from '../../services/log-classifier/src/training/evaluate.ts';
import { trainModel, trainOptionsFor } from '../../services/log-classifier/src/training/train.ts';
import { loadLinuxLogs } from './linux-logs-data.ts';

const root = join(import.meta.dirname, '..', '..');
const CLASSES = ['critical', 'informational', 'noise', 'warning'];

const shared = sharedDir();
const loghub = loadLabeledLoghub(join(shared, 'labels'), join(shared, 'data/loghub'));
const domain = loadLinuxLogs(join(root, 'data/linux-logs/lines.csv'));
const sources = [...new Set(domain.map((l) => l.source))];
const options = trainOptionsFor(join(shared, 'labels'));
const noDomain = process.env.NO_DOMAIN === '1';

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
  const { model } = trainModel(train, options);
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
  console.error(`loso: ${source}: ${test.length} lines, trained in ${seconds.toFixed(1)} s`);
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
  knowledge: process.env.KNOWLEDGE ?? 'all',
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
  const { writeReliabilitySvg } = await import('../../services/log-classifier/src/training/reliability-plot.ts');
  await writeReliabilitySvg(process.env.PLOT, (results.ours as { reliability: never }).reliability, 'Linux-server lines, leave one source out');
}
const jsonOut = join(root, 'out/bench/log-classifier-loso.json');
mkdirSync(dirname(jsonOut), { recursive: true });
writeFileSync(jsonOut, `${JSON.stringify(results, null, 1)}\n`);
