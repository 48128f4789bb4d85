export * from './indices.ts';
export * from './metrics.ts';
export * from './thresholds.ts';
export * from './capacity-series.ts';
