/**
 * The package-graph rules of `pnpm lint` hold: a deliberately added import cycle (value imports: eslint's
 * import-x/no-cycle; type-only imports: dependency-cruiser), a bench import of a service's src/, and a package
 * importing the test helpers each fail, and an import by package name passes. The real tree passes in CI.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/stack.ts';

const eslint = new ESLint({ cwd: REPO_ROOT });
const probeDir = join(REPO_ROOT, 'packages/common/src', `eslint-probe-${process.pid}`);
afterAll(() => rmSync(probeDir, { recursive: true, force: true }));

/** The source of a probe module importing `path` through `up`: the very imports the rules forbid, as lint input only. */
const importOf = (up: string, path: string) => `import { x } from '${up}/${path}';\nconsole.log(x);\n`;

async function ruleIds(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, file) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('eslint package-graph rules', () => {
  it('fail on an import cycle of values (eslint)', async () => {
    mkdirSync(probeDir, { recursive: true });
    writeFileSync(join(probeDir, 'a.ts'), "import { b } from './b.ts';\nexport const a = () => b;\n");
    writeFileSync(join(probeDir, 'b.ts'), "import { a } from './a.ts';\nexport const b = () => a;\n");
    const [result] = await eslint.lintFiles([join(probeDir, 'a.ts')]);
    expect(result!.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
  }, 60_000);

  it('fail on a type-only import cycle (dependency-cruiser)', async () => {
    const dir = join(probeDir, 'types');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.ts';\nexport interface A { b?: B }\n");
    writeFileSync(join(dir, 'b.ts'), "import type { A } from './a.ts';\nexport interface B { a?: A }\n");
    const run = promisify(execFile)('pnpm', ['exec', 'depcruise', dir, '--config', '.dependency-cruiser.cjs'], { cwd: REPO_ROOT });
    await expect(run).rejects.toMatchObject({ stdout: expect.stringMatching(/no-circular/) });
  }, 60_000);

  it("fail on a bench import of a service's src/ or a package's src/", async () => {
    expect(await ruleIds(importOf('../..', 'services/log-classifier/src/cli.ts'), 'bench/probe/run.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(importOf('../..', 'packages/ml/src/index.ts'), 'tests/probe.test.ts')).toContain('no-restricted-imports');
  });

  it('fail on a package importing tests/support, and pass an import by package name', async () => {
    expect(await ruleIds(importOf('../../../..', 'tests/support/stack.ts'), 'packages/zeek/src/reader/probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { metrics } from '@aiops/contracts';\nconsole.log(metrics);\n", 'bench/probe/run.ts')).toEqual([]);
  });
});
