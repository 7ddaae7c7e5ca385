import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '@kx/engine';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { createWorker } from '../../worker.ts';
import { Worker } from '../jobs/queue.ts';
import { quiesce } from '../matching/testing.ts';
import { catalogueJobs, EXPIRY_QUEUE, expireDue, scheduleExpiry } from './expiry.ts';
import { demoDocument } from './fixtures.ts';
import { importDocuments } from './service.ts';

/** A demo document whose items end on the given days (cases after the end are dropped). */
function endingOn(id: string, ends: Record<string, string>): PolicyDocument {
  const doc = demoDocument(id);
  doc.items = doc.items.filter((i) => ends[i.id]);
  for (const item of doc.items) {
    item.valid_to = ends[item.id];
    item.cases = item.cases.filter((c) => c.date <= item.valid_to!);
    if (item.window?.to && item.window.to > item.valid_to) item.window.to = item.valid_to;
  }
  return doc;
}

describe.each(DATABASES)('catalogue expiry on %s', (kind) => {
  let env: TestEnv;
  const tok: Record<string, string> = {};
  const setToday = (day: string) => (env.clock.now = new Date(`${day}T02:00:00Z`));
  const notices = async (department: string) =>
    (await env.db.query<{ subject: string; due_on: string }>('SELECT subject, due_on::text AS due_on FROM department_notices WHERE department = $1 ORDER BY id', [department])).rows;
  const statusOf = async (id: string) => (await env.db.query<{ status: string }>('SELECT status FROM item_versions WHERE item_id = $1 ORDER BY version DESC LIMIT 1', [id])).rows[0].status;

  beforeAll(async () => {
    env = await testEnv(kind);
    for (const [u, department] of [['clerk-rsj', 'lc-rsj'], ['clerk-mzj', 'lc-mzj']] as const) {
      await addUser(env, u, 'clerk', { department });
      tok[u] = await env.login(u);
    }
    setToday('2025-06-30');
    const docs = [
      endingOn('lc-rsj-2025-wgkg', { 'lc-rsj-wgfh': '2025-06-29', 'lc-rsj-kgbz': '2025-07-20' }),
      endingOn('lc-mzj-2025-dibao', { 'lc-mzj-dibao': '2025-08-15' }),
    ];
    await env.db.tx((q) => importDocuments(env.ctx, q, docs, { status: 'published' }));
  });
  afterAll(async () => {
    await quiesce(env);
    await env.close();
  }, 30_000);

  it('expires a version past its valid_to and warns the department of one ending within 30 days', async () => {
    const r = await expireDue(env.ctx);
    expect(r.expired).toEqual([{ item_id: 'lc-rsj-wgfh', version: 1 }]);
    expect(r.warned).toEqual([{ item_id: 'lc-rsj-kgbz', version: 1, department: 'lc-rsj', valid_to: '2025-07-20' }]);
    expect(await statusOf('lc-rsj-wgfh')).toBe('expired');
    const audit = await env.db.query("SELECT actor FROM audit_log WHERE action = 'item.expire' AND subject = 'item:lc-rsj-wgfh@1'");
    expect(audit.rows).toEqual([{ actor: 'system' }]);
    // gone from the catalogue, still readable as what it was
    const list = (await env.app.inject({ method: 'GET', url: '/api/v1/items' })).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain('lc-rsj-wgfh');
    const page = (await env.app.inject({ method: 'GET', url: '/api/v1/items/lc-rsj-wgfh' })).json();
    expect(page.current).toMatchObject({ version: 1, status: 'expired' });
  });

  it('warns exactly once per version however often the task runs', async () => {
    await expireDue(env.ctx);
    await expireDue(env.ctx);
    expect(await notices('lc-rsj')).toEqual([{ subject: 'item:lc-rsj-kgbz@1', due_on: '2025-07-20' }]);
    const r = await env.app.inject({ method: 'GET', url: '/api/v1/departments/lc-rsj/notices', headers: bearer(tok['clerk-rsj']) });
    expect(r.json()).toMatchObject({ total: 1, items: [{ kind: 'item.expiring', subject: 'item:lc-rsj-kgbz@1', detail: { days_left: 20 } }] });
    expect(r.json().items[0].body).toContain('2025-07-20');
  });

  it('warns on the 30th day before the end, not the 31st', async () => {
    setToday('2025-07-15');
    expect((await expireDue(env.ctx)).warned).toEqual([]);
    setToday('2025-07-16');
    expect((await expireDue(env.ctx)).warned).toEqual([{ item_id: 'lc-mzj-dibao', version: 1, department: 'lc-mzj', valid_to: '2025-08-15' }]);
    expect((await expireDue(env.ctx)).warned).toEqual([]);
    expect(await notices('lc-mzj')).toHaveLength(1);
    // the last day of validity is still valid
    setToday('2025-07-20');
    expect((await expireDue(env.ctx)).expired).toEqual([]);
    setToday('2025-07-21');
    expect((await expireDue(env.ctx)).expired).toEqual([{ item_id: 'lc-rsj-kgbz', version: 1 }]);
  });

  it('runs as a daily job that any number of schedulers enqueue once', async () => {
    setToday('2025-08-16');
    const a = await scheduleExpiry(env.db, env.ctx.today());
    const b = await scheduleExpiry(env.db, env.ctx.today());
    expect(a).toBe(b);
    expect(await new Worker(env.db, catalogueJobs(env.ctx)).drain()).toBe(1);
    expect(await statusOf('lc-mzj-dibao')).toBe('expired');
    const job = await env.db.query<{ status: string }>('SELECT status FROM jobs WHERE id = $1', [a]);
    expect(job.rows[0].status).toBe('done');
  });

  it('a started worker (kx worker, npm start) expires what ended before it started and schedules the daily run; a second start does nothing again', async () => {
    setToday('2025-09-01');
    await env.db.tx((q) => importDocuments(env.ctx, q, [endingOn('lc-mzj-2025-gljt', { 'lc-mzj-gljt': '2025-09-10' })], { status: 'published' }));
    expect(await statusOf('lc-mzj-gljt')).toBe('published');
    const expiries = async () => Number((await env.db.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_log WHERE action = 'item.expire'")).rows[0].n);
    const dailyJobs = async () => (await env.db.query<{ key: string; run_at: Date }>('SELECT idempotency_key AS key, run_at FROM jobs WHERE queue = $1 AND payload ? \'daily\' ORDER BY id', [EXPIRY_QUEUE])).rows;
    setToday('2025-09-20');
    const startOnce = async () => {
      const worker = await createWorker(env.ctx, { threads: 1, pollMs: 50 });
      const started = worker.start();
      try {
        for (let i = 0; i < 200 && !(await dailyJobs()).length; i++) await new Promise((r) => setTimeout(r, 50));
      } finally {
        await worker.stop();
        await started;
      }
    };
    await startOnce();
    expect(await statusOf('lc-mzj-gljt')).toBe('expired');
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/items' })).json().items.map((i: { id: string }) => i.id)).not.toContain('lc-mzj-gljt');
    const n = await expiries();
    const notes = (await notices('lc-mzj')).length;
    expect((await dailyJobs()).map((j) => [j.key, new Date(j.run_at).toISOString()])).toEqual([[`${EXPIRY_QUEUE}:2025-09-21`, '2025-09-21T00:01:00.000Z']]);
    await startOnce();
    expect(await expiries()).toBe(n);
    expect(await notices('lc-mzj')).toHaveLength(notes);
    expect(await dailyJobs()).toHaveLength(1);
  }, 120_000);
});
