export { drainOutbox, isPermanentPushFailure, nextPassDelayMs, type DrainOptions, type DrainOutbox, type DrainResult } from './drain.ts';
export { DRAIN_LOCK_NAME, Exporter, type ExporterOptions, type Health, type PassOutcome } from './exporter.ts';
export { buildHttpServer, parseListenAddress, type ListenAddress } from './http-server.ts';
export { serve, type ServeOptions } from './commands/serve.ts';
