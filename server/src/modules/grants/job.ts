// The grant run as a job on the PostgreSQL queue ('grant.run'), for `kx worker`: enqueued by
// its cause (a finished matching run, the daily schedule) so that a repeated cause enqueues
// nothing new; a worker that dies mid-run loses its lease and another finishes the run —
// the run itself is idempotent, so a rerun only completes what is missing.
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { enqueue, type JobHandler } from '../jobs/queue.ts';
import { runGrants } from './run.ts';

export const GRANT_QUEUE = 'grant.run';

export interface GrantJobPayload {
  item?: string;
  date?: string;
  /** Re-enqueue tomorrow's run when done (the daily schedule). */
  daily?: boolean;
  [key: string]: unknown;
}

/** In the caller's transaction, keyed by what caused it (e.g. `match.full:<run id>`). */
export function enqueueGrantRun(q: Queryable, payload: GrantJobPayload, cause: string): Promise<string> {
  return enqueue(q, GRANT_QUEUE, payload, { key: `${GRANT_QUEUE}:${cause}` });
}

/** The next daily run at 02:00 China time (monthly items roll over without anyone asking). */
export async function scheduleDailyGrantRun(ctx: Ctx, q: Queryable = ctx.db): Promise<string> {
  const now = ctx.now();
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 18, 0, 0));
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  return enqueue(q, GRANT_QUEUE, { daily: true }, { key: `${GRANT_QUEUE}:daily:${next.toISOString().slice(0, 10)}`, runAt: next });
}

/** Handlers for `kx worker`: `...grantJobs(ctx)` beside the other modules' jobs. */
export function grantJobs(ctx: Ctx): Record<string, JobHandler> {
  return {
    [GRANT_QUEUE]: async (job, { progress }) => {
      const p = job.payload as GrantJobPayload;
      let last = 0;
      const report = await runGrants(ctx, {
        item: p.item,
        date: p.date,
        actor: `job:${job.id}`,
        onProgress: (x) => {
          // Progress also renews the lease; once a second is plenty.
          const t = Date.now();
          if (t - last < 1000) return;
          last = t;
          void progress(x.fraction).catch(() => {});
        },
      });
      if (p.daily) await scheduleDailyGrantRun(ctx);
      return report;
    },
  };
}
