import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { claim, enqueue, Worker } from './queue.ts';

describe.each(DATABASES)('the job queue on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => (env = await testEnv(kind)));
  afterAll(() => env.close());

  it('enqueues once per idempotency key, even when the cause repeats', async () => {
    const a = await enqueue(env.db, 'test.once', { n: 1 }, { key: 'cause-1' });
    const b = await enqueue(env.db, 'test.once', { n: 1 }, { key: 'cause-1' });
    expect(b).toBe(a);
    const r = await env.db.query<{ n: string }>("SELECT count(*)::text AS n FROM jobs WHERE queue = 'test.once'");
    expect(r.rows[0].n).toBe('1');
  });

  it('gives each job to one worker only', async () => {
    for (let i = 0; i < 10; i++) await enqueue(env.db, 'test.split', { i });
    const [x, y] = await Promise.all([claim(env.db, ['test.split'], 6, 60, 'w1'), claim(env.db, ['test.split'], 6, 60, 'w2')]);
    const ids = [...x, ...y].map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(10);
  });

  it('retries a failing job with back-off, then marks it failed', async () => {
    let calls = 0;
    await enqueue(env.db, 'test.flaky', {}, { maxAttempts: 2 });
    const w = new Worker(env.db, { 'test.flaky': async () => { calls++; throw new Error('boom'); } });
    await w.drain();
    await env.db.query("UPDATE jobs SET run_at = now() WHERE queue = 'test.flaky'");
    await w.drain();
    const r = await env.db.query<{ status: string; attempts: number; error: string }>("SELECT status, attempts, error FROM jobs WHERE queue = 'test.flaky'");
    expect(calls).toBe(2);
    expect(r.rows[0]).toMatchObject({ status: 'failed', attempts: 2, error: 'boom' });
  });

  it('hands a job whose worker died (lease expired) to another worker', async () => {
    await enqueue(env.db, 'test.lease', {});
    const [j] = await claim(env.db, ['test.lease'], 1, 60, 'dead-worker');
    await env.db.query("UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = $1", [j.id]);
    const again = await claim(env.db, ['test.lease'], 1, 60, 'live-worker');
    expect(again.map((x) => x.id)).toEqual([j.id]);
  });
});
