/** The committed generated files are what the TypeScript generates now (CI's staleness check). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from './outputs.ts';

const REPO_ROOT = new URL('../../../', import.meta.url).pathname;

describe('generated files', () => {
  for (const file of generatedFiles()) {
    it(`${file.path} is up to date (else run pnpm mixin:generate)`, () => {
      expect(readFileSync(REPO_ROOT + file.path, 'utf8')).toBe(file.content);
    });
  }
});
