/**
 * What moves the Loghub template splits between two configurations: every held-out line's decision (class and the
 * deciding rule, or the model) per split, dumped to a JSON file, and two dumps compared per split, per class and per
 * template (docs/evaluation/logs.md, "Fourth pass"). Configuration through the same switches as compare-default.ts
 * (LINUX=0: no Linux-server lines and no guide additions; KNOWLEDGE=…; GUIDE_RULES=0), LINUX_WEIGHT=w
 * (TrainOptions.linuxTemplateWeight) and LINUX_LINES=file (another lines.csv, e.g. an earlier commit's:
 * `git show aaafd45:data/linux-logs/lines.csv > /tmp/lines.csv`).
 *
 *   OUT=/tmp/a.json pnpm exec tsx bench/log-classifier/split-diff.ts          # dump the default
 *   pnpm exec tsx bench/log-classifier/split-diff.ts --compare /tmp/a.json /tmp/b.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { systemClock } from '@aiops/common';
import { classificationReport, sanitizeLogLine } from '@aiops/ml';
import { LogClassifier, trainModel, type TrainOptions } from '@aiops/log-classification';
import { loadLinuxLogLines } from '@aiops/datasets/log-labels';
import { defaultOptions, knowledgeParts, linuxLines, loghubLines } from './default-data.ts';
import { makeSplit, SPLIT_SEEDS } from './splits.ts';

interface Decision {
  seed: number;
  template: string;
  label: string;
  predicted: string;
  rule: string | null;
  message: string;
}
const CLASSES = ['critical', 'informational', 'noise', 'warning'];

function dump(out: string): void {
  const withLinux = process.env.LINUX !== '0';
  const base = defaultOptions(undefined, knowledgeParts(), withLinux);
  const options: TrainOptions = {
    ...base,
    guideRules: process.env.GUIDE_RULES !== '0' && base.guideRules,
    ...(process.env.LINUX_WEIGHT ? { linuxTemplateWeight: Number(process.env.LINUX_WEIGHT) } : {}),
  };
  const lines = loghubLines();
  const linux = withLinux ? (process.env.LINUX_LINES ? loadLinuxLogLines(process.env.LINUX_LINES) : linuxLines()) : [];
  const seeds = process.env.ABLATION_SEEDS ? process.env.ABLATION_SEEDS.split(',').map(Number) : SPLIT_SEEDS;
  const decisions: Decision[] = [];
  for (const seed of seeds) {
    const split = makeSplit(lines, seed);
    const { model } = trainModel([...split.train, ...linux], { ...options, seed }, systemClock());
    const classifier = new LogClassifier(model);
    const texts = split.test.map((l) => {
      const clean = sanitizeLogLine(l.message);
      return clean.ok ? clean.text : '';
    });
    const { chosen, rules } = classifier.decideAll(texts, split.test.map((l) => l.severity));
    split.test.forEach((l, i) =>
      decisions.push({ seed, template: l.template, label: l.label, predicted: classifier.classes[chosen[i]!]!, rule: rules[i]?.rule ?? null, message: l.message.slice(0, 160) }),
    );
    console.error(`split ${seed}: ${macroF1(decisions.filter((d) => d.seed === seed)).toFixed(3)}`);
  }
  writeFileSync(out, JSON.stringify(decisions));
  console.error(`${decisions.length} decisions → ${out}`);
}

const report = (ds: readonly Decision[]) => classificationReport(ds.map((d) => d.label), ds.map((d) => d.predicted), CLASSES);
const macroF1 = (ds: readonly Decision[]): number => report(ds).macroF1;

function compare(aFile: string, bFile: string): void {
  const a = JSON.parse(readFileSync(aFile, 'utf8')) as Decision[];
  const b = JSON.parse(readFileSync(bFile, 'utf8')) as Decision[];
  if (a.length !== b.length) throw new Error(`${aFile} and ${bFile} hold different splits (${a.length} vs ${b.length} lines)`);
  const seeds = [...new Set(a.map((d) => d.seed))];
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const fa = seeds.map((s) => macroF1(a.filter((d) => d.seed === s)));
  const fb = seeds.map((s) => macroF1(b.filter((d) => d.seed === s)));
  console.log(`macro-F1 per line: A ${mean(fa).toFixed(3)}, B ${mean(fb).toFixed(3)}`);
  console.log('| split | A | B | B − A | per class F1 A → B (critical / informational / noise / warning) |');
  console.log('|---|---|---|---|---|');
  seeds.forEach((s, i) => {
    const ra = report(a.filter((d) => d.seed === s)).perClass;
    const rb = report(b.filter((d) => d.seed === s)).perClass;
    const perClass = CLASSES.map((c) => `${ra[c]!.f1.toFixed(2)}→${rb[c]!.f1.toFixed(2)}`).join(' / ');
    console.log(`| ${s} | ${fa[i]!.toFixed(3)} | ${fb[i]!.toFixed(3)} | ${(fb[i]! - fa[i]!).toFixed(3)} | ${perClass} |`);
  });
  // Changed decisions grouped by split, template and (A → B), with who decided on each side.
  const groups = new Map<string, { n: number; gained: number; example: string }>();
  a.forEach((da, i) => {
    const db = b[i]!;
    if (da.predicted === db.predicted && da.rule === db.rule) return;
    const key = `${da.seed}\t${da.template}\t${da.label}\t${da.predicted} (${da.rule ?? 'model'}) → ${db.predicted} (${db.rule ?? 'model'})`;
    const g = groups.get(key) ?? { n: 0, gained: 0, example: da.message };
    g.n++;
    g.gained += Number(db.predicted === db.label) - Number(da.predicted === da.label);
    groups.set(key, g);
  });
  console.log('\nchanged lines: split, template, truth, A → B, lines, net correct');
  for (const [key, g] of [...groups].sort((x, y) => x[1].gained - y[1].gained)) console.log(`${key}\t${g.n}\t${g.gained}\t${g.example.slice(0, 100)}`);
}

if (process.argv[2] === '--compare') compare(process.argv[3]!, process.argv[4]!);
else dump(process.env.OUT ?? '/tmp/split-decisions.json');
