// Worker thread: evaluates the blocks it draws from the shared counter with its own
// BlockEvaluator (its own scratch), reading the population's shared columns.
import { parentPort, workerData } from 'node:worker_threads';
import type { BoundProgram } from './bind.ts';
import { BlockEvaluator } from './block.ts';
import type { SinkModule, WorkerJob, WorkerReply } from './parallel.ts';
import type { PopulationData } from './population.ts';
import { BitsetSink, CountSink, type ColumnarSink } from './sinks.ts';
import { warmUp } from './warmup.ts';

let prog: { id: number; value: BoundProgram } | undefined;
let pop: { id: number; value: PopulationData } | undefined;
let evaluator: { key: string; value: BlockEvaluator } | undefined;

async function run(job: WorkerJob): Promise<unknown> {
  if (job.prog) prog = { id: job.progId, value: job.prog };
  if (job.pop) pop = { id: job.popId, value: job.pop };
  if (prog?.id !== job.progId || pop?.id !== job.popId)
    throw new Error('工作线程缺少计划或人口快照 / worker is missing the plan or the population');
  const key = `${job.progId}/${job.popId}/${job.blockWords}`;
  if (evaluator?.key !== key) evaluator = { key, value: new BlockEvaluator(prog.value, pop.value, job.blockWords) };
  const ev = evaluator.value;

  let sink: ColumnarSink;
  let finish: () => unknown;
  if (job.sink === 'counts') {
    const counts = new CountSink(job.info.items);
    [sink, finish] = [counts, () => ({ eligible: counts.eligible, undetermined: counts.undetermined })];
  } else if (job.sink === 'bitsets') {
    sink = new BitsetSink(job.info.items, job.info.size, job.buffers);
    finish = () => null;
  } else {
    const mod = (await import(job.sink.module)) as SinkModule;
    const custom = mod.createSink(job.sink.options, job.info);
    [sink, finish] = [custom, () => custom.finish()];
  }
  for (;;) {
    const b0 = Atomics.add(job.counter, 0, job.chunk);
    if (b0 >= ev.blocks) break;
    const b1 = Math.min(ev.blocks, b0 + job.chunk);
    for (let b = b0; b < b1; b++) ev.evaluateBlock(b, sink);
  }
  return finish();
}

if ((workerData as { warmUp?: boolean } | undefined)?.warmUp) warmUp();

parentPort!.on('message', (job: WorkerJob) => {
  run(job).then(
    (result) => parentPort!.postMessage({ ok: true, result } satisfies WorkerReply),
    (e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply),
  );
});
