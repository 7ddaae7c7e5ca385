import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { appendAudit, verifyAudit } from './audit.ts';
import type { AuditRow } from './routes.ts';

interface Page {
  items: AuditRow[];
  total: number;
  page: number;
  page_size: number;
}

describe.each(DATABASES)('GET /api/v1/audit on %s', (kind) => {
  let env: TestEnv;
  let admin: string;
  let before: Date;
  let after: Date;
  const get = async (query: string, token = admin) => env.app.inject({ method: 'GET', url: `/api/v1/audit${query}`, headers: bearer(token) });

  beforeAll(async () => {
    env = await testEnv(kind);
    await addUser(env, 'admin', 'admin');
    await addUser(env, 'leader', 'leader');
    admin = await env.login('admin');
    before = new Date(Date.now() - 1);
    for (let i = 1; i <= 25; i++)
      await appendAudit(env.db, { actor: `user:${i % 3}:clerk`, action: i % 5 === 0 ? 'item.publish' : 'item.edit', subject: `item:it-${i}`, outcome: i === 7 ? 'denied' : 'ok' });
    after = new Date(Date.now() + 1);
  });
  afterAll(() => env.close());

  it('pages through the log newest first, with the total', async () => {
    const first = (await get('?action=item.*&page_size=10')).json() as Page;
    expect(first.items).toHaveLength(10);
    expect(first.total).toBe(25);
    const ids = first.items.map((r) => BigInt(r.id));
    expect([...ids].sort((a, b) => (a < b ? 1 : -1))).toEqual(ids);
    const second = (await get('?action=item.*&page_size=10&page=2')).json() as Page;
    const third = (await get('?action=item.*&page_size=10&page=3')).json() as Page;
    expect(third.items).toHaveLength(5);
    expect(BigInt(second.items[0].id)).toBe(ids[ids.length - 1] - 1n);
    expect(second.items[0]).toMatchObject({ actor: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.stringMatching(/Z$/) });
  });

  it('filters by actor, action (exact or prefix), subject and outcome', async () => {
    const byActor = (await get('?actor=user:1:clerk&page_size=200')).json() as Page;
    expect(byActor.total).toBe(9);
    expect(byActor.items.every((r) => r.actor === 'user:1:clerk')).toBe(true);
    expect(((await get('?action=item.publish')).json() as Page).total).toBe(5);
    expect(((await get('?action=item.*')).json() as Page).total).toBe(25);
    expect(((await get('?action=item_*')).json() as Page).total).toBe(0);
    const one = (await get('?subject=item:it-7')).json() as Page;
    expect(one.items.map((r) => [r.subject, r.outcome])).toEqual([['item:it-7', 'denied']]);
    expect(((await get('?outcome=denied&action=item.*')).json() as Page).total).toBe(1);
  });

  it('filters by time, inclusive at both ends, and a bare date is a whole day in China time', async () => {
    const inWindow = (await get(`?action=item.*&from=${before.toISOString()}&to=${after.toISOString()}`)).json() as Page;
    expect(inWindow.total).toBe(25);
    expect(((await get(`?action=item.*&from=${after.toISOString()}`)).json() as Page).total).toBe(0);
    expect(((await get('?action=item.*&to=2000-01-01')).json() as Page).total).toBe(0);
    const cst = new Date(before.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(((await get(`?action=item.*&from=${cst}&to=${cst}`)).json() as Page).total).toBe(25);
  });

  it('rejects malformed times and reversed ranges, naming the field', async () => {
    const bad = await get('?from=last%20tuesday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BAD_INPUT', field: 'from' });
    expect((await get('?from=2025-02-30')).json()).toMatchObject({ field: 'from' });
    expect((await get('?from=2025-06-30&to=2025-06-01')).json()).toMatchObject({ field: 'to' });
    expect((await get('?page_size=1000')).statusCode).toBe(400);
  });

  it('is for administrators only', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401);
    expect((await get('', await env.login('leader'))).statusCode).toBe(403);
  });

  it('records each read of the log (which filters, not their values) and keeps the chain intact', async () => {
    await get('?subject=item:it-3&action=item.*');
    const reads = (await get('?action=audit.read&page_size=1')).json() as Page;
    const last = (await get('?action=audit.read&page_size=2')).json() as Page;
    expect(reads.total).toBeGreaterThanOrEqual(2);
    expect(last.items[1].detail).toEqual({ filters: ['action', 'subject'], page: 1 });
    expect(JSON.stringify(last.items[1])).not.toContain('it-3');
    expect(await verifyAudit(env.db)).toMatchObject({ ok: true });
  });
});
