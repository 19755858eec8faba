import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // dbt on the BigQuery emulator is work in progress (issue 3): these two run only when asked for,
    // with PARLEY_BQ_DBT_TESTS=1. Everything else, BigQuery sync tests included, always runs.
    exclude: ['**/node_modules/**', ...(process.env.PARLEY_BQ_DBT_TESTS ? [] : ['test/e2e/bigquery-emulator-probe.test.ts', 'test/e2e/bigquery-vs-duckdb.test.ts'])],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Two cores: end-to-end files each run a simulator, a sync and often dbt.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
