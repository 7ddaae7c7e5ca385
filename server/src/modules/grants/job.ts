// The grant run as a job on the PostgreSQL queue ('grant.run'), for `kx worker`: enqueued by
// its cause (a finished matching run, the daily schedule) so that a repeated cause enqueues
// nothing new; a worker that dies mid-run loses its lease and another finishes the run —
// the run itself is idempotent, so a rerun only completes what is missing.
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { enqueue, type JobHandler } from '../jobs/queue.ts';
import { autoItemsInForce } from './items.ts';
import { runGrants } from './run.ts';

export const GRANT_QUEUE = 'grant.run';

export interface GrantJobPayload {
  item?: string;
  date?: string;
  /** Re-enqueue tomorrow's run when done (the daily schedule). */
  daily?: boolean;
  /** The item may not be in force (yet) on the run date: then there is nothing to do, not an error. */
  if_in_force?: boolean;
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

/** After a full matching run: whoever it newly admitted to an auto item is granted. */
export function enqueueGrantsAfterFullMatch(q: Queryable, runId: string): Promise<string> {
  return enqueueGrantRun(q, {}, `match.full:${runId}`);
}

/**
 * After the matching of an item version (its publication enqueued that job): if it is a
 * published auto item, its eligible entities are granted — without an operator. Keyed by the
 * version, so a repeated match job enqueues nothing new.
 */
export async function enqueueGrantsAfterItemMatch(q: Queryable, itemId: string, version: number): Promise<string | null> {
  const r = await q.query("SELECT 1 FROM item_versions WHERE item_id = $1 AND version = $2 AND status = 'published' AND mode = 'auto'", [itemId, version]);
  if (!r.rows.length) return null;
  return enqueueGrantRun(q, { item: itemId, if_in_force: true }, `match.item:${itemId}:${version}`);
}

/** Handlers for `kx worker`: `...grantJobs(ctx)` beside the other modules' jobs. */
export function grantJobs(ctx: Ctx): Record<string, JobHandler> {
  return {
    [GRANT_QUEUE]: async (job, { progress }) => {
      const p = job.payload as GrantJobPayload;
      let last = 0;
      if (p.item && p.if_in_force && !(await autoItemsInForce(ctx.db, ctx.dict, p.date ?? ctx.today())).some((i) => i.id === p.item))
        return { item: p.item, skipped: 'not in force' };
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
