/**
 * packages/contracts is the one place each metric name and threshold is written. This test walks the tree and
 * fails on a copy: a metric name as a whole quoted string anywhere else in TypeScript (tests included — they
 * take names from @aiops/contracts too), and the thresholds' literal forms in production code (tests may build
 * fixtures with any number). Generated files (rules, dashboards, docs/contracts.md) are checked by their own
 * staleness tests instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metrics } from '@aiops/contracts';
import { REPO_ROOT } from './support/stack.ts';

const SKIP_DIRS = new Set(['node_modules', '.stack', 'out', 'dist', '.venv', '.git', 'contracts']);

function sourceFiles(dir: string, acc: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) sourceFiles(join(dir, entry.name), acc);
    } else if (entry.name.endsWith('.ts')) {
      acc.push(join(dir, entry.name));
    }
  }
  return acc;
}

const ROOTS = ['packages', 'services', 'tests', 'bench', 'scripts'].map((d) => join(REPO_ROOT, d));
const files = ROOTS.flatMap((root) => sourceFiles(root)).filter((f) => f !== import.meta.filename);
const isTest = (f: string) => /\.test\.ts$|\/tests\//.test(f);

/** Each threshold's literal forms, as they were written before they moved into packages/contracts. */
const THRESHOLD_LITERALS: Record<string, RegExp> = {
  'capacity 85/95 % (as numbers)': /\[\s*85\s*,\s*95\s*\]/,
  'capacity 85/95 % (as labels)': /(['"`])(85|95)\1/,
  'review confidence 0.6': /(review|confidence)[^\n]*\b0\.6\b|\b0\.6\b[^\n]*(review|confidence)/i,
  'contamination default 0.01': /(['"`])0\.01\1|contamination\s*[:=]\s*0\.01\b/,
  'capacity lead times 7/14 d': /\b(7|14)\s*\*\s*86_?400\b.*(warn|crit|lead)/i,
};

function hits(pattern: RegExp, candidates: string[]): string[] {
  const out: string[] = [];
  for (const file of candidates) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (pattern.test(line)) out.push(`${relative(REPO_ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  return out;
}

describe('packages/contracts is the single source', () => {
  it('scans a real tree', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it.each(Object.values(metrics).map((m) => m.name))('metric %s is written only in packages/contracts', (name) => {
    expect(hits(new RegExp(`(['"])${name}\\1`), files)).toEqual([]);
  });

  it.each(Object.keys(THRESHOLD_LITERALS))('threshold %s is written only in packages/contracts', (key) => {
    expect(hits(THRESHOLD_LITERALS[key]!, files.filter((f) => !isTest(f)))).toEqual([]);
  });
});
