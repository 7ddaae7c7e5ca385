// The console's admin reads: the field dictionary for the visual rule builder, the audit
// chain check, locking users, and the connector status page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDictionary, createRegionTree, parseExpr, checkExpr } from '@kx/engine';
import { completeUscc } from '@kx/data';
import { addUser, bearer, DATABASES, PASSWORD, testEnv, type TestEnv } from './harness.ts';
import { importFile } from '../src/modules/profiles/imports.ts';
import type { DictionaryView } from '../src/modules/catalogue/dictionary.ts';
import { asInput, demoDocument, demoItem } from '../src/modules/catalogue/fixtures.ts';
import { importDocuments } from '../src/modules/catalogue/service.ts';

describe.each(DATABASES)('console admin API on %s', (kind) => {
  let env: TestEnv;
  let admin: string;
  let adminId: string;
  const call = async (method: 'GET' | 'PUT', url: string, token?: string, payload?: unknown) =>
    env.app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    env = await testEnv(kind);
    adminId = await addUser(env, 'root', 'admin');
    await addUser(env, 'clerk1', 'clerk', { department: 'lc-gxj' });
    admin = await env.login('root');
  });
  afterAll(() => env.close());

  it('serves the dictionary to anyone, and it rebuilds an engine dictionary that checks rules like the server', async () => {
    const r = await call('GET', '/api/v1/dictionary');
    expect(r.statusCode).toBe(200);
    const view = r.json() as DictionaryView;
    const employees = view.fields.find((f) => f.key === 'employees');
    expect(employees).toMatchObject({ type: 'int', label: { zh: expect.any(String) } });
    const industry = view.fields.find((f) => f.type === 'enum' && f.enum);
    expect(view.enums.some((e) => e.name === industry!.enum)).toBe(true);
    expect(view.regions.find((x) => x.code === 'LC-JKQ')?.members?.length).toBeGreaterThan(0);
    // English names for the English pages (QA 8): regions by pinyin, departments by place and bureau.
    expect(view.regions.find((x) => x.code === '371522')?.name_en).toBe('Shen County');
    const depts = (await call('GET', '/api/v1/departments')).json() as { code: string; name_en: string }[];
    expect(depts.find((d) => d.code === 'lc-gxj')?.name_en).toBe('Liaocheng Bureau of Industry and Information Technology');
    for (const d of depts) expect(d.name_en, d.code).not.toMatch(/[\u4e00-\u9fff]/);
    // the browser's reconstruction: same fields, same region containment as the server's
    const names = Object.fromEntries(view.regions.map((x) => [x.code, x.name]));
    const zones = view.regions.filter((x) => x.members).map((x) => ({ code: x.code, name: x.name, members: x.members! }));
    const dict = createDictionary({
      fields: view.fields.filter((f) => f.key !== 'entity_kind'), enums: view.enums.filter((e) => e.name !== 'entity_kind'), sources: view.sources,
      regions: createRegionTree({ names, zones }),
    });
    expect(dict.fields.size).toBe(env.ctx.dict.fields.size);
    for (const [a, b] of [['LC-JKQ', '371502008001'], ['371500', 'LC-GXQ'], ['371521', '371502008']])
      expect(dict.regions.contains(a, b)).toBe(env.ctx.dict.regions.contains(a, b));
    const rule = parseExpr('employees >= 10 and employees_typo > 1');
    expect(checkExpr(rule, 'bool', { dict }).map((e) => e.code)).toEqual(checkExpr(rule, 'bool', { dict: env.ctx.dict }).map((e) => e.code));
  });

  it('verifies the audit hash chain for admins only, and finds a tampered row', async () => {
    expect((await call('GET', '/api/v1/audit/verify')).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/audit/verify', await env.login('clerk1'))).statusCode).toBe(403);
    const ok = (await call('GET', '/api/v1/audit/verify', admin)).json();
    expect(ok).toMatchObject({ ok: true, rows: expect.any(Number) });
    expect(ok.rows).toBeGreaterThan(2);
    const victim = await env.db.query<{ id: string }>("SELECT id::text AS id FROM audit_log WHERE action = 'auth.login' ORDER BY audit_log.id LIMIT 1");
    await env.db.query(`UPDATE audit_log SET actor = 'someone-else' WHERE id = $1`, [victim.rows[0].id]);
    const bad = (await call('GET', '/api/v1/audit/verify', admin)).json();
    expect(bad).toMatchObject({ ok: false, broken: { id: victim.rows[0].id } });
    await env.db.query(`UPDATE audit_log SET actor = (SELECT actor FROM audit_log a WHERE a.id = audit_log.id + 1) WHERE id = $1`, [victim.rows[0].id]);
  });

  it('locks a user out at once (sessions end, login refused) and unlocks them', async () => {
    const clerkId = await addUser(env, 'clerk2', 'clerk', { department: 'lc-gxj' });
    const session = await env.login('clerk2');
    expect((await call('PUT', `/api/v1/users/${clerkId}/lock`, session, { locked: true })).statusCode).toBe(403);
    const locked = await call('PUT', `/api/v1/users/${clerkId}/lock`, admin, { locked: true });
    expect(locked.json()).toMatchObject({ id: clerkId, disabled: true });
    expect((await call('GET', '/api/v1/auth/me', session)).statusCode).toBe(401);
    const refused = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk2', password: PASSWORD } });
    expect(refused.statusCode).toBe(401);
    expect((await call('PUT', `/api/v1/users/${clerkId}/lock`, admin, { locked: false })).json()).toMatchObject({ disabled: false });
    await env.login('clerk2');
    expect((await call('PUT', `/api/v1/users/${adminId}/lock`, admin, { locked: true })).statusCode).toBe(400);
    expect((await call('PUT', '/api/v1/users/999999/lock', admin, { locked: true })).statusCode).toBe(404);
    const log = await env.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE subject = $1 AND action LIKE 'user.%' ORDER BY audit_log.id`, [`user:${clerkId}`]);
    expect(log.rows.map((x) => x.action)).toEqual(['user.create', 'user.lock', 'user.unlock']);
  });

  it('shows each source system with its last import, rows and first errors, without the rejected value field', async () => {
    const before = (await call('GET', '/api/v1/sources', admin)).json() as { source: string; last: unknown; imports: number }[];
    expect(before.find((s) => s.source === 'hrss')).toMatchObject({ imports: 0, last: null });
    const uscc = completeUscc('91371502MA3C0001');
    await importFile(env.ctx, undefined, { source: 'hrss', format: 'csv', content: Buffer.from(`kind,key,employees\nenterprise,${uscc},12\n`) });
    await importFile(env.ctx, undefined, { source: 'hrss', format: 'csv', content: Buffer.from(`kind,key,employees\nenterprise,${uscc},many\n`) });
    const after = (await call('GET', '/api/v1/sources', admin)).json() as { source: string; imports: number; last: { status: string; rows_failed: number; errors: { row: number; field: string }[] }; last_applied_at: string | null }[];
    const hrss = after.find((s) => s.source === 'hrss')!;
    expect(hrss).toMatchObject({ imports: 2, last: { status: 'rejected', rows_failed: 1, errors: [{ row: 2, field: 'employees' }] }, last_applied_at: expect.any(String) });
    expect(Object.keys(hrss.last.errors[0]).sort()).toEqual(['field', 'message', 'row']);
    expect((await call('GET', '/api/v1/sources', await env.login('clerk1'))).statusCode).toBe(403);
  });

  it("lists a department's items with drafts to its own staff, newest change first, filtered by status", async () => {
    await addUser(env, 'clerk-rsj', 'clerk', { department: 'lc-rsj' });
    const rsj = await env.login('clerk-rsj');
    await env.db.tx((q) => importDocuments(env.ctx, q, [demoDocument('lc-rsj-2025-wgkg')], { status: 'published' }));
    const v2 = demoItem('lc-rsj-wgfh');
    v2.summary = '第二版草稿';
    env.clock.now = new Date(env.clock.now.getTime() + 60_000);
    const posted = await env.app.inject({ method: 'POST', url: '/api/v1/items', headers: bearer(rsj), payload: { document_id: 'lc-rsj-2025-wgkg', item: asInput(v2) } });
    expect(posted.statusCode).toBe(201);
    type Row = { id: string; status: string; latest_version: number; published_version: number | null };
    const all = (await call('GET', '/api/v1/departments/lc-rsj/items?page_size=200', rsj)).json() as { items: Row[]; total: number };
    const published = demoDocument('lc-rsj-2025-wgkg').items.length;
    expect(all.total).toBe(published);
    expect(all.items[0]).toMatchObject({ id: 'lc-rsj-wgfh', status: 'draft', latest_version: 2, published_version: 1 });
    const drafts = (await call('GET', '/api/v1/departments/lc-rsj/items?status=draft', rsj)).json() as { items: Row[] };
    expect(drafts.items.map((x) => x.id)).toEqual(['lc-rsj-wgfh']);
    expect((await call('GET', '/api/v1/departments/lc-rsj/items', await env.login('clerk1'))).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/departments/lc-rsj/items', admin)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/departments/nowhere/items', admin)).statusCode).toBe(404);
  });
});
