export { mixinConfig, runbookUrl } from './config.ts';
export * from './rules/index.ts';
export { generatedFiles, type GeneratedFile } from './outputs.ts';
