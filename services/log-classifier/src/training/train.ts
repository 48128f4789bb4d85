/**
 * Fitting a log classifier from labeled lines. Beyond the seed (TF-IDF 1–2-grams + balanced logistic regression on
 * every raw line), each step is a switch so the ablation can show what it buys:
 * - mask: header strip + masking, log stop words (model/features.ts);
 * - dedup + templateWeighting: one document per distinct masked message of a template, weighted so that every
 *   template weighs the same and every class weighs the same in total; a template seen 1,000 times no longer
 *   drowns one seen twice — and unseen templates are what the model meets in production;
 * - char n-grams beside word n-grams (features.charNgramRange);
 * - temperature scaling and a critical threshold, both fitted on out-of-fold predictions (k folds by template of
 *   the training set only), never on the held-out templates.
 */
import { fitTemperature, softmaxRows, SoftmaxRegression, expectedCalibrationError, argmax } from '@aiops/ml';
import { DEFAULT_FEATURES, FeaturePipeline, type AnalyzedMessage, type FeatureConfig } from '../model/features.ts';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelFile } from '../model/model-file.ts';
import type { LabeledLine } from './dataset.ts';
import { stratifiedTemplateFolds, templateLabels } from './split.ts';
import { createHash } from 'node:crypto';

export interface TrainOptions {
  features: FeatureConfig;
  dedup: boolean;
  templateWeighting: boolean;
  C: number;
  /** L-BFGS stops when the largest gradient component is below this (sklearn's default tol = 1e-4). */
  gradientTolerance: number;
  calibrate: boolean;
  tuneCriticalThreshold: boolean;
  folds: number;
  seed: number;
  reviewBelow: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  features: DEFAULT_FEATURES,
  dedup: true,
  templateWeighting: true,
  C: 1,
  gradientTolerance: 1e-4,
  calibrate: true,
  tuneCriticalThreshold: true,
  folds: 3,
  seed: 42,
  reviewBelow: 0.6,
};

/** The seed's pipeline, as the issue describes it: raw lines, word 1–2-grams, balanced classes, argmax. */
export const SEED_TRAIN_OPTIONS: TrainOptions = {
  ...DEFAULT_TRAIN_OPTIONS,
  features: { ...DEFAULT_FEATURES, mask: false, stopWords: false, charNgramRange: null },
  dedup: false,
  templateWeighting: false,
  calibrate: false,
  tuneCriticalThreshold: false,
};

interface Document {
  message: string;
  template: string;
  label: string;
  analyzed: AnalyzedMessage;
  weight: number;
}

function buildDocuments(lines: readonly LabeledLine[], options: TrainOptions): Document[] {
  const pipeline = new FeaturePipeline(options.features);
  const docs: Document[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    if (options.dedup) {
      // Normalizing is cheap; analyzing (n-grams) is not: dedup first, analyze the survivors only.
      const key = `${line.template}\u0000${pipeline.normalize(line.message)}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    docs.push({ message: line.message, template: line.template, label: line.label, analyzed: pipeline.analyze(line.message), weight: 1 });
  }
  if (options.templateWeighting) {
    // Each template weighs 1 in total; each class then weighs (templates / classes) in total.
    const perTemplate = new Map<string, number>();
    for (const d of docs) perTemplate.set(d.template, (perTemplate.get(d.template) ?? 0) + 1);
    const templatesPerClass = new Map<string, number>();
    for (const label of templateLabels(docs).values()) templatesPerClass.set(label, (templatesPerClass.get(label) ?? 0) + 1);
    const totalTemplates = perTemplate.size;
    const k = templatesPerClass.size;
    for (const d of docs) d.weight = (1 / perTemplate.get(d.template)!) * (totalTemplates / (k * templatesPerClass.get(d.label)!));
  }
  return docs;
}

interface Fitted {
  pipeline: FeaturePipeline;
  regression: SoftmaxRegression;
}

function fitDocuments(docs: readonly Document[], options: TrainOptions): Fitted {
  const pipeline = new FeaturePipeline(options.features).fitAnalyzed(docs.map((d) => d.analyzed));
  const X = pipeline.transformAnalyzed(docs.map((d) => d.analyzed));
  const regression = new SoftmaxRegression({ C: options.C, gradientTolerance: options.gradientTolerance, classWeight: options.templateWeighting ? null : 'balanced' });
  regression.fit(X, docs.map((d) => d.label), options.templateWeighting ? docs.map((d) => d.weight) : undefined);
  return { pipeline, regression };
}

/**
 * The critical threshold maximizing the out-of-fold macro score where class critical counts with its F2 (recall
 * weighs 4× precision) and the other classes with F1, template-weighted; null when plain argmax does as well.
 * Missing a disk-full line costs more than reading a false alarm — but only as long as the other classes survive it.
 */
function tuneCriticalThreshold(proba: Float64Array, labels: Int32Array, weights: Float64Array, classes: string[]): number | null {
  const critical = classes.indexOf('critical');
  if (critical < 0) return null;
  const k = classes.length;
  const score = (threshold: number | null) => {
    const tp = new Float64Array(k);
    const fp = new Float64Array(k);
    const fn = new Float64Array(k);
    for (let i = 0; i < labels.length; i++) {
      const o = i * k;
      const predicted = threshold !== null && proba[o + critical]! >= threshold ? critical : argmax(proba, o, k);
      const truth = labels[i]!;
      if (predicted === truth) tp[truth] = tp[truth]! + weights[i]!;
      else {
        fp[predicted] = fp[predicted]! + weights[i]!;
        fn[truth] = fn[truth]! + weights[i]!;
      }
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const b2 = c === critical ? 4 : 1;
      const denominator = (1 + b2) * tp[c]! + b2 * fn[c]! + fp[c]!;
      sum += denominator === 0 ? 0 : ((1 + b2) * tp[c]!) / denominator;
    }
    return sum / k;
  };
  let best: number | null = null;
  let bestScore = score(null);
  for (let step = 50; step >= 5; step--) {
    const value = score(step / 100);
    if (value > bestScore + 1e-9) {
      best = step / 100;
      bestScore = value;
    }
  }
  return best;
}

export interface TrainResult {
  model: ModelFile;
  seconds: number;
}

export function trainModel(lines: readonly LabeledLine[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS, now = new Date()): TrainResult {
  const started = performance.now();
  const docs = buildDocuments(lines, options);
  const { pipeline, regression } = fitDocuments(docs, options);
  const classes = regression.classes;
  let temperature = 1;
  let criticalThreshold: number | null = null;
  let eceBefore: number | null = null;
  let eceAfter: number | null = null;

  if (options.calibrate || options.tuneCriticalThreshold) {
    // Out-of-fold logits: every training document scored by a model that never saw its template.
    const k = classes.length;
    const fold = stratifiedTemplateFolds(templateLabels(docs), options.folds, options.seed);
    const logits = new Float64Array(docs.length * k);
    for (let f = 0; f < options.folds; f++) {
      const trainDocs = docs.filter((d) => fold.get(d.template) !== f);
      const testIdx = docs.flatMap((d, i) => (fold.get(d.template) === f ? [i] : []));
      if (testIdx.length === 0 || new Set(trainDocs.map((d) => d.label)).size < classes.length) continue;
      const fitted = fitDocuments(trainDocs, options);
      const z = fitted.regression.decisionFunction(fitted.pipeline.transformAnalyzed(testIdx.map((i) => docs[i]!.analyzed)));
      testIdx.forEach((row, t) => logits.set(z.subarray(t * k, t * k + k), row * k));
    }
    const labels = Int32Array.from(docs, (d) => classes.indexOf(d.label));
    const weights = Float64Array.from(docs, (d) => d.weight);
    const ece = (proba: Float64Array) => {
      const conf: number[] = [];
      const ok: boolean[] = [];
      for (let i = 0; i < docs.length; i++) {
        const c = argmax(proba, i * k, k);
        conf.push(proba[i * k + c]!);
        ok.push(c === labels[i]);
      }
      return expectedCalibrationError(conf, ok).ece;
    };
    eceBefore = ece(softmaxRows(logits, k));
    if (options.calibrate) temperature = fitTemperature(logits, k, labels, weights);
    const calibrated = softmaxRows(logits, k, temperature);
    eceAfter = ece(calibrated);
    if (options.tuneCriticalThreshold) {
      criticalThreshold = tuneCriticalThreshold(calibrated, labels, weights, classes);
    }
  }

  const seconds = (performance.now() - started) / 1000;
  const state = regression.toJSON();
  const digest = createHash('sha256').update(JSON.stringify(state.intercepts)).update(pipeline.word.featureNames.join('\n')).digest('hex');
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const model: ModelFile = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    modelVersion: `tfidf-logreg-${stamp}-${digest.slice(0, 8)}`,
    trainedAt: now.toISOString(),
    classes,
    features: { config: options.features, ...pipeline.toJSON() },
    weights: state,
    hyperparameters: {
      C: options.C,
      classWeight: options.templateWeighting ? 'balanced over templates' : 'balanced',
      dedup: options.dedup,
      templateWeighting: options.templateWeighting,
      solver: 'lbfgs',
      gradientTolerance: options.gradientTolerance,
      folds: options.folds,
      criticalThresholdRule: options.tuneCriticalThreshold ? 'max out-of-fold macro-F (F2 for critical, F1 for the rest)' : null,
      seed: options.seed,
    },
    decision: { reviewBelow: options.reviewBelow, criticalThreshold },
    calibration: { method: options.calibrate ? 'temperature' : 'none', temperature, eceBefore, eceAfter },
    split: null,
    heldOutMetrics: null,
    training: {
      lines: lines.length,
      documents: docs.length,
      templates: new Set(docs.map((d) => d.template)).size,
      features: pipeline.featureCount,
      seconds,
      iterations: regression.lastFit?.iterations,
      converged: regression.lastFit?.converged,
    },
  };
  return { model, seconds };
}
