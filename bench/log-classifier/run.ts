/**
 * `pnpm bench log-classifier`: ours vs scikit-learn's seed pipeline (TfidfVectorizer(1–2-grams, 10k, sublinear) +
 * LogisticRegression(C=1, balanced)) on the same 80/20 template split of the shared labels, in one run:
 * training time, classify throughput on one core, held-out macro-F1 and critical recall; plus the tokenizer's speed
 * against natural's WordTokenizer. Writes out/bench/log-classifier.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogTokenizer } from '@aiops/ml';
import { loadLabeledLoghub, sharedDir } from '../../services/log-classifier/src/training/dataset.ts';
import { evaluateClassifier } from '../../services/log-classifier/src/training/evaluate.ts';
import { stratifiedTemplateSplit, templateLabels } from '../../services/log-classifier/src/training/split.ts';
import { DEFAULT_TRAIN_OPTIONS, SEED_TRAIN_OPTIONS, trainModel, type TrainOptions } from '../../services/log-classifier/src/training/train.ts';
import { LogClassifier } from '../../services/log-classifier/src/model/log-classifier.ts';

const REPEAT = 3;
const root = new URL('../..', import.meta.url).pathname;
const python = process.env.AIOPS_BENCH_PYTHON ?? join(root, 'bench/.venv/bin/python');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const shared = sharedDir();
const lines = loadLabeledLoghub(join(shared, 'labels'), join(shared, 'data/loghub'));
const heldOut = stratifiedTemplateSplit(templateLabels(lines), 0.2, 42);
const train = lines.filter((l) => !heldOut.has(l.template));
const test = lines.filter((l) => heldOut.has(l.template));
const stream = Array.from({ length: 20_000 }, (_, i) => test[i % test.length]!.message);

function measure(name: string, options: TrainOptions) {
  const fits: number[] = [];
  let model = trainModel(train, options).model;
  for (let r = 0; r < REPEAT; r++) {
    const result = trainModel(train, options);
    fits.push(result.seconds);
    model = result.model;
  }
  const classifier = new LogClassifier(model);
  const rates: number[] = [];
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now();
    for (const line of stream) classifier.classifyLine(line);
    rates.push(stream.length / ((performance.now() - t0) / 1000));
  }
  const e = evaluateClassifier(classifier, test);
  return {
    name,
    fit_seconds_median: median(fits),
    classify_lines_per_second_one_by_one: median(rates),
    macro_f1: e.perLine.macroF1,
    critical_recall: e.perLine.perClass.critical!.recall,
    per_template_macro_f1: e.perTemplate.macroF1,
    per_template_critical_recall: e.perTemplate.perClass.critical!.recall,
    train_documents: model.training.documents,
  };
}

function tokenizerSpeed() {
  const require = createRequire(import.meta.url);
  const { WordTokenizer } = require('natural/lib/natural/tokenizers/regexp_tokenizer.js') as { WordTokenizer: new () => { tokenize(s: string): string[] } };
  const natural = new WordTokenizer();
  const ours = new LogTokenizer();
  const texts = stream.map((s) => s.toLowerCase());
  const rate = (fn: (s: string) => string[]) => {
    const t0 = performance.now();
    let tokens = 0;
    for (let r = 0; r < 3; r++) for (const t of texts) tokens += fn(t).length;
    return { lines_per_second: (3 * texts.length) / ((performance.now() - t0) / 1000), tokens_per_line: tokens / (3 * texts.length) };
  };
  return { ours: rate((s) => ours.tokenize(s)), natural_word_tokenizer: rate((s) => natural.tokenize(s)) };
}

const ours = measure('ours (masked, dedup, template-weighted, calibrated, critical threshold)', DEFAULT_TRAIN_OPTIONS);
const seedOurs = measure('seed pipeline, our code', SEED_TRAIN_OPTIONS);
const tokenizers = tokenizerSpeed();

const splitFile = join(tmpdir(), `log-classifier-split-${process.pid}.json`);
writeFileSync(splitFile, JSON.stringify({ train: train.map((l) => [l.message, l.label]), test: test.map((l) => [l.message, l.label, l.template]) }));
// One core for the reference too: single-threaded BLAS, pinned with taskset when it exists.
const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
let sklearnOut: string;
try {
  sklearnOut = execFileSync('taskset', ['-c', '0', python, join(root, 'bench/log-classifier/reference.py'), splitFile, String(REPEAT)], { env, encoding: 'utf8' });
} catch {
  sklearnOut = execFileSync(python, [join(root, 'bench/log-classifier/reference.py'), splitFile, String(REPEAT)], { env, encoding: 'utf8' });
}
const sklearn = JSON.parse(sklearnOut) as Record<string, number>;

const f = (v: number | undefined, d = 3) => (v === undefined ? '–' : v.toFixed(d));
const rows = [
  ['ours', ours],
  ['seed pipeline, our code', seedOurs],
  ['scikit-learn seed pipeline', sklearn],
] as const;
const table = [
  `log-classifier: ${train.length} training lines (${templateLabels(train).size} templates), ${test.length} held-out lines (${heldOut.size} templates), split seed 42; node ${process.version}`,
  '',
  '| pipeline | fit s (median of 3) | classify lines/s, one by one | lines/s, batch | macro-F1 line | critical recall line | macro-F1 template | critical recall template |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(([name, r]) => {
    const x = r as Record<string, number | undefined>;
    return `| ${name} | ${f(x.fit_seconds_median, 2)} | ${f(x.classify_lines_per_second_one_by_one, 0)} | ${f(x.classify_lines_per_second_batch, 0)} | ${f(x.macro_f1)} | ${f(x.critical_recall)} | ${f(x.per_template_macro_f1)} | ${f(x.per_template_critical_recall)} |`;
  }),
  '',
  `classify speed-up over scikit-learn: ${(ours.classify_lines_per_second_one_by_one / sklearn.classify_lines_per_second_one_by_one!).toFixed(1)}× one by one, ` +
    `${(ours.classify_lines_per_second_one_by_one / sklearn.classify_lines_per_second_batch!).toFixed(1)}× against its batch mode`,
  `tokenizer (lower-cased lines/s): ours ${tokenizers.ours.lines_per_second.toFixed(0)} (${tokenizers.ours.tokens_per_line.toFixed(1)} tokens/line, stop words dropped), ` +
    `natural WordTokenizer ${tokenizers.natural_word_tokenizer.lines_per_second.toFixed(0)} (${tokenizers.natural_word_tokenizer.tokens_per_line.toFixed(1)} tokens/line)`,
].join('\n');
console.log(table);
mkdirSync(join(root, 'out/bench'), { recursive: true });
writeFileSync(join(root, 'out/bench/log-classifier.json'), JSON.stringify({ ours, seedOurs, sklearn, tokenizers, train: train.length, test: test.length, heldOutTemplates: heldOut.size }, null, 2));
