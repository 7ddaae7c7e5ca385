// Starts the one service every journey uses and hands its address to the test files.
import type { TestProject } from 'vitest/node';
import { startService } from './harness.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // KX_E2E_URL: walk the journeys against a service already running (while writing them).
  if (process.env.KX_E2E_URL) {
    project.provide('baseUrl', process.env.KX_E2E_URL);
    return async () => {};
  }
  const t0 = Date.now();
  const service = await startService((s) => { if (process.env.KX_E2E_VERBOSE) console.log(s); });
  console.log(`e2e: 服务已启动 / service up at ${service.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  project.provide('baseUrl', service.url);
  return () => service.stop();
}
