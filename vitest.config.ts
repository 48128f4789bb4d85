import { defineConfig } from 'vitest/config';

// Integration tests (*.int.test.ts) talk to the real dev stack (scripts/dev-stack.sh up); they restart
// servers and share indices, so they run one file at a time. Unit tests run in parallel.
export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary scripts/test-all.sh prints last (what CI reads).
    reporters: ['default', 'json'],
    outputFile: { json: 'out/vitest-report.json' },
    projects: [
      {
        test: {
          name: 'unit',
          // Property tests and real-data checks take a few seconds alone; on a loaded 2-core CI machine, more.
          testTimeout: 60_000,
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'services/*/src/**/*.int.test.ts', 'tests/**/*.int.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
