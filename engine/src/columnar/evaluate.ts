// Single-thread entry points, and the glue shared with the worker threads.
import type { BoundProgram } from './bind.ts';
import { bindPlan } from './bind.ts';
import { BlockEvaluator, DEFAULT_BLOCK_WORDS } from './block.ts';
import type { ColumnarPlan } from './plan.ts';
import type { PopulationData } from './population.ts';
import { BitsetSink, CountSink, type ColumnarSink } from './sinks.ts';

export interface ColumnarOptions {
  /** Words (32 entities each) per block; the default keeps a block's bitsets in L2. */
  blockWords?: number;
}

const bound = new WeakMap<ColumnarPlan, WeakMap<PopulationData, BoundProgram>>();

/** bindPlan, remembered per (plan, population). */
export function programFor(plan: ColumnarPlan, pop: PopulationData): BoundProgram {
  let byPop = bound.get(plan);
  if (!byPop) bound.set(plan, (byPop = new WeakMap()));
  let prog = byPop.get(pop);
  if (!prog) byPop.set(pop, (prog = bindPlan(plan, pop)));
  return prog;
}

/** Evaluates every item of the plan over the whole population, on this thread. */
export function evaluateColumnarSync(plan: ColumnarPlan, pop: PopulationData, sink: ColumnarSink, options: ColumnarOptions = {}): void {
  const ev = new BlockEvaluator(programFor(plan, pop), pop, options.blockWords ?? DEFAULT_BLOCK_WORDS);
  for (let b = 0; b < ev.blocks; b++) ev.evaluateBlock(b, sink);
}

/** Every (item, entity) verdict, for small populations: `.verdict(item, row)`. */
export function columnarVerdicts(plan: ColumnarPlan, pop: PopulationData, options: ColumnarOptions = {}): BitsetSink {
  const sink = new BitsetSink(plan.roots.length, pop.size);
  evaluateColumnarSync(plan, pop, sink, options);
  return sink;
}

/** Eligible and undetermined counts per item. */
export function columnarCounts(plan: ColumnarPlan, pop: PopulationData, options: ColumnarOptions = {}): CountSink {
  const sink = new CountSink(plan.roots.length);
  evaluateColumnarSync(plan, pop, sink, options);
  return sink;
}
