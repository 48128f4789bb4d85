export { IsolationForest, DEFAULT_PARAMS, type IsolationForestOptions } from './isolation-forest.ts';
export { denseMatrix, matrixFromRows, type DenseMatrix } from './matrix.ts';
export { averagePathLength } from './path-length.ts';
export type { FeatureContribution } from './explain.ts';
export {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type IsolationForestJson,
  type IsolationForestParams,
  type TrainingMetadata,
} from './serialization.ts';
// Seeded synthetic data for tests and benchmarks.
export { gaussianMatrix } from './test-data.ts';
