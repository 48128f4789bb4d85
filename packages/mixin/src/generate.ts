/**
 * Writes the mixin's generated files (rules YAML, dashboards JSON) into the repository, or with --check lists
 * the committed ones that differ from a fresh generation and exits 1 (CI's staleness check); with
 * --profile stress --out DIR writes only the rule files of the stress profile (short `for:`) into DIR.
 *   pnpm mixin:generate [--check] | --profile stress --out DIR
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles, PROFILES, profileRuleFiles, type Profile } from './outputs.ts';

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
  console.log(
    'usage: pnpm mixin:generate [--check] | --profile stress --out DIR\n' +
      '  writes infrastructure/prometheus/rules/*.rules.yml and infrastructure/grafana/**; --check only compares (exit 1 when stale)\n' +
      '  --profile stress --out DIR: only the rule files, every alert `for:` shortened (mixinConfig.stressProfile), into DIR',
  );
  process.exit(0);
}
const profileAt = args.indexOf('--profile');
if (profileAt >= 0) {
  const profile = args[profileAt + 1] as Profile;
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  if (!PROFILES.includes(profile) || !out) {
    console.error(`mixin:generate: --profile takes one of ${PROFILES.join(', ')} and needs --out DIR`);
    process.exit(64);
  }
  mkdirSync(out, { recursive: true });
  for (const file of profileRuleFiles(profile)) writeFileSync(resolve(out, file.path), file.content);
  console.error(`wrote the ${profile} profile's rule files into ${out}`);
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
