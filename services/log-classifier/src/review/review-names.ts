/**
 * The review page's vocabulary: the labels and their keys, the modes, the job of its gauges. The gauges
 * themselves, the spot check's size and the gauge window live in @aiops/contracts (metrics, logReview).
 */

/** The person's verdicts, with the key that gives each on the page (c / w / i / n). */
export const REVIEW_LABELS = [
  { label: 'critical', key: 'c' },
  { label: 'warning', key: 'w' },
  { label: 'informational', key: 'i' },
  { label: 'noise', key: 'n' },
] as const;
export type ReviewLabel = (typeof REVIEW_LABELS)[number]['label'];

export const isReviewLabel = (value: unknown): value is ReviewLabel =>
  typeof value === 'string' && REVIEW_LABELS.some((l) => l.label === value);

/**
 * `queue`: a line the model flagged (confidence under its review threshold); `spot-check`: a line of the weekly
 * random sample of everything classified, labeled blind to the model's verdict (the agreement rate's source).
 */
export const REVIEW_MODES = ['queue', 'spot-check'] as const;
export type ReviewMode = (typeof REVIEW_MODES)[number];
export const isReviewMode = (value: unknown): value is ReviewMode => typeof value === 'string' && (REVIEW_MODES as readonly string[]).includes(value);

/** Job name of the review gauges (outbox snapshots of `review serve` and of `review metrics`). */
export const REVIEW_METRICS_JOB = 'log-classifier-review';
