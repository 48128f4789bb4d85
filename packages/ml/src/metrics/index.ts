export { rocAuc, averagePrecision, precisionRecallAt, type ThresholdReport } from './ranking.ts';
export { silhouetteScore, type SilhouetteOptions } from './silhouette.ts';
export { percentile } from './percentile.ts';
export type { BinaryLabels } from './labels.ts';
