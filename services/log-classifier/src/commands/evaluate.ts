/** `evaluate`: per-class P/R/F1, macro-F1, confusion, per line and per template, ECE and a reliability diagram. */
import { loadClassifier } from '../files/model-store.ts';
import { evaluateClassifier, type Evaluation, LogClassifier } from '@aiops/log-classification';
import { writeReliabilitySvg } from '../files/reliability-svg.ts';
import type { Command } from 'commander';
import { defaultLabelsDir, defaultLoghubDir, loadLabeled } from '../files/training-data.ts';
import { runAction, UsageError } from './shared-options.ts';

interface EvaluateCli {
  model: string;
  labels?: string;
  loghub: string;
  json?: boolean;
  plot?: string;
}

const round = (v: number) => Number(v.toFixed(4));

function reportJson(e: Evaluation, classifier: LogClassifier, scope: string) {
  const perClass = (r: Evaluation['perLine']) =>
    Object.fromEntries(Object.entries(r.perClass).map(([c, s]) => [c, { precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), support: round(s.support) }]));
  return {
    model_version: classifier.version,
    scope,
    lines: e.lines,
    templates: e.templates,
    per_class: perClass(e.perLine),
    macro_f1: round(e.perLine.macroF1),
    accuracy: round(e.perLine.accuracy),
    confusion: { classes: e.perLine.classes, rows_true_columns_predicted: e.perLine.confusion },
    ece: round(e.ece),
    reliability: e.reliability.map((b) => ({ ...b, meanConfidence: round(b.meanConfidence), accuracy: round(b.accuracy) })),
    per_template: {
      per_class: perClass(e.perTemplate),
      macro_f1: round(e.perTemplate.macroF1),
      confusion: e.perTemplate.confusion.map((row) => row.map(round)),
    },
    critical_as_noise: e.criticalAsNoise,
    errors: e.errors.slice(0, 25),
  };
}

function reportText(e: Evaluation, scope: string): string {
  const rows = e.perLine.classes.map((c) => {
    const l = e.perLine.perClass[c]!;
    const t = e.perTemplate.perClass[c]!;
    return `| ${c} | ${l.precision.toFixed(3)} | ${l.recall.toFixed(3)} | ${l.f1.toFixed(3)} | ${l.support} | ${t.f1.toFixed(3)} | ${t.support} |`;
  });
  return [
    `${scope}: ${e.lines} lines, ${e.templates} templates`,
    '| class | precision | recall | F1 | lines | F1 per template | templates |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    `macro-F1 ${e.perLine.macroF1.toFixed(3)} per line, ${e.perTemplate.macroF1.toFixed(3)} per template; ECE ${e.ece.toFixed(3)}`,
    `confusion (rows true, columns predicted: ${e.perLine.classes.join(', ')}): ${JSON.stringify(e.perLine.confusion)}`,
    `critical → noise: ${e.criticalAsNoise.lines} lines (${e.criticalAsNoise.templates.join(', ') || 'none'})`,
  ].join('\n');
}

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description("score a model on the held-out templates of its split (recorded in the model), or on every labeled line of another --labels folder")
    .requiredOption('--model <file>', 'model written by train')
    .option('--labels <dir>', `labels folder; when given, every labeled line is scored (default: ${defaultLabelsDir()}, held-out templates only)`)
    .option('--loghub <dir>', 'Loghub folder', defaultLoghubDir())
    .option('--json', 'one JSON object on stdout (keys per_class, macro_f1, confusion, ece, per_template, …)')
    .option('--plot <file.svg>', 'write the reliability diagram as SVG')
    .action((o: EvaluateCli) =>
      runAction(async () => {
        const classifier = loadClassifier(o.model);
        const all = loadLabeled(o.labels ?? defaultLabelsDir(), o.loghub);
        let lines = all;
        let scope = `every labeled line of ${o.labels}`;
        if (!o.labels) {
          const split = classifier.model.split;
          if (!split) throw new UsageError(`${o.model}: the model records no split; pass --labels to score a labels folder`);
          const heldOut = new Set(split.heldOutTemplates);
          lines = all.filter((l) => heldOut.has(l.template));
          scope = `held-out templates of the model's split (seed ${split.seed})`;
        }
        if (lines.length === 0) throw new UsageError('no labeled lines to evaluate');
        const evaluation = evaluateClassifier(classifier, lines);
        if (o.plot) await writeReliabilitySvg(o.plot, evaluation.reliability, `Reliability, ${classifier.version} (ECE ${evaluation.ece.toFixed(3)})`);
        process.stdout.write(o.json ? `${JSON.stringify(reportJson(evaluation, classifier, scope))}\n` : `${reportText(evaluation, scope)}\n`);
      }),
    );
}
