// 从高不重复 across modes: an online-application item (稳岗返还, 12,000 yuan) and two 免申即享
// items (5,000 and 20,000) of one monthly stacking group. Each month is its own period, so
// each case below starts clean: the same enterprise, month after month.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { call, cast, ENTERPRISE_FACTS, publishItems, seedEntity, wengang, withCalendar, type Cast } from '../applications/fixtures.ts';
import { verifyAudit } from '../audit/audit.ts';
import { autoItem, markEligible } from './fixtures.ts';
import { runGrants } from './run.ts';

const GROUP = 'wg-modes';
const online = wengang({ stacking_group: GROUP, period: 'month', materials: [], review_steps: [{ name: '人社部门审核', days: 5 }], statutory_days: 5 });
const low = { ...autoItem('wg-auto-low', { amount: '5000', group: GROUP, period: 'month', audience: 'enterprise', department: 'lc-rsj', eligibility: 'ui_insured_local = true' }), document_id: 'app-test' };
const high = { ...autoItem('wg-auto-high', { amount: '20000', group: GROUP, period: 'month', audience: 'enterprise', department: 'lc-rsj', eligibility: 'ui_insured_local = true' }), document_id: 'app-test' };

describe.each(DATABASES)('stacking across an application item and auto-grant items (%s)', (kind) => {
  let env: TestEnv;
  let t: Cast;
  let entity: string;
  const grants = async (period: string) =>
    (
      await env.db.query<{ item_id: string; status: string; amount: string }>(
        'SELECT g.item_id, g.status, g.amount::text AS amount FROM grants g WHERE g.entity_id = $1 AND g.period_key = $2 ORDER BY g.item_id',
        [entity, period],
      )
    ).rows.map((g) => [g.item_id, g.status, g.amount]);
  const ledger = async (item: string, period: string) =>
    (await env.db.query<{ spent: string; n: number }>('SELECT spent::text AS spent, granted_count AS n FROM grant_ledger WHERE item_id = $1 AND period_key = $2', [item, period])).rows.map((r) => [
      r.spent,
      Number(r.n),
    ])[0];
  /** The month's grant run, the entity eligible for `items` only (the matching's sets as they stand). */
  const grantRun = async (date: string, items: (typeof low)[]) => {
    for (const it of [low, high]) await markEligible(env.db, it, items.includes(it) ? [entity] : [], new Date(`${date.slice(0, 8)}01T08:00:00Z`));
    return runGrants(env.ctx, { date });
  };
  const start = async (date: string) => {
    env.clock.now = new Date(`${date}T02:00:00Z`);
    const r = await call(env, t.applicant, 'POST', '/api/v1/applications', { item_id: online.id });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    expect((await call(env, t.applicant, 'PUT', `/api/v1/applications/${id}/form`, { fields: { layoff_rate: 0.02, bank_account: '6228 4800 1234 5678 8' } })).status).toBe(200);
    return id;
  };
  const approve = async (id: string) => {
    const v = (await call(env, t.applicant, 'GET', `/api/v1/applications/${id}`)).body as { steps: { id: string; status: string }[] };
    return call(env, t.rsjApprover, 'POST', `/api/v1/reviews/${v.steps.find((s) => s.status === 'open')!.id}/approve`, {});
  };
  const app = async (id: string) =>
    (await env.db.query<{ status: string; amount: string; item_amount: string | null }>('SELECT status, amount::text AS amount, item_amount::text AS item_amount FROM applications WHERE id = $1', [id])).rows[0];

  beforeAll(async () => {
    env = await testEnv(kind, { config: { sessionHours: 24 * 400 } });
    await withCalendar(env);
    await publishItems(env.ctx, [online, low, high]);
    const { region, uscc, name, ...hrss } = ENTERPRISE_FACTS;
    entity = await seedEntity(env.ctx, 'enterprise', uscc, { region, uscc, name }, 'market');
    await seedEntity(env.ctx, 'enterprise', uscc, hrss, 'hrss');
    t = await cast(env, entity);
  });
  afterAll(() => env.close());

  it('June: an approved application higher than a grant not yet batched supersedes it; the grant run then makes nothing', async () => {
    expect(await grantRun('2025-06-02', [low])).toMatchObject({ created: 1 });
    const id = await start('2025-06-03');
    expect((await call(env, t.applicant, 'POST', `/api/v1/applications/${id}/submit`)).status).toBe(200);
    const r = await approve(id);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await app(id)).toEqual({ status: 'approved', amount: '12000.00', item_amount: null });
    expect(await grants('2025-06')).toEqual([['wg-auto-low', 'superseded', '5000']]);
    expect(await ledger('wg-auto-low', '2025-06')).toEqual(['0', 0]);
    const notice = await env.db.query<{ body: string }>("SELECT body FROM inbox WHERE entity_id = $1 AND kind = 'grant_superseded'", [entity]);
    expect(notice.rows).toHaveLength(1);
    expect(notice.rows[0].body).toContain('从高不重复');
    // The next run finds the month decided: nothing new, nothing paid twice.
    expect(await grantRun('2025-06-30', [low])).toMatchObject({ created: 0, already_granted: 1 });
  });

  it('July: with an approved application of 12,000 the 5,000 grant is not made and the 20,000 one pays the difference', async () => {
    const id = await start('2025-07-01');
    await call(env, t.applicant, 'POST', `/api/v1/applications/${id}/submit`);
    expect((await approve(id)).status).toBe(200);
    const r = await grantRun('2025-07-15', [low, high]);
    expect(r).toMatchObject({ created: 1, superseded: 1 });
    expect(await grants('2025-07')).toEqual([
      ['wg-auto-high', 'granted', '8000'],
      ['wg-auto-low', 'superseded', '0'],
    ]);
    expect(await ledger('wg-auto-high', '2025-07')).toEqual(['8000', 1]);
    expect(await ledger('wg-auto-low', '2025-07')).toEqual(['0', 0]);
  });

  it('August: an application is refused at submission when a grant of the group already pays more', async () => {
    expect(await grantRun('2025-08-01', [high])).toMatchObject({ created: 1 });
    const id = await start('2025-08-04');
    const r = await call(env, t.applicant, 'POST', `/api/v1/applications/${id}/submit`);
    expect(r.status).toBe(409);
    expect(r.body.message).toContain('从高不重复');
    expect(r.body.message).toContain('20000');
    expect((await app(id)).status).toBe('draft');
    expect(await grants('2025-08')).toEqual([['wg-auto-high', 'granted', '20000']]);
  });

  it('September: a grant already batched stays, and the approved application pays only the difference', async () => {
    expect(await grantRun('2025-09-01', [low])).toMatchObject({ created: 1 });
    await env.db.query("UPDATE grants SET status = 'batched' WHERE entity_id = $1 AND period_key = '2025-09'", [entity]);
    const id = await start('2025-09-02');
    expect((await call(env, t.applicant, 'POST', `/api/v1/applications/${id}/submit`)).status).toBe(200);
    expect((await approve(id)).status).toBe(200);
    expect(await app(id)).toEqual({ status: 'approved', amount: '7000.00', item_amount: '12000.00' });
    expect(await grants('2025-09')).toEqual([['wg-auto-low', 'batched', '5000']]);
    const ev = await env.db.query<{ detail: { amount: string; deducted?: string } }>("SELECT detail FROM case_events WHERE case_type = 'application' AND case_id = $1 AND event = 'approved'", [id]);
    expect(ev.rows[0].detail).toMatchObject({ amount: '7000.00', deducted: '5000.00' });
    // A higher grant later still tops up to the best item amount only: 20,000 − 5,000 − 7,000.
    expect(await grantRun('2025-09-20', [high])).toMatchObject({ created: 1 });
    expect(await grants('2025-09')).toEqual([
      ['wg-auto-high', 'granted', '8000'],
      ['wg-auto-low', 'batched', '5000'],
    ]);
  });

  it('keeps an intact audit chain', async () => {
    expect((await verifyAudit(env.db)).ok).toBe(true);
  });
});
