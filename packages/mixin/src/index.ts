export { mixinConfig, runbookUrl } from './config.ts';
export { CAPACITY_EXPRESSIONS, recordedName, type CapacityExpression } from './capacity-expressions.ts';
export * from './rules/index.ts';
export { generatedFiles, type GeneratedFile } from './outputs.ts';
