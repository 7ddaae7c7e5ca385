import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeUscc, makeIdNumber } from '@kx/data';
import { formatDate } from '@kx/engine';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { counts } from './fixtures.ts';
import { applyFacts, factsAsOf } from './service.ts';

const ID_A = makeIdNumber('371502', '1958-03-09', 17);
const ID_B = makeIdNumber('371521', '1990-11-30', 24);
const USCC = completeUscc('91371502MA3D0001');

describe.each(DATABASES)('profiles on %s', (kind) => {
  let env: TestEnv;
  let a: string;
  let b: string;
  let tokens: Record<string, string>;
  const get = (url: string, token: string) => env.app.inject({ method: 'GET', url, headers: bearer(token) });
  const as = async (u: string) => env.login(u);

  beforeAll(async () => {
    env = await testEnv(kind);
    const put = (key: string, facts: Record<string, unknown>, source: string, as_of: string) => env.db.tx((q) => applyFacts(env.ctx, q, { kind: 'person', key, facts, source, as_of }));
    a = (await put(ID_A, { name: '李小明', household_income_pc: 900, disability_category: 'physical', dibao: true, region: '371502' }, 'civil', '2025-01-01')).entityId;
    b = (await put(ID_B, { name: '欧阳娜娜', household_income_pc: 4000 }, 'civil', '2025-01-01')).entityId;
    await addUser(env, 'admin', 'admin');
    await addUser(env, 'clerk', 'clerk', { department: 'lc-mzj' });
    await addUser(env, 'res-a', 'resident', { entity_id: a });
    const admin = await as('admin');
    tokens = {};
    for (const s of ['hrss', 'market'])
      tokens[s] = (await env.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: s, source: s } })).json().token;
  });
  afterAll(() => env.close());

  it('shows a resident their own profile masked, and in clear when they ask', async () => {
    const t = await as('res-a');
    const r = await get(`/api/v1/entities/${a}`, t);
    expect(r.statusCode).toBe(200);
    const masked = r.json();
    expect(masked.facts).toMatchObject({ id_number: `371502********${ID_A.slice(-4)}`, name: '李**', household_income_pc: '***', disability_category: '***', birth_date: '1958-03-09', dibao: true });
    expect(masked.masked.sort()).toEqual(['disability_category', 'household_income_pc', 'id_number', 'name']);
    expect(masked.display_name).toBe('李**');
    const clear = (await get(`/api/v1/me/entity?unmask=true`, t)).json();
    expect(clear.facts).toMatchObject({ id_number: ID_A, name: '李小明', household_income_pc: 900 });
    const facts = (await get(`/api/v1/entities/${a}/facts`, t)).json() as { field: string; source: string; as_of: string; value: unknown }[];
    expect(facts.find((f) => f.field === 'household_income_pc')).toMatchObject({ value: '***', source: 'civil', as_of: '2025-01-01' });
  });

  it('refuses another resident (403) and department staff (403), and audits reads without values', async () => {
    const t = await as('res-a');
    expect((await get(`/api/v1/entities/${b}`, t)).statusCode).toBe(403);
    expect((await get(`/api/v1/entities/${b}/history`, t)).statusCode).toBe(403);
    expect((await get(`/api/v1/entities/${a}/facts`, await as('clerk'))).statusCode).toBe(403);
    const admin = await as('admin');
    expect((await get(`/api/v1/entities/${b}?unmask=true`, admin)).statusCode).toBe(400);
    const r = await get(`/api/v1/entities/${b}?unmask=true&reason=${encodeURIComponent('核查投诉 #12')}`, admin);
    expect(r.json().facts.name).toBe('欧阳娜娜');
    expect((await get(`/api/v1/entities/${b}`, admin)).json().facts.name).toBe('欧阳**');
    const audit = await env.db.query<{ detail: Record<string, unknown>; outcome: string; t: string }>(`SELECT detail, outcome, a::text AS t FROM audit_log a WHERE action = 'profile.read' ORDER BY a.id`);
    expect(audit.rows.some((x) => x.outcome === 'denied')).toBe(true);
    expect(audit.rows.find((x) => x.detail.reason === '核查投诉 #12')?.detail).toMatchObject({ unmasked: true, personal_fields: expect.arrayContaining(['name', 'id_number']) });
    for (const x of audit.rows) for (const secret of [ID_A, ID_B, '欧阳娜娜', '李小明']) expect(x.t).not.toContain(secret);
  });

  it('replays facts as of an earlier date, including a late file, and keeps re-runs idempotent', async () => {
    const put = (v: number, asOf: string) => env.db.tx((q) => applyFacts(env.ctx, q, { kind: 'person', key: ID_B, facts: { household_income_pc: v }, source: 'civil', as_of: asOf }));
    await put(5000, '2025-06-01');
    await put(4500, '2025-03-15'); // late: older than the current value
    const at = async (d: string) => (await factsAsOf(env.ctx, b, d))!.facts.household_income_pc;
    expect(await at('2025-02-01')).toBe(4000);
    expect(await at('2025-04-01')).toBe(4500);
    expect(await at('2025-06-15')).toBe(5000);
    expect(await factsAsOf(env.ctx, b, '2024-12-31')).toMatchObject({ kind: 'person', facts: { entity_kind: 'person' } });
    expect((await factsAsOf(env.ctx, b, '2024-12-31'))!.facts.household_income_pc).toBeUndefined();
    const before = await counts(env.db);
    await put(4500, '2025-03-15');
    await put(5000, '2025-06-01');
    expect(await counts(env.db)).toEqual(before);
    const admin = await as('admin');
    const hist = (await get(`/api/v1/entities/${b}/history?field=household_income_pc&unmask=true&reason=${encodeURIComponent('回放核对')}`, admin)).json();
    expect(hist.map((h: { value: unknown; as_of: string }) => [h.as_of, h.value])).toEqual([['2025-06-01', 5000], ['2025-03-15', 4500], ['2025-01-01', 4000]]);
    expect((await get(`/api/v1/entities/${b}`, admin)).json().facts.household_income_pc).toBe('***');
    expect((await factsAsOf(env.ctx, b, '2025-06-15', { knownAt: new Date('2000-01-01') }))!.facts.household_income_pc).toBeUndefined();
  });

  it('applies a pushed record once, a newer version again, and ignores an older one', async () => {
    const push = (body: Record<string, unknown>, source = 'hrss', token = tokens.hrss) =>
      env.app.inject({ method: 'POST', url: `/api/v1/sources/${source}/records`, headers: bearer(token), payload: body });
    const rec = { record_id: 'HR-001', version: 1, kind: 'enterprise', key: USCC, facts: { insured_count: 12, ui_insured_local: true }, as_of: '2025-06-01' };
    const first = await push(rec);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ duplicate: false, stale: false, version: 1, changed: expect.arrayContaining(['insured_count', 'uscc', 'legal_form', 'region']) });
    const after = await counts(env.db);
    const replay = await push(rec);
    expect(replay.json()).toMatchObject({ duplicate: true, entity_id: first.json().entity_id });
    expect(await counts(env.db)).toEqual(after);
    const v3 = await push({ ...rec, version: 3, facts: { insured_count: 15 }, as_of: '2025-06-20' });
    expect(v3.json()).toMatchObject({ duplicate: false, version: 2, changed: ['insured_count'] });
    expect((await push({ ...rec, version: 2, facts: { insured_count: 13 } })).json()).toMatchObject({ stale: true, changed: [] });
    const e = await env.db.query<{ facts: { insured_count: number }; version: number }>('SELECT facts, version FROM entities WHERE id = $1', [first.json().entity_id]);
    expect(e.rows[0]).toMatchObject({ facts: { insured_count: 15 }, version: 2 });
    const jobs = await env.db.query<{ payload: unknown }>(`SELECT payload FROM jobs WHERE queue = 'match.entity' AND idempotency_key = $1`, [`match.entity:${first.json().entity_id}:2`]);
    expect(jobs.rows[0].payload).toEqual({ entity_id: first.json().entity_id, version: 2 });

    expect((await push(rec, 'hrss', tokens.market)).statusCode).toBe(403);
    const bad = await push({ ...rec, record_id: 'HR-002', facts: { insured_count: 'twelve' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_INPUT', field: 'insured_count' });
    const badKey = await push({ ...rec, record_id: 'HR-003', key: USCC.slice(0, 17) + 'I' });
    expect(badKey.json()).toMatchObject({ field: 'key' });
  });

  it('lets a resident declare a missing fact about itself, re-matched at once, but not overwrite a source', async () => {
    const t = await as('res-a');
    const before = await counts(env.db);
    const r = await env.app.inject({ method: 'POST', url: `/api/v1/entities/${a}/facts`, headers: bearer(t), payload: { field: 'emergency_expense', value: 12000 } });
    expect(r.statusCode).toBe(200);
    const after = await counts(env.db);
    expect(after.jobs - before.jobs).toBe(1);
    const facts = (await get(`/api/v1/entities/${a}/facts?unmask=true`, t)).json() as { field: string; source: string; as_of: string; value: unknown }[];
    expect(facts.find((f) => f.field === 'emergency_expense')).toMatchObject({ value: 12000, source: 'declared', as_of: formatDate(Math.floor(env.clock.now.getTime() / 86_400_000)) });
    const taken = await env.app.inject({ method: 'POST', url: `/api/v1/entities/${a}/facts`, headers: bearer(t), payload: { field: 'dibao', value: false } });
    expect(taken.statusCode).toBe(409);
    // The source is named by its label, in each language (QA 7): no code, no Chinese in English.
    expect(taken.json().message).toMatch(/已由数据源「[^」a-z]+」提供/);
    expect(taken.json().message_en).toMatch(/^"Minimum-living-allowance recipient" is supplied by the source system [A-Z]/);
    expect(taken.json().message_en).not.toMatch(/[\u4e00-\u9fff]/);
    const wrong = await env.app.inject({ method: 'POST', url: `/api/v1/entities/${a}/facts`, headers: bearer(t), payload: { field: 'household_size', value: 'four' } });
    expect(wrong.json()).toMatchObject({ code: 'BAD_INPUT', field: 'value' });
    expect((await env.app.inject({ method: 'POST', url: `/api/v1/entities/${b}/facts`, headers: bearer(t), payload: { field: 'household_size', value: 3 } })).statusCode).toBe(403);
  });
});
