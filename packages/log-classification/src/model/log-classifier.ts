/**
 * The pure "line → {category, confidence, review}" classifier, shared by files mode and the Elasticsearch mode
 * (it satisfies ./elasticsearch/line-classifier.ts's LineClassifier). Stable contract:
 *
 *   classifyLine(raw, { severity? })  → { line, category, confidence, review, probabilities, unseenTokenRatio, truncated }
 *                                     | { line, rejected: 'empty' | 'binary', reason }   (never throws on any input)
 *   classify(message, { severity? })  → { category, confidence, unseenTokenRatio }   (a rejected message → noise, confidence 0)
 *
 * `severity` is optional everywhere: the line's own severity as its source recorded it (the logs-* `severity`
 * field, a logger level: `err`, `WARNING`, `5`, …; see normalizeSeverity). Unknown or absent → the model decides from
 * the text alone (it was trained both ways).
 *
 * Decision: probabilities = softmax(logits / temperature); with decision.classBias, the class maximizing
 * ln p_c + classBias_c (per-class prior offsets tuned at training); else the class is `critical` when its probability
 * reaches decision.criticalThreshold, else the most probable class. Both are tuned at training to buy critical recall
 * with noise/warning precision. confidence = the chosen class's probability; review = confidence < decision.reviewBelow.
 * Before all that, a line of a known failure family (knowledge/families.ts: `kernel:oom`, `systemd:unit-failed`, …) or
 * matched by a fail2ban filter (`fail2ban:filter.d/sshd`) takes that rule's class; else a line that matches a phrase
 * of the labeling guide (model/guide-rules.ts, when the model has them) takes that rule's class (`guide:N6`). A rule
 * decision's confidence is its kind's precision on the training messages.
 */
import { argmax, clearMaskMemo, normalizeSeverity, sanitizeLogLine, softmaxRows, SoftmaxRegression, type CsrMatrix } from '@aiops/ml';
import { biasedArgmax } from './decision.ts';
import { FastRows } from './fast-rows.ts';
import { FeaturePipeline, type AnalyzedMessage } from './features.ts';
import { GuideRules } from './guide-rules.ts';
import type { ModelFile } from './model-file.ts';

export interface ClassifiedLine {
  line: string;
  category: string;
  confidence: number;
  review: boolean;
  probabilities: Record<string, number>;
  /** Share of the line's word tokens missing from the vocabulary (drift signal). */
  unseenTokenRatio: number;
  truncated: boolean;
  /**
   * The rule that decided the line, named with its source (`guide:N6`, `kernel:oom`, `systemd:unit-failed`,
   * `fail2ban:filter.d/sshd`), when one matched; the model decided otherwise. Written as `ml_rule`.
   */
  rule?: string;
}

/** Decisions of a batch: class index and confidence per line, and the model's probabilities (lines × classes). */
export interface BatchDecisions {
  chosen: Int32Array;
  confidence: Float64Array;
  probabilities: Float64Array;
  /** Per line, the deciding rule (knowledge or guide) or null. */
  rules: ({ label: number; rule: string } | null)[];
}

/** What a line's source tells beside its text. */
export interface LineContext {
  severity?: string | null;
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

/** softmax(values[offset … offset + k) / temperature), in place. */
function softmaxInPlace(values: Float64Array, offset: number, k: number, temperature: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, values[offset + c]! / temperature);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += values[offset + c] = Math.exp(values[offset + c]! / temperature - max);
  for (let c = 0; c < k; c++) values[offset + c] = values[offset + c]! / sum;
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
  readonly classBias: Float64Array | null;
  private readonly biasFactor: Float64Array | null;
  private readonly criticalIndex: number;
  private readonly unigramVocabulary: (token: string) => boolean;
  /** The fast path (model/fast-rows.ts) when the feature configuration allows it; else the CSR path. */
  private readonly fast: FastRows | null;
  /** The labeling guide's phrases as rules (model/guide-rules.ts), when the model was trained with them. */
  readonly rules: GuideRules | null;
  private readonly knowledgePrecision: number;

  constructor(readonly model: ModelFile) {
    this.features = new FeaturePipeline(model.features.config, { word: model.features.word, char: model.features.char }, model.knowledge?.file ?? null);
    this.regression = SoftmaxRegression.fromJSON(model.weights);
    this.classes = model.classes;
    this.version = model.modelVersion;
    this.trainedAt = model.trainedAt;
    this.reviewThreshold = model.decision.reviewBelow;
    this.baselineMacroF1 = model.heldOutMetrics?.macroF1 ?? Number.NaN;
    this.temperature = model.calibration.temperature;
    this.criticalThreshold = model.decision.criticalThreshold;
    this.classBias = model.decision.classBias ? Float64Array.from(model.decision.classBias) : null;
    this.biasFactor = this.classBias ? this.classBias.map(Math.exp) : null;
    this.criticalIndex = this.classes.indexOf('critical');
    this.unigramVocabulary = (token) => this.features.word.column(token) !== undefined;
    this.rules = model.guideRules ? new GuideRules(model.guideRules, this.classes) : null;
    this.fast = FastRows.supports(this.features) ? new FastRows(this.features, this.rules, this.classes) : null;
    this.knowledgePrecision = model.knowledge?.precision ?? 1;
  }

  /** How sure a rule decision is: its kind's precision on the training messages. */
  private ruleConfidence(rule: { rule: string }): number {
    return rule.rule.startsWith('guide:') ? this.rules!.precision : this.knowledgePrecision;
  }

  /** The rule a CSR-path analysis decides: knowledge first, then the guide. */
  private ruleOfAnalyzed(analyzed: AnalyzedMessage): { label: number; rule: string } | null {
    const known = analyzed.knowledgeRule;
    if (known) {
      const label = this.classes.indexOf(known.label);
      if (label >= 0) return { label, rule: known.rule };
    }
    return this.rules?.matchTokens(analyzed.tokens) ?? null;
  }

  /** Calibrated probabilities (rows × classes) of already-featurized rows. */
  probabilities(X: CsrMatrix): Float64Array {
    return softmaxRows(this.regression.decisionFunction(X), this.classes.length, this.temperature);
  }

  /**
   * Calibrated probabilities (rows × classes) of many sanitized messages: the batch path, each row featurized and
   * scored in one go (no n-gram strings, no matrix), or through the CSR path when the fast path does not apply.
   * With `rules`, line i's guide rule (or null) is written to rules[i].
   */
  probabilitiesOf(
    messages: readonly string[],
    severities?: readonly (string | null | undefined)[],
    rules?: ({ label: number; rule: string } | null)[],
  ): Float64Array {
    if (!this.fast) {
      const analyzed = messages.map((m, i) => this.features.analyze(m, normalizeSeverity(severities?.[i])));
      if (rules) analyzed.forEach((a, i) => (rules[i] = this.ruleOfAnalyzed(a)));
      return this.probabilities(this.features.transformAnalyzed(analyzed));
    }
    const k = this.classes.length;
    const out = new Float64Array(messages.length * k);
    for (let i = 0; i < messages.length; i++) {
      const row = this.fast.featurize(messages[i]!, normalizeSeverity(severities?.[i]), false);
      if (!this.fast.loadScores(row, out, i * k)) {
        this.regression.decisionRow(row.cols, row.values, row.nnz, out, i * k);
        softmaxInPlace(out, i * k, k, this.temperature);
        this.fast.storeScores(row, out, i * k);
      }
      if (rules) rules[i] = row.rule;
    }
    return out;
  }

  /** Class and confidence of many sanitized messages (guide rule first, then the model): the batch classifier. */
  decideAll(messages: readonly string[], severities?: readonly (string | null | undefined)[]): BatchDecisions {
    const rules: ({ label: number; rule: string } | null)[] = new Array(messages.length).fill(null);
    const probabilities = this.probabilitiesOf(messages, severities, rules);
    const k = this.classes.length;
    const chosen = new Int32Array(messages.length);
    const confidence = new Float64Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const rule = rules[i];
      chosen[i] = rule ? rule.label : this.decide(probabilities, i * k);
      confidence[i] = rule ? this.ruleConfidence(rule) : probabilities[i * k + chosen[i]!]!;
    }
    return { chosen, confidence, probabilities, rules };
  }

  /** Forgets the memoized chunks and masks (benchmarks measure a cold start with it). */
  clearCaches(): void {
    this.fast?.clearMemo();
    clearMaskMemo();
  }

  /** Class index chosen for one row of probabilities. */
  decide(probabilities: ArrayLike<number>, offset = 0): number {
    if (this.biasFactor) return biasedArgmax(probabilities, offset, this.biasFactor.length, this.biasFactor);
    if (this.criticalThreshold !== null && this.criticalIndex >= 0 && probabilities[offset + this.criticalIndex]! >= this.criticalThreshold) {
      return this.criticalIndex;
    }
    return argmax(probabilities, offset, this.classes.length);
  }

  classifyLine(raw: string, context: LineContext = {}): ClassifiedLine | RejectedLine {
    const echo = raw.length > ECHO_CHARS ? raw.slice(0, ECHO_CHARS) : raw;
    const clean = sanitizeLogLine(raw);
    if (!clean.ok) return { line: echo, rejected: clean.reason, reason: clean.detail };
    const severity = normalizeSeverity(context.severity);
    let proba: Float64Array;
    let tokens: number;
    let unseen: number;
    let rule: { label: number; rule: string } | null;
    if (this.fast) {
      const row = this.fast.featurize(clean.text, severity, false);
      proba = new Float64Array(this.classes.length);
      if (!this.fast.loadScores(row, proba, 0)) {
        this.regression.decisionRow(row.cols, row.values, row.nnz, proba, 0);
        softmaxInPlace(proba, 0, proba.length, this.temperature);
        this.fast.storeScores(row, proba, 0);
      }
      tokens = row.tokens;
      unseen = row.unseenTokens;
      rule = row.rule;
    } else {
      const analyzed = this.features.analyze(clean.text, severity);
      proba = this.probabilities(this.features.transformAnalyzed([analyzed]));
      tokens = analyzed.tokens.length;
      unseen = analyzed.tokens.filter((t) => !this.unigramVocabulary(t)).length;
      rule = this.ruleOfAnalyzed(analyzed);
    }
    const chosen = rule ? rule.label : this.decide(proba);
    // A rule's decision is as sure as the rules were on the training lines; the model's, its calibrated probability.
    const confidence = rule ? this.ruleConfidence(rule) : proba[chosen]!;
    return {
      line: echo,
      category: this.classes[chosen]!,
      confidence,
      review: confidence < this.reviewThreshold,
      probabilities: Object.fromEntries(this.classes.map((c, i) => [c, proba[i]!])),
      unseenTokenRatio: tokens === 0 ? 1 : unseen / tokens,
      truncated: clean.truncated,
      ...(rule ? { rule: rule.rule } : {}),
    };
  }

  /** The Elasticsearch mode's seam (LineClassifier.classify). */
  classify(message: string, context: LineContext = {}): { category: string; confidence: number; unseenTokenRatio: number; rule?: string } {
    const result = this.classifyLine(message, context);
    if ('rejected' in result) return { category: 'noise', confidence: 0, unseenTokenRatio: 1 };
    return { category: result.category, confidence: result.confidence, unseenTokenRatio: result.unseenTokenRatio, ...(result.rule ? { rule: result.rule } : {}) };
  }

  /** Terms of a line that decided its class, strongest first. */
  explainLine(raw: string, top = 10, context: LineContext = {}): { result: ClassifiedLine | RejectedLine; normalized: string; terms: TermContribution[] } {
    const result = this.classifyLine(raw, context);
    const clean = sanitizeLogLine(raw);
    if ('rejected' in result || !clean.ok) return { result, normalized: '', terms: [] };
    const analyzed = this.features.analyze(clean.text, normalizeSeverity(context.severity));
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
