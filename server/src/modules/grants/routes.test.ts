import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { autoItem, markEligible, publish, seedEntities } from './fixtures.ts';
import { runGrants } from './run.ts';
import type { GrantView } from './schema.ts';

const AT = new Date('2025-06-02T08:00:00Z');

describe.each(DATABASES)('grants API (%s)', (kind) => {
  let env: TestEnv;
  let ids: string[];
  const tok: Record<string, string> = {};
  beforeAll(async () => {
    env = await testEnv(kind);
    // A disabled resident: the 护理补贴-like amount reads disability_grade, a personal (sensitive) fact.
    ids = await seedEntities(env.ctx, 'person', ['P1', 'P2'].map((key) => ({ key, facts: { region: '371502', alive: true, disability_category: 'physical', disability_grade: 1 } })), 'dpf');
    const item = autoItem('care-confirm', { amount: 'if disability_grade <= 2 then 120 else 60', eligibility: 'disability_category != "none"', confirm: true, period: 'month' });
    await publish(env.ctx, [item], 'grants-api');
    await markEligible(env.db, item, ids, AT);
    await runGrants(env.ctx, { date: '2025-06-30' });
    await addUser(env, 'p1', 'resident', { entity_id: ids[0] });
    await addUser(env, 'p2', 'resident', { entity_id: ids[1] });
    await addUser(env, 'mz-clerk', 'clerk', { department: 'lc-mzj' });
    await addUser(env, 'rs-clerk', 'clerk', { department: 'lc-rsj' });
    await addUser(env, 'admin1', 'admin');
    for (const u of ['p1', 'p2', 'mz-clerk', 'rs-clerk', 'admin1']) tok[u] = await env.login(u);
  });
  afterAll(() => env.close());

  const get = (url: string, who: string) => env.app.inject({ method: 'GET', url, headers: bearer(tok[who]) });
  const post = (url: string, who: string, payload?: object) => env.app.inject({ method: 'POST', url, headers: bearer(tok[who]), ...(payload ? { payload } : {}) });
  const mine = async (who: string) => (await get('/api/v1/me/grants', who)).json() as { items: GrantView[]; total: number };

  it('shows the entity its own grant, pending its confirmation, with the evidence and personal values masked', async () => {
    const page = await mine('p1');
    expect(page.total).toBe(1);
    const g = page.items[0];
    expect(g).toMatchObject({ entity_id: ids[0], item_id: 'care-confirm', status: 'pending_confirmation', amount: '120', period_key: '2025-06' });
    const grade = g.evidence.facts.find((f) => f.field === 'disability_grade')!;
    expect(grade).toMatchObject({ source: 'dpf', as_of: '2025-06-01', value: '***', label: { zh: '残疾等级' } });
    expect(g.evidence).toMatchObject({ date: '2025-06-30', item_version: 1, item_amount: '120', formula: 'if disability_grade <= 2 then 120 else 60' });
    // Residents read the formula in words, not rule code (QA 10).
    expect(g.evidence.formula_words?.zh).toMatch(/^若残疾等级 ≤ 2.*则 120，否则 60$/);
    expect(g.evidence.formula_words?.en).toMatch(/^if .* then 120 else 60$/);
    expect(g.evidence.facts.find((f) => f.field === 'region')).toMatchObject({ value: '371502', source: 'dpf' });
    // the stored evidence itself holds no personal value either
    const stored = (await env.db.query<{ evidence: string }>('SELECT evidence::text AS evidence FROM grants WHERE id = $1', [g.id])).rows[0].evidence;
    expect(JSON.parse(stored).facts.find((f: { field: string }) => f.field === 'disability_grade')).not.toHaveProperty('value');
    expect(stored).not.toContain('enc');
  });

  it('counts a pending grant as granted only once the entity confirms it', async () => {
    const g = (await mine('p1')).items[0];
    expect((await post(`/api/v1/grants/${g.id}/confirm`, 'p2')).statusCode).toBe(403);
    expect((await post(`/api/v1/grants/${g.id}/confirm`, 'mz-clerk')).statusCode).toBe(403);
    const before = await env.db.query("SELECT 1 FROM case_timeline WHERE case_type = 'grant' AND case_id = $1 AND event = 'approved'", [g.id]);
    expect(before.rows).toHaveLength(0);
    const r = await post(`/api/v1/grants/${g.id}/confirm`, 'p1');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'granted', confirmed_at: '2025-06-30T02:00:00.000Z' });
    const events = (await env.db.query<{ event: string }>("SELECT event FROM case_timeline WHERE case_type = 'grant' AND case_id = $1 ORDER BY event", [g.id])).rows.map((e) => e.event);
    expect(events).toEqual(['approved', 'confirmed', 'first_eligible']);
    // confirming again changes nothing
    expect((await post(`/api/v1/grants/${g.id}/confirm`, 'p1')).json()).toMatchObject({ status: 'granted' });
    expect((await env.db.query("SELECT 1 FROM case_timeline WHERE case_id = $1 AND case_type = 'grant'", [g.id])).rows).toHaveLength(3);
  });

  it('lets the department’s staff see who got what and from which sources, but no values', async () => {
    const g = (await mine('p2')).items[0];
    const r = await get(`/api/v1/grants/${g.id}`, 'mz-clerk');
    expect(r.statusCode).toBe(200);
    const view = r.json() as GrantView;
    expect(view.evidence.facts.length).toBeGreaterThan(0);
    for (const f of view.evidence.facts) {
      expect(f).not.toHaveProperty('value');
      expect(f).not.toHaveProperty('fact_id');
      expect(f.source).toBeTruthy();
    }
    expect((await get(`/api/v1/grants/${g.id}`, 'rs-clerk')).statusCode).toBe(403);
    expect((await get(`/api/v1/grants/${g.id}`, 'p1')).statusCode).toBe(403);
    expect((await get(`/api/v1/grants/${g.id}`, 'admin1')).statusCode).toBe(403);
    expect((await get('/api/v1/grants/999999', 'mz-clerk')).statusCode).toBe(404);
    const audit = await env.db.query("SELECT 1 FROM audit_log WHERE action = 'grant.read' AND subject = $1", [`grant:${g.id}`]);
    expect(audit.rows.length).toBe(1);
  });

  it('lists an item’s grants with counts and the ledger, for its own department only', async () => {
    const r = await get('/api/v1/items/care-confirm/grants?page_size=1', 'mz-clerk');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.total).toBe(2);
    expect(body.items).toHaveLength(1);
    expect(body.counts).toEqual([
      { period_key: '2025-06', status: 'granted', count: 1, amount: '120' },
      { period_key: '2025-06', status: 'pending_confirmation', count: 1, amount: '120' },
    ]);
    expect(body.ledger).toEqual([{ period_key: '2025-06', spent: '240', granted_count: 2 }]);
    expect((await get('/api/v1/items/care-confirm/grants?status=pending_confirmation', 'mz-clerk')).json().total).toBe(1);
    expect((await get('/api/v1/items/care-confirm/grants', 'rs-clerk')).statusCode).toBe(403);
    expect((await get('/api/v1/items/care-confirm/grants', 'p1')).statusCode).toBe(403);
    expect((await get('/api/v1/items/nope/grants', 'mz-clerk')).statusCode).toBe(404);
  });

  it('takes a contest to the department without changing the grant, once', async () => {
    const g = (await mine('p2')).items[0];
    expect((await post(`/api/v1/grants/${g.id}/contest`, 'p1', { reason: '金额不对' })).statusCode).toBe(403);
    expect((await post(`/api/v1/grants/${g.id}/contest`, 'p2', {})).statusCode).toBe(400);
    const r = await post(`/api/v1/grants/${g.id}/contest`, 'p2', { reason: '我的残疾等级已调整为三级' });
    expect(r.statusCode).toBe(201);
    expect(r.json().grant).toMatchObject({ status: 'pending_confirmation', contested: true });
    const notice = (await env.db.query<{ department: string; body: string }>('SELECT department, body FROM inbox WHERE cause_key = $1', [`grant:${g.id}:contest`])).rows;
    expect(notice).toHaveLength(1);
    expect(notice[0].department).toBe('lc-mzj');
    expect((await post(`/api/v1/grants/${g.id}/contest`, 'p2', { reason: '再说一次' })).statusCode).toBe(409);
  });
});
