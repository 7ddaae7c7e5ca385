#!/usr/bin/env node
// Entry point of the `kx` command. The sources are TypeScript; tsx loads them
// so that the CLI, the tests and the benchmarks all run the very same code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv);
