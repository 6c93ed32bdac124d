import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,mjs}', 'spectral/test/**/*.test.mjs', 'packages/*/test/**/*.test.{ts,mjs}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Type tests (*.test-d.ts) are compiled by tsc, never run; a wrong type fails the suite.
    typecheck: {
      enabled: true,
      include: ['packages/client/test/**/*.test-d.ts'],
      tsconfig: 'packages/client/test/tsconfig.json',
      ignoreSourceErrors: false,
    },
  },
});
