import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Two cores: end-to-end files each run a simulator, a sync and often dbt.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
