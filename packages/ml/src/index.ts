// The package's modules arrive with their pipeline issues (see README.md); nothing is exported yet.
export {};
// Log classification (text preprocessing, TF-IDF, logistic regression, calibration, classification metrics).
export * from './text/index.ts';
export * from './tfidf/index.ts';
export * from './logistic-regression/index.ts';
export * from './calibration/index.ts';
export * from './metrics/classification.ts';
// Capacity forecasting (Prophet / MSTL wrappers, backtests, days to exhaustion).
export * from './forecast/index.ts';
// Network anomaly detection (Isolation Forest) and ranking / clustering metrics.
export * from './isolation-forest/index.ts';
export * from './metrics/index.ts';
export { mulberry32, SeededRandom, sampleWithoutReplacement } from './random.ts';
