import { defineConfig } from 'vitest/config';

// The READMEs' commands (test/readme/), run after the main suite and one at a time: `pnpm start`
// rebuilds everything and `pnpm bench` loads the CPU, which would disturb the suites' timings.
export default defineConfig({
  test: {
    include: ['test/readme/**/*.test.mjs'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
