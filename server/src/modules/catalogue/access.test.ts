import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { asInput, demoDocument, demoItem } from './fixtures.ts';
import { importDocuments } from './service.ts';

// A department acts only on its own items: every catalogue route that takes an item id,
// tried by the civil-affairs bureau (lc-mzj) on a human-resources (lc-rsj) item.
describe.each(DATABASES)('catalogue department rule on %s', (kind) => {
  let env: TestEnv;
  const tok: Record<string, string> = {};
  const call = async (who: string | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const r = await env.app.inject({ method, url: `/api/v1${url}`, ...(who ? { headers: bearer(tok[who]) } : {}), ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: r.json() };
  };
  const denials = async () => Number((await env.db.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_log WHERE outcome = 'denied'")).rows[0].n);

  beforeAll(async () => {
    env = await testEnv(kind);
    for (const [u, role, department] of [
      ['clerk-rsj', 'clerk', 'lc-rsj'], ['clerk-mzj', 'clerk', 'lc-mzj'], ['approver-mzj', 'approver', 'lc-mzj'], ['payout-rsj', 'payout', 'lc-rsj'],
    ] as const) {
      await addUser(env, u, role, { department });
      tok[u] = await env.login(u);
    }
    await addUser(env, 'admin', 'admin');
    tok.admin = await env.login('admin');
    await env.db.tx((q) => importDocuments(env.ctx, q, [demoDocument('lc-rsj-2025-wgkg')], { status: 'published' }));
    const v2 = demoItem('lc-rsj-wgfh');
    v2.summary = '第二版草稿';
    expect((await call('clerk-rsj', 'POST', '/items', { document_id: 'lc-rsj-2025-wgkg', item: asInput(v2) })).status).toBe(201);
  });
  afterAll(() => env.close());

  const id = 'lc-rsj-wgfh';
  const refused: [string | null, 'GET' | 'POST' | 'PUT', string, object?][] = [
    ['clerk-mzj', 'GET', `/items/${id}/versions/2`],
    ['clerk-mzj', 'GET', `/items/${id}/diff?from=1&to=2`],
    ['clerk-mzj', 'PUT', `/items/${id}/draft`, { item: asInput(demoItem(id)) }],
    ['clerk-mzj', 'POST', `/items/${id}/submit`, {}],
    ['approver-mzj', 'POST', `/items/${id}/submit`, {}],
    ['approver-mzj', 'POST', `/items/${id}/approve`, {}],
    ['approver-mzj', 'POST', `/items/${id}/reject`, { reason: '不是本部门的事项' }],
    ['approver-mzj', 'POST', `/items/${id}/publish`, {}],
    ['approver-mzj', 'POST', `/items/${id}/withdraw`, { reason: '不是本部门的事项' }],
    ['clerk-mzj', 'POST', '/items', { document_id: 'lc-rsj-2025-wgkg', item: asInput(demoItem('lc-rsj-kgbz')) }],
    // claiming its own department for another department's item id does not help either
    ['clerk-mzj', 'POST', '/items', { document_id: 'lc-rsj-2025-wgkg', item: { ...asInput(demoItem('lc-rsj-kgbz')), department: 'lc-mzj' } }],
    ['clerk-mzj', 'GET', '/departments/lc-rsj/notices'],
    [null, 'GET', `/items/${id}/versions/2`],
    ['payout-rsj', 'PUT', `/items/${id}/draft`, { item: asInput(demoItem(id)) }],
  ];

  it.each(refused)('%s: %s %s → 403, audited', async (who, method, url, payload) => {
    const before = await denials();
    const r = await call(who, method, url, payload);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    expect(await denials()).toBe(before + 1);
  });

  it('shows another department only what is in force, and leaves the draft untouched', async () => {
    const item = await call('clerk-mzj', 'GET', `/items/${id}`);
    expect(item.body).toMatchObject({ current: { version: 1, status: 'published' }, draft: null });
    expect((await call('clerk-mzj', 'GET', `/items/${id}/versions`)).body.map((v: { version: number }) => v.version)).toEqual([1]);
    const own = await call('clerk-rsj', 'GET', `/items/${id}`);
    expect(own.body.draft).toMatchObject({ version: 2, status: 'draft' });
    expect(own.body.draft.body.summary).toBe('第二版草稿');
    expect((await call('clerk-rsj', 'GET', `/items/${id}/versions`)).body.map((v: { status: string }) => v.status)).toEqual(['published', 'draft']);
  });

  it('lets admins read every version and the diff to a draft', async () => {
    expect((await call('admin', 'GET', `/items/${id}/versions/2`)).body).toMatchObject({ version: 2, status: 'draft' });
    const diff = await call('admin', 'GET', `/items/${id}/diff?from=1&to=2`);
    expect(diff.body.fields).toEqual([{ field: 'summary', label: '摘要', before: demoItem(id).summary, after: '第二版草稿' }]);
    // but admins do not review: that is the department's approvers' work
    expect((await call('admin', 'POST', `/items/${id}/approve`, {})).status).toBe(403);
  });
});
