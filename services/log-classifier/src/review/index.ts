/** The review page's pieces, for the cross-service tests (tests/integration/review-*.int.test.ts). */
export { buildReviewServer, SESSION_COOKIE, type ReviewServerOptions } from './review-server.ts';
export { ReviewStore, type ReviewDocument, type ReviewLine } from './review-store.ts';
export { defaultSpotCheckWeek, parseIsoWeek, reviewDocumentId, spotCheckSeed } from './review-queue.ts';
export { REVIEW_METRICS_JOB } from './review-names.ts';
