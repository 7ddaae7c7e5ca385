// Worker threads over blocks of the population. The columns live on SharedArrayBuffer,
// so a worker reads them without a copy; the bound program is sent once per worker and
// kept. Blocks are handed out through an atomic counter, so a thread that draws cheap
// blocks (say, all enterprises, for which few items apply) simply takes more of them.
// node:worker_threads is imported lazily: the rest of the engine stays browser-safe.
import type { Worker } from 'node:worker_threads';
import { ENTITY_KIND_FIELD } from '../dictionary/types.ts';
import type { BoundProgram } from './bind.ts';
import { DEFAULT_BLOCK_WORDS } from './block.ts';
import { evaluateColumnarSync, programFor, type ColumnarOptions } from './evaluate.ts';
import type { ColumnarPlan } from './plan.ts';
import type { PopulationData } from './population.ts';
import { BitsetSink, CountSink, type ColumnarSink } from './sinks.ts';

/** A sink a worker can build: built-in, or a module exporting createSink and merge. */
export type SinkSpec = 'counts' | 'bitsets' | { module: string; options?: unknown };

export interface SinkInfo {
  items: number;
  size: number;
  itemIds: string[];
}

/** The shape of a custom sink module (`{ module: url }`): one sink per thread, then merge. */
export interface SinkModule<R = unknown, M = unknown> {
  createSink(options: unknown, info: SinkInfo): ColumnarSink & { finish(): R };
  merge(results: R[], info: SinkInfo): M;
}

export interface ParallelOptions extends ColumnarOptions {
  /** Worker threads; default: the machine's available parallelism. 1 runs on this thread. */
  threads?: number;
  sink?: SinkSpec;
  /** Reuse warm workers across calls (see ColumnarPool); otherwise a pool lives for one call. */
  pool?: ColumnarPool;
  /** Blocks a worker takes at a time. */
  chunkBlocks?: number;
}

export interface WorkerJob {
  progId: number;
  prog?: BoundProgram;
  popId: number;
  pop?: PopulationData;
  blockWords: number;
  counter: Int32Array;
  chunk: number;
  sink: SinkSpec;
  buffers?: { t: Int32Array; u: Int32Array };
  info: SinkInfo;
}
export type WorkerReply = { ok: true; result: unknown } | { ok: false, error: string };

/**
 * Only the columns the program reads: typed arrays are shared, but code tables are
 * copied, and a snapshot may hold a million names no rule looks at.
 */
function columnsFor(prog: BoundProgram, pop: PopulationData): PopulationData {
  const columns: PopulationData['columns'] = {};
  for (const f of [ENTITY_KIND_FIELD, ...Object.keys(prog.plan.fieldTypes)]) if (pop.columns[f]) columns[f] = pop.columns[f];
  return { size: pop.size, columns };
}

let nextId = 1;
const ids = new WeakMap<object, number>();
const idOf = (o: object) => ids.get(o) ?? (ids.set(o, nextId++), nextId - 1);

interface Slot {
  worker: Worker;
  progId: number;
  popId: number;
}

export class ColumnarPool {
  private slots: Slot[] = [];
  private constructor(
    readonly threads: number,
    private readonly warm: boolean,
  ) {}

  /**
   * Starts the workers at once, so that they load (a few hundred ms under tsx) while the
   * caller builds its snapshot and plan. Idle workers do not keep the process alive.
   */
  static async create(threads?: number, options: { warmUp?: boolean } = {}): Promise<ColumnarPool> {
    const os = await import('node:os');
    const pool = new ColumnarPool(Math.max(1, threads ?? os.availableParallelism()), options.warmUp ?? false);
    if (pool.threads > 1) await pool.start();
    return pool;
  }

  private async start(): Promise<void> {
    if (this.slots.length) return;
    const { Worker } = await import('node:worker_threads');
    const url = new URL('./worker-boot.mjs', import.meta.url);
    for (let i = 0; i < this.threads; i++) this.slots.push({ worker: new Worker(url, { workerData: { warmUp: this.warm } }), progId: 0, popId: 0 });
    for (const s of this.slots) s.worker.unref();
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** Runs the program over every block; resolves with one sink result per worker. Runs queue up. */
  run(prog: BoundProgram, pop: PopulationData, job: Omit<WorkerJob, 'progId' | 'popId' | 'counter'>): Promise<unknown[]> {
    const next = this.queue.then(() => this.runNow(prog, pop, job));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(prog: BoundProgram, pop: PopulationData, job: Omit<WorkerJob, 'progId' | 'popId' | 'counter'>): Promise<unknown[]> {
    await this.start();
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const progId = idOf(prog);
    const popId = idOf(pop);
    return Promise.all(
      this.slots.map(
        (slot) =>
          new Promise<unknown>((resolve, reject) => {
            const w = slot.worker;
            const msg: WorkerJob = {
              ...job,
              progId,
              popId,
              counter,
              ...(slot.progId !== progId ? { prog } : {}),
              ...(slot.popId !== popId ? { pop: columnsFor(prog, pop) } : {}),
            };
            const onError = (e: Error) => {
              w.off('message', onMessage);
              slot.progId = slot.popId = 0;
              reject(e);
            };
            const onMessage = (r: WorkerReply) => {
              w.off('error', onError);
              w.unref();
              if (r.ok) resolve(r.result);
              else reject(new Error(r.error));
            };
            w.once('message', onMessage);
            w.once('error', onError);
            w.ref();
            w.postMessage(msg);
            slot.progId = progId;
            slot.popId = popId;
          }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}

export function evaluateColumnar(plan: ColumnarPlan, pop: PopulationData, options?: ParallelOptions & { sink?: 'counts' }): Promise<CountSink>;
export function evaluateColumnar(plan: ColumnarPlan, pop: PopulationData, options: ParallelOptions & { sink: 'bitsets' }): Promise<BitsetSink>;
export function evaluateColumnar(plan: ColumnarPlan, pop: PopulationData, options: ParallelOptions): Promise<unknown>;
/** Evaluates every item over the population with worker threads. */
export async function evaluateColumnar(plan: ColumnarPlan, pop: PopulationData, options: ParallelOptions = {}): Promise<unknown> {
  const spec = options.sink ?? 'counts';
  const info: SinkInfo = { items: plan.roots.length, size: pop.size, itemIds: plan.itemIds };
  const blockWords = options.blockWords ?? DEFAULT_BLOCK_WORDS;
  const pool = options.pool ?? (await ColumnarPool.create(options.threads));
  if (pool.threads <= 1 && !options.pool) {
    const mod = typeof spec === 'object' ? ((await import(spec.module)) as SinkModule) : undefined;
    const sink = spec === 'counts' ? new CountSink(info.items) : spec === 'bitsets' ? new BitsetSink(info.items, info.size) : mod!.createSink(spec.options, info);
    evaluateColumnarSync(plan, pop, sink, { blockWords });
    return mod ? mod.merge([(sink as ReturnType<SinkModule['createSink']>).finish()], info) : sink;
  }
  try {
    const prog = programFor(plan, pop);
    const bits = spec === 'bitsets' ? new BitsetSink(info.items, info.size) : undefined;
    const results = await pool.run(prog, pop, {
      blockWords,
      chunk: Math.max(1, options.chunkBlocks ?? 1),
      sink: spec,
      info,
      ...(bits ? { buffers: { t: bits.t, u: bits.u } } : {}),
    });
    if (bits) return bits;
    if (spec === 'counts') {
      const total = new CountSink(info.items);
      for (const r of results) total.add(r as CountSink);
      return total;
    }
    const mod = (await import((spec as { module: string }).module)) as SinkModule;
    return mod.merge(results, info);
  } finally {
    if (!options.pool) await pool.close();
  }
}
