// worker_threads cannot run TypeScript by themselves: load the real worker (worker.ts) through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
