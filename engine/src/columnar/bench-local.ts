// Local micro-benchmark of the columnar evaluator (not a test):
//   npx tsx engine/src/columnar/bench-local.ts [--entities 1000000] [--items 2728]
//     [--threads 2] [--words 256] [--unsorted] [--no-warm-up] [--runs 3]
// Prints build, compile and evaluation times and ns per (item, entity) decision, wall
// and CPU (the machine may be shared). Run 1 with threads is a fresh worker's cost.
import { performance } from 'node:perf_hooks';
import { parseDate } from '../values/dates.ts';
import { benchCatalogue, benchDictionary, benchPopulation } from './bench-synthetic.ts';
import { programFor, evaluateColumnarSync } from './evaluate.ts';
import { sortForLocality } from './locality.ts';
import { ColumnarPool, evaluateColumnar } from './parallel.ts';
import { compileCatalogue } from './plan.ts';
import { populationBytes } from './population.ts';
import { CountSink } from './sinks.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const entities = arg('entities', 1_000_000);
const itemCount = arg('items', 2728);
const threads = arg('threads', 2);
const words = arg('words', 256);
const runs = arg('runs', 3);
const sorted = !process.argv.includes('--unsorted');

const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;
// As a batch job would: the workers load while the snapshot is built.
const pool = threads > 1 ? await ColumnarPool.create(threads, { warmUp: !process.argv.includes('--no-warm-up') }) : undefined;
const dict = benchDictionary();
const day = parseDate('2025-06-01')!;

let t0 = performance.now();
const built = benchPopulation(dict, entities);
console.log(`population: ${entities} entities built in ${ms(t0)}, ${(populationBytes(built) / 2 ** 20).toFixed(1)} MiB of columns`);
t0 = performance.now();
const pop = sorted ? sortForLocality(built) : built;
if (sorted) console.log(`sortForLocality: ${ms(t0)}`);

t0 = performance.now();
const items = benchCatalogue(itemCount);
const plan = compileCatalogue(dict, items, day);
console.log(`compile ${itemCount} items: ${ms(t0)}`, plan.stats);
t0 = performance.now();
programFor(plan, pop);
console.log(`bind to population: ${ms(t0)}`);

const decisions = itemCount * entities;
// Wall time, and CPU time of all threads: the machine may be shared, CPU time is not.
const report = (label: string, t: number, cpu: NodeJS.CpuUsage) => {
  const c = (cpu.user + cpu.system) / 1000;
  console.log(`${label}: ${t.toFixed(0)} ms wall (${((t * 1e6) / decisions).toFixed(3)} ns/decision), ${c.toFixed(0)} ms CPU`);
};

// Threads first, so that their run 1 is what a fresh batch worker pays (JIT warm-up).
const parallel: CountSink[] = [];
for (let i = 0; pool && i < runs; i++) {
  t0 = performance.now();
  const c0 = process.cpuUsage();
  parallel.push(await evaluateColumnar(plan, pop, { pool, blockWords: words }));
  report(`${threads} threads, run ${i + 1}`, performance.now() - t0, process.cpuUsage(c0));
}

let counts = new CountSink(itemCount);
for (let i = 0; i < runs; i++) {
  counts = new CountSink(itemCount);
  t0 = performance.now();
  const c0 = process.cpuUsage();
  evaluateColumnarSync(plan, pop, counts, { blockWords: words });
  report(`1 thread, run ${i + 1}`, performance.now() - t0, process.cpuUsage(c0));
}
for (const par of parallel)
  if (par.eligible.some((x, k) => x !== counts.eligible[k]) || par.undetermined.some((x, k) => x !== counts.undetermined[k]))
    throw new Error('threads and single thread disagree');
await pool?.close();

const eligible = counts.eligible.reduce((s, x) => s + x, 0);
const undetermined = counts.undetermined.reduce((s, x) => s + x, 0);
console.log(`verdicts: ${eligible} eligible, ${undetermined} undetermined, of ${decisions}`);
