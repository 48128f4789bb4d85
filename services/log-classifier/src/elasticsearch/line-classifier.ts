/**
 * What the Elasticsearch mode needs from a trained model: a verdict per message and the model's identity.
 * The files-mode core (../) provides it; this seam keeps the ES plumbing independent of the model's internals.
 */
interface LineVerdict {
  category: string;
  confidence: number;
  /** Share of the line's tokens missing from the model's vocabulary (drift signal). */
  unseenTokenRatio: number;
  /** The labeling-guide rule that decided the line (`N6`), when one did. */
  rule?: string;
}

export interface LineClassifier {
  version: string;
  /** ISO time the model was trained. */
  trainedAt: string;
  classes: readonly string[];
  /** Macro-F1 on the model's own held-out templates: the baseline drift is measured against. */
  baselineMacroF1: number;
  /** Confidence under which a line is flagged for review. */
  reviewThreshold: number;
  /** `severity`: the line's own (syslog) severity when the raw document has one, in any spelling; it sharpens the verdict. */
  classify(message: string, context?: { severity?: string }): LineVerdict;
}
