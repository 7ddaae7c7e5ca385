// 免申即享 without an operator: the publication of an auto item is matched by the worker, the
// finished match enqueues a grant run (keyed by the item version), the worker runs it and the
// grants are there; a full matching run does the same for whoever it newly admits; a running
// worker keeps one daily grant run scheduled per day.
import type { PolicyDocument } from '@kx/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { createWorker, type RunningWorker } from '../../worker.ts';
import { importDocuments } from '../catalogue/service.ts';
import { enqueue } from '../jobs/queue.ts';
import { quiesce } from '../matching/testing.ts';
import { autoItem, elder, seedEntities } from './fixtures.ts';
import { enqueueGrantsAfterFullMatch, enqueueGrantsAfterItemMatch, GRANT_QUEUE, scheduleDailyGrantRun } from './job.ts';

describe.each(DATABASES)('grant runs scheduled through the job queue (%s)', (kind) => {
  let env: TestEnv;
  let worker: RunningWorker;
  const count = async (sql: string, params: unknown[] = []) => Number((await env.db.query<{ n: string }>(sql, params)).rows[0].n);
  const grantJobs = () =>
    env.db.query<{ key: string; status: string; result: { created?: number } | null }>(
      `SELECT idempotency_key AS key, status, result FROM jobs WHERE queue = $1 ORDER BY id`,
      [GRANT_QUEUE],
    );

  beforeAll(async () => {
    env = await testEnv(kind);
    worker = await createWorker(env.ctx, { threads: 1 });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await quiesce(env);
    await env?.close();
  }, 30_000);

  it('publish → the worker matches the item → the grant job it enqueued grants every eligible entity', async () => {
    const ids = await seedEntities(env.ctx, 'person', Array.from({ length: 40 }, (_, i) => elder(`S${i}`, '1940-01-01')));
    const item = autoItem('sched-auto', { amount: '120' });
    const doc: PolicyDocument = {
      id: 'sched-doc', title: '免申即享调度测试', number: '测试〔2025〕9号', issuers: ['lc-mzj'], published_on: '2025-01-01', summary: '', interpretation: '',
      items: [{ ...item, document_id: 'sched-doc' }],
    };
    // Published the way the catalogue publishes: the match job is enqueued with the publication.
    await env.db.tx((q) => importDocuments(env.ctx, q, [doc], { status: 'published' }));
    expect(await count('SELECT count(*)::text AS n FROM grants')).toBe(0);
    await worker.drain();
    const jobs = (await grantJobs()).rows;
    expect(jobs).toEqual([{ key: `${GRANT_QUEUE}:match.item:sched-auto:1`, status: 'done', result: expect.objectContaining({ created: 40 }) }]);
    const granted = await env.db.query<{ entity_id: string; amount: string }>(
      "SELECT entity_id::text AS entity_id, amount::text AS amount FROM grants WHERE item_id = 'sched-auto' AND status = 'granted' ORDER BY grants.entity_id",
    );
    expect(granted.rows.map((g) => g.entity_id)).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
    expect(new Set(granted.rows.map((g) => g.amount))).toEqual(new Set(['120']));

    // The same cause again (a retried match job): the same job, nothing new.
    const again = await env.db.tx(async (q) => [await enqueueGrantsAfterItemMatch(q, 'sched-auto', 1), await enqueueGrantsAfterItemMatch(q, 'sched-auto', 1)]);
    expect(again[0]).toBe(again[1]);
    expect((await grantJobs()).rows).toHaveLength(1);
    // An item that is not an auto item enqueues no grant run.
    expect(await enqueueGrantsAfterItemMatch(env.db, 'no-such-item', 1)).toBeNull();
  }, 120_000);

  it('a full matching run enqueues one grant run, which grants whoever became eligible since', async () => {
    const [late] = await seedEntities(env.ctx, 'person', [elder('S-late', '1941-02-02')]);
    await worker.drain(); // the profile's own entity job
    await enqueue(env.db, 'match.full', {}, { key: 'match.full:test-1' });
    await worker.drain();
    const run = (await env.db.query<{ id: string }>("SELECT id::text AS id FROM match_runs WHERE kind = 'full' ORDER BY id DESC LIMIT 1")).rows[0].id;
    const jobs = (await grantJobs()).rows;
    expect(jobs.map((j) => [j.key, j.status])).toEqual([
      [`${GRANT_QUEUE}:match.item:sched-auto:1`, 'done'],
      [`${GRANT_QUEUE}:match.full:${run}`, 'done'],
    ]);
    expect(await count("SELECT count(*)::text AS n FROM grants WHERE item_id = 'sched-auto' AND entity_id = $1 AND status = 'granted'", [late])).toBe(1);
    expect(await count("SELECT count(*)::text AS n FROM grants WHERE item_id = 'sched-auto'")).toBe(41);
    // Enqueued again for the same run: still one job.
    await enqueueGrantsAfterFullMatch(env.db, run);
    expect((await grantJobs()).rows).toHaveLength(2);
  }, 120_000);

  it('schedules one daily grant run per day, at 02:00 China time, and the next one when it ran', async () => {
    const before = (await grantJobs()).rows.length;
    // Two workers starting on the same day schedule one job.
    const a = await scheduleDailyGrantRun(env.ctx);
    const b = await scheduleDailyGrantRun(env.ctx);
    expect(a).toBe(b);
    const daily = await env.db.query<{ key: string; run_at: Date; status: string }>("SELECT idempotency_key AS key, run_at, status FROM jobs WHERE idempotency_key LIKE 'grant.run:daily:%'");
    expect(daily.rows.map((d) => [d.key, new Date(d.run_at).toISOString(), d.status])).toEqual([[`${GRANT_QUEUE}:daily:2025-06-30`, '2025-06-30T18:00:00.000Z', 'queued']]);
    // The day passes: the run happens (nothing new to grant) and schedules tomorrow's.
    env.clock.now = new Date('2025-06-30T18:00:05Z');
    await worker.drain();
    const after = await env.db.query<{ key: string; run_at: Date; status: string }>(
      "SELECT idempotency_key AS key, run_at, status FROM jobs WHERE idempotency_key LIKE 'grant.run:daily:%' ORDER BY id",
    );
    expect(after.rows.map((d) => [d.key, new Date(d.run_at).toISOString()])).toEqual([
      [`${GRANT_QUEUE}:daily:2025-06-30`, '2025-06-30T18:00:00.000Z'],
      [`${GRANT_QUEUE}:daily:2025-07-01`, '2025-07-01T18:00:00.000Z'],
    ]);
    expect(after.rows[0].status).toBe('done');
    expect((await grantJobs()).rows.length).toBe(before + 2);
    expect(await count("SELECT count(*)::text AS n FROM grants WHERE item_id = 'sched-auto'")).toBe(41);
  }, 120_000);

  it('a started worker (kx worker, npm start) schedules the day’s run itself', async () => {
    env.clock.now = new Date('2025-07-05T03:00:00Z');
    const key = `${GRANT_QUEUE}:daily:2025-07-05`;
    const started = worker.start();
    try {
      for (let i = 0; i < 200 && !(await count('SELECT count(*)::text AS n FROM jobs WHERE idempotency_key = $1', [key])); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await count('SELECT count(*)::text AS n FROM jobs WHERE idempotency_key = $1', [key])).toBe(1);
    } finally {
      await worker.stop();
      await started;
    }
  }, 120_000);
});
