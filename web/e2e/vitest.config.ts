// `npm run test:e2e`: the end-to-end journeys in a real Chromium against the real service.
// One service for the whole run (global setup: build the web if stale, seed a small demo,
// listen on 127.0.0.1:0), one fork, files one after another: the journeys share the city.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['web/e2e/**/*.e2e.ts'],
    globalSetup: ['web/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // The journeys build on one another's city, not on one another's results; still, one order.
    sequence: { shuffle: false },
  },
});
