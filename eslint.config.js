// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The package graph is part of the design (docs/architecture.md): pure cores in packages/, thin services, and
 * bench/ and tests/ that use the packages as a user would — by name (`@aiops/ml`), never through another
 * package's `src/` or a service's internals. Import cycles are errors (tests/eslint-rules.test.ts proves both).
 */
const noReachingIn = {
  patterns: [
    {
      group: ['**/packages/*/src/**', '**/services/*/src/**', '**/node_modules/**'],
      message: 'Import a workspace package by its name (@aiops/…), not through its src/ folder or node_modules.',
    },
    { group: ['**/tests/support/**'], message: 'Packages and services never import the test helpers (tests/support).' },
  ],
};

export default tseslint.config(
  { ignores: ['.dependency-cruiser.cjs', '**/node_modules/**', '**/dist/**', '.stack/**', 'out/**', 'bench/.venv/**', 'infrastructure/grafana/dashboards/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Type-only imports count: a type cycle still ties two modules into one unit.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': ['error', noReachingIn],
    },
  },
  {
    // Inside a package its own relative imports are fine; the rule above stops reaching into *another* package.
    files: ['packages/**/*.ts', 'services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/tests/support/**', '../../../packages/**', '../../../services/**', '../../packages/**', '../../services/**'], message: noReachingIn.patterns[0].message }] },
      ],
    },
  },
  {
    // Scripts that run in the browser (the review page's), not in Node.
    files: ['services/*/src/**/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', window: 'readonly', fetch: 'readonly', Element: 'readonly', HTMLInputElement: 'readonly', HTMLSelectElement: 'readonly', HTMLTextAreaElement: 'readonly' },
    },
  },
);
