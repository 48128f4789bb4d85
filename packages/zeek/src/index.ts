export type { ConnRecord } from './conn-record.ts';
// Reading Zeek logs (TSV/JSON, plain/gzip): generic records for every log path, ConnRecords for conn.log.
export * from './reader/index.ts';
// conn features for the anomaly scorer, and the synthetic-attack injection of its evaluation.
export * from './features/index.ts';
export * from './injection/index.ts';
