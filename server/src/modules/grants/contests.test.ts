// The department resolves contests of its grants: cancel, correct or dismiss, with a reason the
// entity is told (once), audited; another department's staff cannot touch them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { autoItem, markEligible, publish, seedEntities } from './fixtures.ts';
import { runGrants } from './run.ts';
import type { ContestView, GrantView } from './schema.ts';

const AT = new Date('2025-06-02T08:00:00Z');

describe.each(DATABASES)('contests of grants (%s)', (kind) => {
  let env: TestEnv;
  let ids: string[];
  const tok: Record<string, string> = {};
  const contest: Record<string, string> = {};
  const grant: Record<string, string> = {};
  const get = (url: string, who: string) => env.app.inject({ method: 'GET', url, headers: bearer(tok[who]) });
  const post = (url: string, who: string, payload?: object) => env.app.inject({ method: 'POST', url, headers: bearer(tok[who]), ...(payload ? { payload } : {}) });
  const inbox = async (entity: string) => (await env.db.query<{ kind: string; body: string }>(`SELECT kind, body FROM inbox WHERE entity_id = $1 AND kind = 'grant.contest_resolved'`, [entity])).rows;

  beforeAll(async () => {
    env = await testEnv(kind);
    ids = await seedEntities(env.ctx, 'person', ['P1', 'P2', 'P3'].map((key) => ({ key, facts: { region: '371502', alive: true, disability_category: 'physical', disability_grade: 1 } })), 'dpf');
    const item = autoItem('care-contest', { amount: 'if disability_grade <= 2 then 120 else 60', eligibility: 'disability_category != "none"', period: 'month' });
    await publish(env.ctx, [item], 'grants-contest');
    await markEligible(env.db, item, ids, AT);
    await runGrants(env.ctx, { date: '2025-06-30' });
    await addUser(env, 'mz-clerk', 'clerk', { department: 'lc-mzj' });
    await addUser(env, 'mz-payout', 'payout', { department: 'lc-mzj' });
    await addUser(env, 'rs-clerk', 'clerk', { department: 'lc-rsj' });
    for (const [i, p] of ['p1', 'p2', 'p3'].entries()) {
      await addUser(env, p, 'resident', { entity_id: ids[i] });
      tok[p] = await env.login(p);
      const g = ((await get('/api/v1/me/grants', p)).json() as { items: GrantView[] }).items[0];
      grant[p] = g.id;
      const r = await post(`/api/v1/grants/${g.id}/contest`, p, { reason: `异议 ${p}：残疾等级已调整` });
      expect(r.statusCode).toBe(201);
      contest[p] = r.json().contest_id;
    }
    for (const u of ['mz-clerk', 'mz-payout', 'rs-clerk']) tok[u] = await env.login(u);
  });
  afterAll(() => env.close());

  it('lists the open contests to the grant\'s department only', async () => {
    const r = await get('/api/v1/contests', 'mz-clerk');
    expect(r.statusCode).toBe(200);
    const page = r.json() as { total: number; items: ContestView[] };
    expect(page.total).toBe(3);
    expect(page.items[0]).toMatchObject({ item_id: 'care-contest', status: 'open', amount: '120', reason: expect.stringContaining('残疾等级'), grant_status: 'granted', outcome: null });
    expect((await get('/api/v1/contests', 'rs-clerk')).json().total).toBe(0);
    expect((await get('/api/v1/contests', 'mz-payout')).statusCode).toBe(403);
    expect((await get('/api/v1/contests', 'p1')).statusCode).toBe(403);
  });

  it('upholds by cancelling or correcting the grant, or dismisses — each once, told to the entity, audited', async () => {
    expect((await post(`/api/v1/contests/${contest.p1}/resolve`, 'rs-clerk', { decision: 'uphold', reason: '核实无误' })).statusCode).toBe(403);
    expect((await post(`/api/v1/contests/${contest.p1}/resolve`, 'mz-clerk', { decision: 'uphold' })).statusCode).toBe(400);
    expect((await post(`/api/v1/contests/${contest.p2}/resolve`, 'mz-clerk', { decision: 'uphold', reason: '等级已变', amount: '-5' })).statusCode).toBe(400);

    const cancel = await post(`/api/v1/contests/${contest.p1}/resolve`, 'mz-clerk', { decision: 'uphold', reason: '经核实已不符合条件' });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'upheld', outcome: 'cancelled', grant_status: 'cancelled', resolution: '经核实已不符合条件', resolved_by: 'mz-clerk' });
    const correct = await post(`/api/v1/contests/${contest.p2}/resolve`, 'mz-clerk', { decision: 'uphold', reason: '残疾等级调整为三级', amount: '60' });
    expect(correct.json()).toMatchObject({ status: 'upheld', outcome: 'corrected', old_amount: '120', new_amount: '60.00', amount: '60.00', grant_status: 'granted' });
    const dismiss = await post(`/api/v1/contests/${contest.p3}/resolve`, 'mz-clerk', { decision: 'dismiss', reason: '残疾证信息未变更' });
    expect(dismiss.json()).toMatchObject({ status: 'dismissed', outcome: null, amount: '120', grant_status: 'granted' });
    // once only
    expect((await post(`/api/v1/contests/${contest.p3}/resolve`, 'mz-clerk', { decision: 'uphold', reason: '再议' })).statusCode).toBe(409);

    expect((await get(`/api/v1/grants/${grant.p1}`, 'p1')).json().status).toBe('cancelled');
    expect((await get(`/api/v1/grants/${grant.p2}`, 'p2')).json().amount).toBe('60.00');
    expect(await inbox(ids[0])).toEqual([{ kind: 'grant.contest_resolved', body: expect.stringContaining('已撤销') }]);
    expect(await inbox(ids[1])).toEqual([{ kind: 'grant.contest_resolved', body: expect.stringContaining('更正为 60.00 元') }]);
    expect(await inbox(ids[2])).toEqual([{ kind: 'grant.contest_resolved', body: expect.stringContaining('残疾证信息未变更') }]);
    const audit = await env.db.query<{ subject: string; detail: { decision: string } }>(`SELECT subject, detail FROM audit_log WHERE action = 'grant.contest.resolve' ORDER BY id`);
    expect(audit.rows.map((a) => [a.subject, a.detail.decision])).toEqual([[`grant:${grant.p1}`, 'upheld'], [`grant:${grant.p2}`, 'upheld'], [`grant:${grant.p3}`, 'dismissed']]);
    const page = (await get('/api/v1/contests?status=resolved', 'mz-clerk')).json() as { total: number };
    expect([page.total, (await get('/api/v1/contests', 'mz-clerk')).json().total]).toEqual([3, 0]);
  });
});
