#!/usr/bin/env node
// Entry point of the `kx` command. The sources are TypeScript; tsx loads them
// so that the CLI, the tests and the benchmarks all run the very same code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
try {
  await main(process.argv);
} catch (err) {
  // Errors we raise are written for people (中文 / English); a stack trace helps nobody.
  console.error(err instanceof Error ? err.message : String(err));
  if (process.env.KX_DEBUG) console.error(err);
  process.exit(1);
}
