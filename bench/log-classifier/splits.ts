/**
 * Scores a training configuration over several seeded 80/20 template splits (stratified by label), so that a figure
 * is a mean with its spread, not one lucky split. Shared by run.ts (bench) and ablation.ts (docs/evaluation/logs.md).
 */
import { systemClock } from '@aiops/common';
import type { LabeledLine } from '@aiops/log-classification';
import { evaluateClassifier } from '@aiops/log-classification';
import { loghubTemplateSplit } from '@aiops/log-classification';
import { trainModel, type TrainOptions } from '@aiops/log-classification';
import { LogClassifier } from '@aiops/log-classification';
import type { ModelFile } from '@aiops/log-classification';

/** Ten seeded splits: every held-out figure in the docs is their mean ± standard deviation. */
export const SPLIT_SEEDS = [42, 1, 2, 3, 4, 5, 6, 7, 8, 9];

export interface SplitScores {
  seed: number;
  seconds: number;
  macroF1: number;
  criticalRecall: number;
  criticalPrecision: number;
  noisePrecision: number;
  templateMacroF1: number;
  templateCriticalRecall: number;
  ece: number;
  criticalAsNoiseLines: number;
  /** The same model scored with every line's severity withheld. */
  noSeverityMacroF1: number;
  noSeverityCriticalRecall: number;
}

export interface SplitRun extends SplitScores {
  /** Held-out critical templates of which some line was called noise. */
  criticalAsNoiseTemplates: string[];
  criticalThreshold: number | null;
  classBias: number[] | null;
}

export interface Split {
  seed: number;
  heldOut: Set<string>;
  train: LabeledLine[];
  test: LabeledLine[];
}

export function makeSplit(lines: readonly LabeledLine[], seed: number, testFraction = 0.2): Split {
  return { seed, ...loghubTemplateSplit(lines, testFraction, seed) };
}

export interface ScoreOptions {
  /** A change to the trained model before it is scored (experiments on the decision rule). */
  adjust?: (model: ModelFile) => ModelFile;
  /**
   * Added to the split's seed to seed the out-of-fold partition of the training templates (temperature, class
   * biases): 0 is what the docs report; other values show how much a figure owes to that one partition.
   */
  foldSeedOffset?: number;
}

export function scoreSplit(split: Split, options: TrainOptions, { adjust = (m) => m, foldSeedOffset = 0 }: ScoreOptions = {}): SplitRun {
  const trained = trainModel(split.train, { ...options, seed: split.seed + foldSeedOffset }, systemClock());
  const { seconds } = trained;
  const model = adjust(trained.model);
  const classifier = new LogClassifier(model);
  const e = evaluateClassifier(classifier, split.test);
  const bare = evaluateClassifier(classifier, split.test, { useSeverity: false });
  return {
    seed: split.seed,
    seconds,
    macroF1: e.perLine.macroF1,
    criticalRecall: e.perLine.perClass.critical!.recall,
    criticalPrecision: e.perLine.perClass.critical!.precision,
    noisePrecision: e.perLine.perClass.noise!.precision,
    templateMacroF1: e.perTemplate.macroF1,
    templateCriticalRecall: e.perTemplate.perClass.critical!.recall,
    ece: e.ece,
    criticalAsNoiseLines: e.criticalAsNoise.lines,
    noSeverityMacroF1: bare.perLine.macroF1,
    noSeverityCriticalRecall: bare.perLine.perClass.critical!.recall,
    criticalAsNoiseTemplates: e.criticalAsNoise.templates,
    criticalThreshold: model.decision.criticalThreshold,
    classBias: model.decision.classBias ?? null,
  };
}

export interface Spread {
  mean: number;
  std: number;
  min: number;
}

export function spread(values: readonly number[]): Spread {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, std, min: Math.min(...values) };
}

/** `0.912 ± 0.031 (min 0.870)` */
export const formatSpread = (s: Spread, digits = 3): string => `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)} (min ${s.min.toFixed(digits)})`;

export function summarize(runs: readonly SplitScores[]): Record<Exclude<keyof SplitScores, 'seed'>, Spread> {
  const first = runs[0] as unknown as Record<string, unknown>;
  const keys = Object.keys(first).filter((k) => k !== 'seed' && typeof first[k] === 'number') as Exclude<keyof SplitScores, 'seed'>[];
  return Object.fromEntries(keys.map((k) => [k, spread(runs.map((r) => r[k]))])) as Record<Exclude<keyof SplitScores, 'seed'>, Spread>;
}
