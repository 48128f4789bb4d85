/**
 * The model file (JSON), loaded by files mode and by the Elasticsearch mode alike. Format, version 1:
 *
 *   format: "aiops-log-classifier", formatVersion: 1
 *   modelVersion     "tfidf-logreg-<UTC yyyymmddHHMMss>-<8 hex of the content>", written as ml_model_version
 *   trainedAt        ISO time
 *   classes          class labels, the column order of coefficients/intercepts
 *   features         FeatureConfig + fitted vocabularies: { config, word: {terms, idf, …}, char: {…} | null }
 *   weights          { coefficients: number[classes][features], intercepts: number[classes] }
 *   hyperparameters  what produced it (C, class weighting, dedup, solver tolerance, …)
 *   decision         { reviewBelow: logReview.confidenceBelow, criticalThreshold: number | null, classBias?: number[] | null }
 *                    (see LogClassifier.decide; classBias, one log-prior offset per class, added within version 1)
 *   calibration      { method: "temperature", temperature, eceBefore, eceAfter } (fitted on out-of-fold predictions)
 *   guideRules       { patterns: [{ rule, label, segments }], precision, matchedMessages } | null: the labeling guide's
 *                    phrases as decision rules (model/guide-rules.ts; added within version 1, absent = none)
 *   knowledge        { file, precision, matchedMessages } | null: the logcheck and fail2ban patterns the features use
 *                    (data/knowledge/linux-kb.json; null when those parts are off) and the precision of the knowledge
 *                    rules on the training messages (knowledge/; added within version 1, absent = none)
 *   split            { seed, testFraction, heldOutTemplates: ["System/EventId", …] }  what `evaluate` scores by default
 *   heldOutMetrics   { macroF1, criticalRecall, perTemplateMacroF1, … } measured once at training time
 *   training         { lines, documents, templates, seconds, iterations, converged }
 *
 * A reader must reject another `format` or a higher `formatVersion`; fields may be added within a version.
 */
import type { SoftmaxRegressionState, TfidfState } from '@aiops/ml';
import type { FeatureConfig } from './features.ts';
import type { GuideRulesState } from './guide-rules.ts';
import type { KnowledgeFile } from '../knowledge/linux-knowledge.ts';

export const MODEL_FORMAT = 'aiops-log-classifier';
export const MODEL_FORMAT_VERSION = 1;

export interface HeldOutMetrics {
  lines: number;
  templates: number;
  macroF1: number;
  criticalRecall: number;
  perTemplateMacroF1: number;
  perTemplateCriticalRecall: number;
  ece: number;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  modelVersion: string;
  trainedAt: string;
  classes: string[];
  features: { config: FeatureConfig; word: TfidfState; char: TfidfState | null };
  weights: SoftmaxRegressionState;
  hyperparameters: Record<string, unknown>;
  decision: { reviewBelow: number; criticalThreshold: number | null; classBias?: number[] | null };
  calibration: { method: 'temperature' | 'none'; temperature: number; eceBefore: number | null; eceAfter: number | null };
  guideRules?: GuideRulesState | null;
  knowledge?: { file: KnowledgeFile | null; precision: number; matchedMessages: number } | null;
  split: { seed: number; testFraction: number; heldOutTemplates: string[] } | null;
  heldOutMetrics: HeldOutMetrics | null;
  training: Record<string, unknown>;
}

export class ModelFileError extends Error {}

/** Checks a parsed model file; `source` (its path) names it in the error. */
export function parseModelFile(parsed: unknown, source: string): ModelFile {
  const path = source;
  const model = parsed as Partial<ModelFile>;
  const fail = (field: string, why: string): never => {
    throw new ModelFileError(`${path}: field ${field}: ${why}`);
  };
  if (model.format !== MODEL_FORMAT) fail('format', `expected "${MODEL_FORMAT}", got ${JSON.stringify(model.format)}`);
  if (typeof model.formatVersion !== 'number' || model.formatVersion > MODEL_FORMAT_VERSION) {
    fail('formatVersion', `${model.formatVersion} is not supported (this code reads up to ${MODEL_FORMAT_VERSION})`);
  }
  if (typeof model.modelVersion !== 'string') fail('modelVersion', 'missing');
  if (!Array.isArray(model.classes) || model.classes.length < 2) fail('classes', 'expected at least two class labels');
  if (!model.features?.word || !model.features.config) fail('features', 'missing word vocabulary or config');
  const weights = model.weights;
  if (!weights || !Array.isArray(weights.coefficients) || weights.coefficients.length !== model.classes!.length) {
    fail('weights.coefficients', `expected one row per class (${model.classes!.length})`);
  }
  const featureCount = model.features!.word.terms.length + (model.features!.char?.terms.length ?? 0);
  weights!.coefficients.forEach((row, c) => {
    if (row.length !== featureCount) fail(`weights.coefficients[${c}]`, `${row.length} values, the vocabularies have ${featureCount} features`);
  });
  if (!model.decision || typeof model.decision.reviewBelow !== 'number') fail('decision.reviewBelow', 'missing');
  const bias = model.decision!.classBias;
  if (bias != null && (!Array.isArray(bias) || bias.length !== model.classes!.length || !bias.every(Number.isFinite))) {
    fail('decision.classBias', `expected ${model.classes!.length} finite numbers (one per class) or null`);
  }
  if (!model.calibration || !(model.calibration.temperature > 0)) fail('calibration.temperature', 'must be a positive number');
  return model as ModelFile;
}

/** The model with its floats rounded to 7 significant digits: a third of the JSON, the same decisions. */
export function compactModel(model: ModelFile): ModelFile {
  const round = (v: number) => Number(v.toPrecision(7));
  const compact: ModelFile = {
    ...model,
    features: {
      ...model.features,
      word: { ...model.features.word, idf: model.features.word.idf.map(round) },
      char: model.features.char ? { ...model.features.char, idf: model.features.char.idf.map(round) } : null,
    },
    weights: { ...model.weights, coefficients: model.weights.coefficients.map((row) => row.map(round)) },
  };
  return compact;
}
