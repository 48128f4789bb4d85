export * from './sanitize.ts';
export * from './log-message.ts';
export * from './tokenizer.ts';
export * from './severity.ts';
