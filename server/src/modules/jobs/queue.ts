// A PostgreSQL-backed job queue that any number of worker processes, on any number of
// machines, share: a job is claimed with FOR UPDATE SKIP LOCKED and a lease; a worker that
// dies loses its lease and the job is picked up again. Jobs are enqueued in the same
// transaction as the change that causes them, with an idempotency key derived from the
// cause, so a crash can neither lose nor double one. (pg-boss and graphile-worker need a
// pg connection pool; the embedded PGlite has one connection — docs/decisions/0009.)
import { hostname } from 'node:os';
import type { Db, Queryable } from '../../db/db.ts';

export interface Job<P = Record<string, unknown>> {
  id: string;
  queue: string;
  payload: P;
  attempts: number;
  max_attempts: number;
}

export interface EnqueueOptions {
  /** Same key, same job: a repeated cause enqueues nothing new. */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Enqueues within the caller's transaction. Returns the job id (existing one for a repeated key). */
export async function enqueue(q: Queryable, queue: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO jobs (queue, payload, idempotency_key, run_at, max_attempts)
     VALUES ($1, $2, $3, COALESCE($4, now()), $5)
     ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
     RETURNING id::text AS id`,
    [queue, JSON.stringify(payload), opts.key ?? null, opts.runAt ?? null, opts.maxAttempts ?? 5],
  );
  return r.rows[0].id;
}

export const WORKER_ID = `${hostname()}:${process.pid}`;

/** Claims up to n ready jobs of the given queues, with a lease. */
export async function claim(db: Db, queues: string[], n = 1, leaseSeconds = 300, worker = WORKER_ID): Promise<Job[]> {
  return db.tx(async (q) => {
    // Jobs whose lease ran out (their worker died) are ready again.
    await q.query(`UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL WHERE status = 'running' AND locked_until < now() AND queue = ANY($1)`, [queues]);
    const r = await q.query<Job>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $3, locked_until = now() + make_interval(secs => $4)
        WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND queue = ANY($1) AND run_at <= now()
                      ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id::text AS id, queue, payload, attempts, max_attempts`,
      [queues, n, worker, leaseSeconds],
    );
    return r.rows;
  });
}

export async function complete(q: Queryable, id: string, result: unknown = null): Promise<void> {
  await q.query(`UPDATE jobs SET status = 'done', progress = 1, result = $2, finished_at = now(), locked_by = NULL, locked_until = NULL WHERE id = $1`, [id, JSON.stringify(result)]);
}

/** A failed attempt: retried with exponential back-off until max_attempts, then failed for good. */
export async function fail(q: Queryable, job: Job, error: unknown): Promise<void> {
  const msg = error instanceof Error ? error.message : String(error);
  const final = job.attempts >= job.max_attempts;
  await q.query(
    `UPDATE jobs SET status = $2, error = $3, locked_by = NULL, locked_until = NULL,
            run_at = now() + make_interval(secs => $4), finished_at = CASE WHEN $2 = 'failed' THEN now() END
      WHERE id = $1`,
    [job.id, final ? 'failed' : 'queued', msg.slice(0, 2000), Math.min(3600, 2 ** job.attempts)],
  );
}

export async function setProgress(q: Queryable, id: string, progress: number): Promise<void> {
  await q.query('UPDATE jobs SET progress = $2, locked_until = now() + interval \'300 seconds\' WHERE id = $1', [id, progress]);
}

export type JobHandler = (job: Job, ctx: { db: Db; progress: (p: number) => Promise<void> }) => Promise<unknown>;

/** Runs jobs of the registered queues until stopped. */
export class Worker {
  private stopped = false;
  constructor(
    private readonly db: Db,
    private readonly handlers: Record<string, JobHandler>,
    private readonly opts: { pollMs?: number; concurrency?: number; log?: (msg: string) => void } = {},
  ) {}

  /** Processes every ready job once; returns how many ran. For tests and `kx worker --once`. */
  async drain(): Promise<number> {
    let n = 0;
    for (;;) {
      const jobs = await claim(this.db, Object.keys(this.handlers), this.opts.concurrency ?? 1);
      if (!jobs.length) return n;
      await Promise.all(jobs.map((j) => this.run(j)));
      n += jobs.length;
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      const result = await this.handlers[job.queue](job, { db: this.db, progress: (p) => setProgress(this.db, job.id, p) });
      await complete(this.db, job.id, result ?? null);
    } catch (e) {
      this.opts.log?.(`job ${job.id} (${job.queue}) failed: ${e instanceof Error ? e.message : String(e)}`);
      await fail(this.db, job, e);
    }
  }

  async start(): Promise<void> {
    while (!this.stopped) {
      const n = await this.drain();
      if (!n) await new Promise((r) => setTimeout(r, this.opts.pollMs ?? 500));
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
