export * from './zeek-escapes.ts';
export * from './zeek-header.ts';
export * from './zeek-values.ts';
export * from './zeek-json.ts';
export * from './conn-from-values.ts';
export * from './zeek-log-parser.ts';
export * from './line-feeder.ts';
export * from './read-zeek-log.ts';
