// JIT warm-up: V8 runs new code slowly until it has watched it run, and a worker's first
// block can cost fifty times a later one. A pool can have each worker evaluate a small
// synthetic city while the caller is still building its snapshot, so that the first
// real run meets optimised code.
import { benchCatalogue, benchDictionary, benchPopulation } from './bench-synthetic.ts';
import { evaluateColumnarSync } from './evaluate.ts';
import { sortForLocality } from './locality.ts';
import { compileCatalogue } from './plan.ts';
import { CountSink } from './sinks.ts';

export function warmUp(entities = 16_384, items = 300, rounds = 3): void {
  const dict = benchDictionary();
  const plan = compileCatalogue(dict, benchCatalogue(items, 99), 20240);
  const pop = sortForLocality(benchPopulation(dict, entities, 5));
  for (let i = 0; i < rounds; i++) evaluateColumnarSync(plan, pop, new CountSink(items));
}
