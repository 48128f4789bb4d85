/**
 * The pure "line → {category, confidence, review}" classifier, shared by files mode and the Elasticsearch mode
 * (it satisfies ./elasticsearch/line-classifier.ts's LineClassifier). Stable contract:
 *
 *   classifyLine(raw)  → { line, category, confidence, review, probabilities, unseenTokenRatio, truncated }
 *                      | { line, rejected: 'empty' | 'binary', reason }        (never throws on any input)
 *   classify(message)  → { category, confidence, unseenTokenRatio }            (a rejected message → noise, confidence 0)
 *
 * Decision: probabilities = softmax(logits / temperature); the class is `critical` when its probability reaches
 * decision.criticalThreshold (tuned at training to buy critical recall with noise/warning precision), else the most
 * probable class; confidence = the chosen class's probability; review = confidence < decision.reviewBelow (0.6).
 */
import { argmax, sanitizeLogLine, softmaxRows, SoftmaxRegression, type CsrMatrix } from '@aiops/ml';
import { FeaturePipeline } from './features.ts';
import { readModelFile, type ModelFile } from './model-file.ts';

export interface ClassifiedLine {
  line: string;
  category: string;
  confidence: number;
  review: boolean;
  probabilities: Record<string, number>;
  /** Share of the line's word tokens missing from the vocabulary (drift signal). */
  unseenTokenRatio: number;
  truncated: boolean;
}

export interface RejectedLine {
  line: string;
  rejected: 'empty' | 'binary';
  reason: string;
}

export interface TermContribution {
  term: string;
  /** How much the term pushed the chosen class's logit above the other classes' average. */
  weight: number;
}

/** Output lines echo at most this much of the input, so a 1 MB line does not become a 1 MB JSON line. */
const ECHO_CHARS = 2000;

export class LogClassifier {
  readonly features: FeaturePipeline;
  readonly regression: SoftmaxRegression;
  readonly classes: string[];
  readonly version: string;
  readonly trainedAt: string;
  readonly reviewThreshold: number;
  readonly baselineMacroF1: number;
  readonly temperature: number;
  readonly criticalThreshold: number | null;
  private readonly criticalIndex: number;
  private readonly unigramVocabulary: (token: string) => boolean;

  constructor(readonly model: ModelFile) {
    this.features = new FeaturePipeline(model.features.config, { word: model.features.word, char: model.features.char });
    this.regression = SoftmaxRegression.fromJSON(model.weights);
    this.classes = model.classes;
    this.version = model.modelVersion;
    this.trainedAt = model.trainedAt;
    this.reviewThreshold = model.decision.reviewBelow;
    this.baselineMacroF1 = model.heldOutMetrics?.macroF1 ?? Number.NaN;
    this.temperature = model.calibration.temperature;
    this.criticalThreshold = model.decision.criticalThreshold;
    this.criticalIndex = this.classes.indexOf('critical');
    this.unigramVocabulary = (token) => this.features.word.column(token) !== undefined;
  }

  static load(path: string): LogClassifier {
    return new LogClassifier(readModelFile(path));
  }

  /** Calibrated probabilities (rows × classes) of already-featurized rows. */
  probabilities(X: CsrMatrix): Float64Array {
    return softmaxRows(this.regression.decisionFunction(X), this.classes.length, this.temperature);
  }

  /** Class index chosen for one row of probabilities. */
  decide(probabilities: ArrayLike<number>, offset = 0): number {
    if (this.criticalThreshold !== null && this.criticalIndex >= 0 && probabilities[offset + this.criticalIndex]! >= this.criticalThreshold) {
      return this.criticalIndex;
    }
    return argmax(probabilities, offset, this.classes.length);
  }

  classifyLine(raw: string): ClassifiedLine | RejectedLine {
    const echo = raw.length > ECHO_CHARS ? raw.slice(0, ECHO_CHARS) : raw;
    const clean = sanitizeLogLine(raw);
    if (!clean.ok) return { line: echo, rejected: clean.reason, reason: clean.detail };
    const analyzed = this.features.analyze(clean.text);
    const proba = this.probabilities(this.features.transformAnalyzed([analyzed]));
    const chosen = this.decide(proba);
    const confidence = proba[chosen]!;
    const unseen = analyzed.tokens.filter((t) => !this.unigramVocabulary(t)).length;
    return {
      line: echo,
      category: this.classes[chosen]!,
      confidence,
      review: confidence < this.reviewThreshold,
      probabilities: Object.fromEntries(this.classes.map((c, i) => [c, proba[i]!])),
      unseenTokenRatio: analyzed.tokens.length === 0 ? 1 : unseen / analyzed.tokens.length,
      truncated: clean.truncated,
    };
  }

  /** The Elasticsearch mode's seam (LineClassifier.classify). */
  classify(message: string): { category: string; confidence: number; unseenTokenRatio: number } {
    const result = this.classifyLine(message);
    if ('rejected' in result) return { category: 'noise', confidence: 0, unseenTokenRatio: 1 };
    return { category: result.category, confidence: result.confidence, unseenTokenRatio: result.unseenTokenRatio };
  }

  /** Terms of a line that decided its class, strongest first. */
  explainLine(raw: string, top = 10): { result: ClassifiedLine | RejectedLine; normalized: string; terms: TermContribution[] } {
    const result = this.classifyLine(raw);
    const clean = sanitizeLogLine(raw);
    if ('rejected' in result || !clean.ok) return { result, normalized: '', terms: [] };
    const analyzed = this.features.analyze(clean.text);
    const X = this.features.transformAnalyzed([analyzed]);
    const c = this.classes.indexOf(result.category);
    const k = this.classes.length;
    const terms: TermContribution[] = [];
    for (let p = X.indptr[0]!; p < X.indptr[1]!; p++) {
      const j = X.indices[p]!;
      let others = 0;
      for (let o = 0; o < k; o++) if (o !== c) others += this.regression.coefficient(o, j);
      terms.push({ term: this.features.featureName(j), weight: X.data[p]! * (this.regression.coefficient(c, j) - others / (k - 1)) });
    }
    terms.sort((a, b) => b.weight - a.weight);
    return { result, normalized: analyzed.normalized, terms: terms.slice(0, top) };
  }

  /** Highest-weighted terms per class (weight relative to the other classes' average). */
  topTerms(top = 15): Record<string, TermContribution[]> {
    const k = this.classes.length;
    const out: Record<string, TermContribution[]> = {};
    this.classes.forEach((cls, c) => {
      const scored: TermContribution[] = [];
      for (let j = 0; j < this.features.featureCount; j++) {
        let others = 0;
        for (let o = 0; o < k; o++) if (o !== c) others += this.regression.coefficient(o, j);
        scored.push({ term: this.features.featureName(j), weight: this.regression.coefficient(c, j) - others / (k - 1) });
      }
      scored.sort((a, b) => b.weight - a.weight);
      out[cls] = scored.slice(0, top);
    });
    return out;
  }
}
