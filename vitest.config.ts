import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'data/**/*.test.ts', 'server/**/*.test.ts', 'cli/**/*.test.ts', 'web/src/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores: most files wait on PostgreSQL or a child process, so two side by side finish the
    // suite in 15 min instead of 24 (the default on 2 cores is one worker); CI must stay under 30.
    maxWorkers: 2,
    // Scans the logs the whole run wrote for ID numbers and phone numbers (R14).
    globalSetup: ['server/test/log-scan.global.ts'],
    coverage: {
      provider: 'v8',
      include: ['engine/src/**/*.ts'],
      // Benchmark scripts are not engine code; the worker entry runs inside worker threads,
      // which V8 coverage does not see (parallel.test.ts exercises it).
      exclude: ['engine/src/**/*.test.ts', 'engine/src/**/bench-*.ts', 'engine/src/columnar/worker.ts', 'engine/src/index.ts', 'engine/src/**/index.ts'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: { lines: 90 },
    },
  },
});
