import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,mjs}', 'spectral/test/**/*.test.mjs', 'packages/*/test/**/*.test.{ts,mjs}'],
    // The READMEs' commands run afterwards, on their own (vitest.readme.config.mjs).
    exclude: [...configDefaults.exclude, 'test/readme/**'],
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
