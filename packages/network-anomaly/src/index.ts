export * from './pipeline.ts';
export * from './evaluation.ts';
