// The job worker process (`kx worker`): any number of them, on any number of machines, share
// the PostgreSQL queue. Heavy jobs (a full re-match, a publication, a simulation, the daily
// expiry) run one at a time on a warm snapshot with worker threads; entity jobs run beside
// them, several at once, since each is a millisecond of CPU between two queries.
import { ColumnarPool } from '@kx/engine';
import type { Ctx } from './context.ts';
import { catalogueJobs, expireDue, scheduleDailyExpiry } from './modules/catalogue/expiry.ts';
import { enqueueGrantsAfterFullMatch, enqueueGrantsAfterItemMatch, grantJobs, scheduleDailyGrantRun } from './modules/grants/job.ts';
import { applicationJobs } from './modules/applications/deadlines.ts';
import { Worker, type JobHandler } from './modules/jobs/queue.ts';
import { refreshEntity } from './modules/matching/entity.ts';
import { runFull, runItem } from './modules/matching/runs-service.ts';
import { runSimulationJob, SIMULATE_QUEUE } from './modules/matching/simulate.ts';
import { matchingState } from './modules/matching/state.ts';
import { pushWorker } from './modules/push/worker.ts';

export const ENTITY_QUEUE = 'match.entity';

/** The matching jobs, by queue. */
export function matchingJobs(ctx: Ctx): Record<string, JobHandler> {
  return {
    // A finished run enqueues the grant run its verdicts call for (免申即享 without an operator).
    'match.full': async (job, { progress }) => {
      const summary = await runFull(ctx, { by: (job.payload.requested_by as string | null | undefined) ?? null, reload: job.payload.reload === true, progress: (p) => progress(p) });
      await enqueueGrantsAfterFullMatch(ctx.db, summary.run_id);
      return summary;
    },
    'match.item': async (job) => {
      const summary = await runItem(ctx, String(job.payload.item_id), Number(job.payload.version));
      if (!summary.skipped) await enqueueGrantsAfterItemMatch(ctx.db, summary.item_id, summary.version);
      return summary;
    },
    [ENTITY_QUEUE]: async (job) => refreshEntity(ctx, String(job.payload.entity_id)),
    [SIMULATE_QUEUE]: async (job) => runSimulationJob(ctx, job.payload as never),
  };
}

export interface WorkerOptions {
  /** Worker threads for columnar evaluation (default: all cores). */
  threads?: number;
  /** Entity jobs run at once. */
  entityConcurrency?: number;
  /** Load the snapshot at start rather than at the first job that needs it. */
  warm?: boolean;
  pollMs?: number;
  log?: (msg: string) => void;
}

export interface RunningWorker {
  /** Processes every ready job once (tests, `kx worker --once`); returns how many ran. */
  drain(): Promise<number>;
  /** Runs until stop(). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createWorker(ctx: Ctx, opts: WorkerOptions = {}): Promise<RunningWorker> {
  const state = matchingState(ctx);
  state.pool ??= await ColumnarPool.create(opts.threads, { warmUp: true });
  const log = opts.log ?? (() => {});
  // Push: its jobs join the others; its dispatcher runs beside them (start() only).
  const push = pushWorker(ctx, log);
  const all = { ...matchingJobs(ctx), ...catalogueJobs(ctx), ...applicationJobs(ctx), ...grantJobs(ctx), ...push.jobs };
  const { [ENTITY_QUEUE]: entityJob, ...heavyJobs } = all;
  const heavy = new Worker(ctx.db, heavyJobs, { concurrency: 1, pollMs: opts.pollMs, log });
  const light = new Worker(ctx.db, { [ENTITY_QUEUE]: entityJob }, { concurrency: opts.entityConcurrency ?? 8, pollMs: opts.pollMs, log });
  if (opts.warm) {
    // In the background: jobs that need the snapshot wait for this load rather than start another.
    void state.reload().then(
      (s) => log(`snapshot: ${s.size} entities, ${s.fields.length} fields`),
      (e: unknown) => log(`snapshot load failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
  let running: Promise<unknown> | undefined;
  return {
    async drain() {
      let n = 0;
      for (;;) {
        const k = (await heavy.drain()) + (await light.drain());
        if (!k) return n;
        n += k;
      }
    },
    async start() {
      // A running worker keeps the daily grant run scheduled (one job per day, keyed by the
      // day, so any number of workers starting schedule it once); drain() does not.
      await scheduleDailyGrantRun(ctx).catch((e: unknown) => log(`daily grant run not scheduled: ${e instanceof Error ? e.message : String(e)}`));
      // Items past their valid_to expire now (a fresh start on a later day shows them expired at
      // once), then every day; running twice expires and warns nothing twice.
      await expireDue(ctx).then(
        (r) => log(`expiry: ${r.expired.length} expired, ${r.warned.length} warned`),
        (e: unknown) => log(`expiry at start failed: ${e instanceof Error ? e.message : String(e)}`),
      );
      await scheduleDailyExpiry(ctx).catch((e: unknown) => log(`daily expiry not scheduled: ${e instanceof Error ? e.message : String(e)}`));
      running = Promise.all([heavy.start(), light.start(), push.start()]);
      await running;
    },
    async stop() {
      heavy.stop();
      light.stop();
      await push.stop();
      // Jobs under way finish (or lose their lease to another worker if this process dies).
      await running;
      await state.pool?.close();
      state.pool = undefined;
    },
  };
}
