/**
 * Writes the mixin's generated files (rules YAML, dashboards JSON) into the repository, or with --check lists
 * the committed ones that differ from a fresh generation and exits 1 (CI's staleness check).
 *   pnpm mixin:generate [--check]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from './outputs.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('usage: pnpm mixin:generate [--check]\n  writes infrastructure/prometheus/rules/*.rules.yml and infrastructure/grafana/**; --check only compares (exit 1 when stale)');
  process.exit(0);
}
const check = args.includes('--check');
const stale: string[] = [];
for (const file of generatedFiles()) {
  const target = resolve(REPO_ROOT, file.path);
  if (readOrEmpty(target) === file.content) continue;
  stale.push(file.path);
  if (!check) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}
if (check && stale.length > 0) {
  console.error(`stale generated files (run pnpm mixin:generate):\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
console.error(check ? 'generated files are up to date' : `wrote ${stale.length} file(s)${stale.length ? `:\n  ${stale.join('\n  ')}` : ''}`);
