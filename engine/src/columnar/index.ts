// The columnar batch evaluator (evaluator 3 of 4): every policy item of a catalogue
// against a whole population held as typed arrays, with the semantics of the reference
// interpreter (Kleene logic, exact decimals) and a few word operations per 32 entities.
//
//   const pool = await ColumnarPool.create(2, { warmUp: true });       // workers load while we build
//   const plan = compileCatalogue(dict, items, day);                    // plan.stats: leaves total/distinct/fallback
//   const b = new PopulationBuilder(dict, { fields: planFields(plan) }); // row by row; or buildPopulation(dict, entities)
//   const pop  = sortForLocality(b.finish());                          // kind, then region: ~4× faster evaluation
//   const v    = columnarVerdicts(plan, pop);  v.verdict(item, row)    // small populations, tests
//   const c    = columnarCounts(plan, pop);    c.eligible[item]
//   evaluateColumnarSync(plan, pop, sink);                              // any ColumnarSink, one thread
//   await evaluateColumnar(plan, pop, { pool });                        // CountSink, worker threads
//   await evaluateColumnar(plan, pop, { pool, sink: 'bitsets' | { module: ROWS_SINK } });
//
// How it is fast: items are bound to the day and share one condition graph (equal
// leaves and subtrees once); per block of entities each field is bucketed once, so a
// threshold test is a cumulative bitset; a code test is an OR of per-code buckets;
// booleans are (T, F) bitset pairs; an `and` stops at the first conjunct that is false
// for the whole block, and its work narrows to the words where it can still hold
// (sortForLocality puts kinds and regions together). Conditions without a bitset form
// (arithmetic between fields, if/tier/lookup inside a condition) are evaluated entity
// by entity, only where still needed, through a certified double shortcut or exact
// decimals. Rows are rows of the snapshot: `pop.ids[row]`, `pop.sourceRow[row]`.
export { buildPopulation, PopulationBuilder, populationBytes, readFact } from './population.ts';
export type { ColumnarPlan, PlanData, PlanNode, PlanStats, RuleInput } from './plan.ts';
export type { ColumnData, DateColumn, DictColumn, NumColumn, Population, PopulationData, PopulationOptions, SetColumn } from './population.ts';
export { sortForLocality } from './locality.ts';
export { compileCatalogue, compileRules, planFields, PlanBuilder } from './plan.ts';
export type { Leaf as ColumnarLeaf } from './leaves.ts';
export { bindPlan, type BoundProgram } from './bind.ts';
export { BlockEvaluator, DEFAULT_BLOCK_WORDS } from './block.ts';
export { columnarCounts, columnarVerdicts, evaluateColumnarSync, programFor, type ColumnarOptions } from './evaluate.ts';
export { ColumnarPool, evaluateColumnar, type ParallelOptions, type SinkInfo, type SinkModule, type SinkSpec } from './parallel.ts';
export { BitsetSink, CountSink, type ColumnarSink } from './sinks.ts';
export { ROWS_SINK, type ItemRows } from './rows-sink.ts';
