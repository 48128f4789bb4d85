/**
 * Scores a classifier on labeled lines, two ways: per line (what an operator sees in the index), and per template
 * (each template weighs 1 in total, so a template logged 1,000 times counts as much as one logged twice — the fair
 * measure of generalization to unseen events). Also the calibration (ECE, reliability bins) and the failures.
 */
import { classificationReport, expectedCalibrationError, sanitizeLogLine, type ClassificationReport, type ReliabilityBin } from '@aiops/ml';
import type { LogClassifier } from '../model/log-classifier.ts';
import type { LabeledLine } from './dataset.ts';

export interface Evaluation {
  lines: number;
  templates: number;
  perLine: ClassificationReport;
  perTemplate: ClassificationReport;
  ece: number;
  reliability: ReliabilityBin[];
  /** Lines (and templates) of true class critical predicted as noise: the costliest confusion. */
  criticalAsNoise: { lines: number; templates: string[] };
  /** Misclassified templates with an example line, worst (most lines) first. */
  errors: { template: string; truth: string; predicted: string; lines: number; example: string }[];
}

export interface Predictions {
  categories: string[];
  confidences: Float64Array;
}

/** `severities[i]`: line i's own severity (any spelling normalizeSeverity knows), or undefined. */
export function predictAll(classifier: LogClassifier, messages: readonly string[], severities?: readonly (string | undefined)[]): Predictions {
  const texts = messages.map((m) => {
    const clean = sanitizeLogLine(m);
    return clean.ok ? clean.text : '';
  });
  const { chosen, confidence } = classifier.decideAll(texts, severities);
  const categories = Array.from(chosen, (c) => classifier.classes[c]!);
  const confidences = confidence;
  return { categories, confidences };
}

/** `useSeverity: false` scores the lines as if their source recorded no severity (the model must cope with both). */
export function evaluateClassifier(classifier: LogClassifier, lines: readonly LabeledLine[], options: { useSeverity?: boolean } = {}): Evaluation {
  const severities = options.useSeverity === false ? undefined : lines.map((l) => l.severity);
  const { categories, confidences } = predictAll(classifier, lines.map((l) => l.message), severities);
  const truth = lines.map((l) => l.label);
  const perTemplateCount = new Map<string, number>();
  for (const l of lines) perTemplateCount.set(l.template, (perTemplateCount.get(l.template) ?? 0) + 1);
  const templateWeights = lines.map((l) => 1 / perTemplateCount.get(l.template)!);
  const classes = classifier.classes;
  const calibration = expectedCalibrationError(confidences, categories.map((c, i) => c === truth[i]));

  const errorsByTemplate = new Map<string, { truth: string; predicted: Map<string, number>; lines: number; example: string }>();
  const criticalAsNoise = new Set<string>();
  let criticalAsNoiseLines = 0;
  lines.forEach((l, i) => {
    if (categories[i] === l.label) return;
    if (l.label === 'critical' && categories[i] === 'noise') {
      criticalAsNoiseLines++;
      criticalAsNoise.add(l.template);
    }
    const entry = errorsByTemplate.get(l.template) ?? { truth: l.label, predicted: new Map(), lines: 0, example: l.message };
    entry.lines++;
    entry.predicted.set(categories[i]!, (entry.predicted.get(categories[i]!) ?? 0) + 1);
    errorsByTemplate.set(l.template, entry);
  });
  const errors = [...errorsByTemplate]
    .map(([template, e]) => ({
      template,
      truth: e.truth,
      predicted: [...e.predicted].sort((a, b) => b[1] - a[1])[0]![0],
      lines: e.lines,
      example: e.example.slice(0, 200),
    }))
    .sort((a, b) => b.lines - a.lines || (a.template < b.template ? -1 : 1));

  return {
    lines: lines.length,
    templates: perTemplateCount.size,
    perLine: classificationReport(truth, categories, classes),
    perTemplate: classificationReport(truth, categories, classes, templateWeights),
    ece: calibration.ece,
    reliability: calibration.bins,
    criticalAsNoise: { lines: criticalAsNoiseLines, templates: [...criticalAsNoise].sort() },
    errors,
  };
}
