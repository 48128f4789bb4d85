/**
 * The real public data the project is evaluated on lives beside the repository (`../shared`: data/, labels/),
 * not in it; AIOPS_SHARED_DIR points elsewhere. Tests, evaluations and benchmarks resolve it here, in one place.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function sharedDir(...parts: string[]): string {
  return resolve(process.env.AIOPS_SHARED_DIR ?? resolve(REPO_ROOT, '../shared'), ...parts);
}
