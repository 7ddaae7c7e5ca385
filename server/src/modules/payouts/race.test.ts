// Batch makers against each other and against a grant run: the payable cases are locked
// FOR UPDATE SKIP LOCKED, so each case lands in exactly one batch, and a case another
// transaction is changing (a higher grant of its stacking group superseding it) is left out
// rather than batched as it was before that change. PostgreSQL runs the makers at once;
// PGlite (one connection) runs them one after the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { verifyAudit } from '../audit/audit.ts';
import { createBatch } from './batches.ts';
import { consoleOperator } from './officer.ts';
import type { Batch } from './schema.ts';
import { seedApplication, seedEntity, seedGrant, seedItem, settleOnClose } from './testing.ts';

const DEPT = 'lc-rsj';
const officer = consoleOperator();

describe.each(DATABASES)('payout batch makers racing (%s)', (kind) => {
  let env: TestEnv;
  const count = async (sql: string, params: unknown[] = []) => Number((await env.db.query<{ n: string }>(sql, params)).rows[0].n);

  beforeAll(async () => {
    env = await testEnv(kind);
    settleOnClose(env);
    await env.db.tx(async (q) => {
      await seedItem(q, 'race-auto', DEPT);
      await seedItem(q, 'race-apply', DEPT, { mode: 'online' });
    });
  });
  afterAll(() => env.close());

  it('puts each case in exactly one batch when three officers make batches at once', async () => {
    const cases = await env.db.tx(async (q) => {
      const out: { type: string; id: string }[] = [];
      for (let i = 0; i < 120; i++) {
        const e = await seedEntity(env.ctx, q, 'person', `并发${i}`, `6228480000${String(i).padStart(6, '0')}`);
        out.push(i % 3 ? { type: 'grant', id: await seedGrant(q, e, 'race-auto', DEPT, '10.00') } : { type: 'application', id: await seedApplication(q, e, 'race-apply', DEPT, '20.00') });
      }
      return out;
    });
    const make = () => createBatch(env.ctx, officer, DEPT).then((r) => r.batch, (e: { code?: string }) => e.code ?? e);
    const results = kind === 'postgres' ? await Promise.all([make(), make(), make()]) : [await make(), await make(), await make()];
    const batches = results.filter((r): r is Batch => typeof r === 'object');
    // A maker that found every case taken says so (409), it never fails otherwise.
    for (const r of results) if (typeof r !== 'object') expect(r).toBe('INVALID_STATE');
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.reduce((n, b) => n + b.line_count, 0)).toBe(cases.length);
    expect(batches.reduce((n, b) => n + Number(b.total_amount), 0)).toBe(80 * 10 + 40 * 20);
    const per = await env.db.query<{ case_type: string; case_id: string; n: string; batches: string }>(
      `SELECT case_type, case_id::text AS case_id, count(*)::text AS n, count(DISTINCT batch_id)::text AS batches FROM payout_lines GROUP BY case_type, case_id`,
    );
    expect(per.rows).toHaveLength(cases.length);
    expect(per.rows.filter((r) => r.n !== '1' || r.batches !== '1')).toEqual([]);
    // Every line's case moved to batched, and every batch's totals are its lines'.
    expect(await count(`SELECT count(*)::text AS n FROM grants WHERE status = 'batched'`)).toBe(80);
    expect(await count(`SELECT count(*)::text AS n FROM applications WHERE status = 'batched'`)).toBe(40);
    expect(
      await count(`SELECT count(*)::text AS n FROM payout_batches b WHERE b.line_count <> (SELECT count(*) FROM payout_lines l WHERE l.batch_id = b.id)
                    OR b.total_amount <> (SELECT sum(amount) FROM payout_lines l WHERE l.batch_id = b.id)`),
    ).toBe(0);
  });

  it('leaves out a grant that a higher grant of its group is superseding at that moment', async () => {
    const [held, free] = await env.db.tx(async (q) => [
      await seedGrant(q, await seedEntity(env.ctx, q, 'person', '甲', '6228480011110001'), 'race-auto', DEPT, '100.00'),
      await seedGrant(q, await seedEntity(env.ctx, q, 'person', '乙', '6228480011110002'), 'race-auto', DEPT, '100.00'),
    ]);
    // What writeChunk does to a grant its group's higher offer replaces: lock it, mark it superseded.
    const supersede = (q: { query: TestEnv['db']['query'] }) =>
      q.query(`UPDATE grants SET status = 'superseded' WHERE id = $1 AND status = 'granted'`, [held]);
    let batch;
    if (kind === 'postgres') {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const run = env.db.tx(async (q) => {
        await q.query('SELECT 1 FROM grants WHERE id = $1 FOR UPDATE', [held]);
        await supersede(q);
        locked();
        await gate;
      });
      await isLocked;
      // The batch is made while the supersession is uncommitted: it must neither pay the grant
      // nor wait for it (the supersession is let go after 3 s either way, so a maker that
      // waited fails the assertions below instead of hanging).
      const making = createBatch(env.ctx, officer, DEPT);
      const first = await Promise.race([making.then(() => 'made'), new Promise((r) => setTimeout(() => r('waiting'), 3000))]);
      release();
      await run;
      batch = await making;
      expect(first).toBe('made');
    } else {
      await supersede(env.db);
      batch = await createBatch(env.ctx, officer, DEPT);
    }
    expect(batch.batch.line_count).toBe(1);
    const lines = await env.db.query<{ case_id: string }>('SELECT case_id::text AS case_id FROM payout_lines WHERE batch_id = $1', [batch.batch.id]);
    expect(lines.rows.map((l) => l.case_id)).toEqual([free]);
    expect((await env.db.query<{ status: string }>('SELECT status FROM grants WHERE id = $1', [held])).rows[0].status).toBe('superseded');
    expect(await count(`SELECT count(*)::text AS n FROM payout_lines WHERE case_type = 'grant' AND case_id = $1`, [held])).toBe(0);
  });

  it('keeps an intact audit chain', async () => {
    expect(await verifyAudit(env.db)).toMatchObject({ ok: true });
  });
});
