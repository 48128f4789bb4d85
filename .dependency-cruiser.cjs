/**
 * Import cycles including type-only imports (eslint's import-x/no-cycle skips `import type`): a type cycle still
 * ties two modules into one unit. `pnpm lint` runs this after eslint (tests/eslint-rules.test.ts proves it fails).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other (types included) are one module: merge them or move the shared part.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|out|\\.stack|bench/\\.venv)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
