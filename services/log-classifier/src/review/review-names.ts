/**
 * The review loop's names: the label keys, the modes, the gauges. Kept in one module until packages/contracts
 * takes them (issue 11); the thresholds (review below 0.6) stay with the model, which records its own.
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

/** The window of the agreement rate and of the reviewed-lines counts. */
export const REVIEW_GAUGE_WINDOW_DAYS = 7;

/** Default size of the weekly spot check (the seed's "50 random lines a week"). */
export const DEFAULT_SPOT_CHECK_SIZE = 50;

export const REVIEW_GAUGES = {
  pending: {
    name: 'aiops_logs_review_pending',
    help: 'Classified lines flagged for review (confidence < threshold) with no human label yet.',
  },
  agreement: {
    name: 'aiops_logs_review_agreement',
    help: 'Share of the spot-check lines of the last 7 days where the person agreed with the model (NaN: none reviewed).',
  },
  spotChecks: {
    name: 'aiops_logs_review_spot_checks',
    help: 'Spot-check lines labeled by a person in the last 7 days (the denominator of aiops_logs_review_agreement).',
  },
  reviewedLines: {
    name: 'aiops_logs_reviewed_lines',
    help: 'Lines labeled by a person in the last 7 days, per class the person gave and per mode (queue, spot-check).',
  },
} as const;
