export * from './pipeline.ts';
export * from './connection-score.ts';
export * from './evaluation.ts';
// Host-level detection beside the per-connection forest, their fusion, the evaluation protocols, the incident view.
export * from './host-detection.ts';
export * from './fusion.ts';
export * from './incidents.ts';
export * from './protocols.ts';
export * from './protocol-runs.ts';
