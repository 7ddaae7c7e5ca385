// The first-start demo, small: every fact is credited to the source system the field
// dictionary names for it, and everyone has a payee account, so payout batches can be made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luhnValid } from '@kx/data';
import { bearer, DATABASES, testEnv, type TestEnv } from '../../test/harness.ts';
import { quiesce } from '../modules/matching/testing.ts';
import { seedDemo } from './demo.ts';

describe.each(DATABASES)('the demo seed on %s', (kind) => {
  let env: TestEnv;
  let resident: string;
  const sourceOf = async (entity: string, field: string) =>
    (await env.db.query<{ source: string }>('SELECT source FROM facts WHERE entity_id = $1 AND field = $2 ORDER BY recorded_at DESC, id DESC LIMIT 1', [entity, field])).rows[0]?.source;

  beforeAll(async () => {
    env = await testEnv(kind, { config: { demoPeople: 300, demoEnterprises: 40 } });
    await seedDemo(env.ctx, () => {});
    resident = (await env.db.query<{ entity_id: string }>("SELECT entity_id::text AS entity_id FROM users WHERE username = 'resident'")).rows[0].entity_id;
  }, 120_000);
  afterAll(async () => {
    await quiesce(env);
    await env.close();
  }, 30_000);

  it('credits each fact to the source system the dictionary names (低保 to 民政, the birth date to 公安)', async () => {
    expect(await sourceOf(resident, 'dibao')).toBe('civil');
    expect(await sourceOf(resident, 'birth_date')).toBe('police');
    expect(await sourceOf(resident, 'id_number')).toBe('police');
    const wrong = await env.db.query<{ field: string; source: string }>('SELECT DISTINCT field, source FROM facts ORDER BY field, source');
    for (const r of wrong.rows) expect([r.field, r.source]).toEqual([r.field, env.ctx.dict.fields.get(r.field)!.source]);
    // Correcting a registry fact names the office that supplies it.
    const tok = await env.login('resident');
    const r = await env.app.inject({ method: 'POST', url: `/api/v1/entities/${resident}/facts`, headers: bearer(tok), payload: { field: 'birth_date', value: '1940-03-16' } });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toContain('公安');
    expect(r.json().message).not.toContain('市场监管');
  });

  it('staffs every department that owns an item or performs a review step: a clerk, two approvers, a payout officer', async () => {
    const steps = await env.db.query<{ department: string }>(
      `SELECT DISTINCT COALESCE(s->>'department', i.department) AS department
         FROM items i JOIN item_versions v ON v.item_id = i.id
         CROSS JOIN LATERAL jsonb_array_elements(COALESCE(v.body->'review_steps', '[]'::jsonb)) s
       UNION SELECT DISTINCT department FROM items`,
    );
    expect(steps.rows.length).toBeGreaterThan(10);
    const staff = await env.db.query<{ department: string; role: string; n: string }>("SELECT department, role, count(*)::text AS n FROM users WHERE department IS NOT NULL GROUP BY 1, 2");
    const count = (d: string, role: string) => Number(staff.rows.find((r) => r.department === d && r.role === role)?.n ?? 0);
    for (const { department } of steps.rows) {
      expect(count(department, 'clerk'), department).toBeGreaterThanOrEqual(1);
      expect(count(department, 'approver'), department).toBeGreaterThanOrEqual(2);
      expect(count(department, 'payout'), department).toBeGreaterThanOrEqual(1);
    }
    await env.login('lc-czj-approver');
  });

  it('gives everyone a sealed 19-digit payee account, so a payout officer can batch the granted cases', async () => {
    const accounts = await env.db.query<{ n: string; people: string }>(
      "SELECT count(*)::text AS n, (SELECT count(*)::text FROM entities) AS people FROM entities e WHERE e.facts ? 'bank_account'",
    );
    expect(accounts.rows[0].n).toBe(accounts.rows[0].people);
    const raw = await env.db.query<{ v: unknown }>("SELECT facts -> 'bank_account' AS v FROM entities WHERE id = $1", [resident]);
    expect(JSON.stringify(raw.rows[0].v)).not.toMatch(/\d{19}/); // sealed at rest
    const own = await env.app.inject({ method: 'GET', url: `/api/v1/entities/${resident}/facts`, headers: bearer(await env.login('resident')) });
    expect(own.statusCode).toBe(200);

    const depts = await env.db.query<{ department: string }>(
      "SELECT DISTINCT i.department FROM grants g JOIN items i ON i.id = g.item_id WHERE g.status = 'granted' ORDER BY i.department",
    );
    const officers = new Map([['lc-czj', 'czj-payout'], ['lc-rsj', 'rsj-payout'], ['lc-gxj', 'gxj-payout'], ['lc-mzj', 'mzj-payout']]);
    const payable = depts.rows.map((d) => d.department).filter((d) => officers.has(d));
    expect(payable.length).toBeGreaterThan(0);
    for (const department of payable) {
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/payouts/batches', headers: bearer(await env.login(officers.get(department)!)) });
      expect([department, r.statusCode, r.statusCode === 201 ? '' : r.body]).toEqual([department, 201, '']);
      expect(r.json().skipped.filter((x: { reason: string }) => x.reason === 'no_bank_account')).toEqual([]);
    }
  });

  it('makes valid-looking account numbers, the same for the same profile', async () => {
    const { demoBankAccount } = await import('@kx/data');
    const a = demoBankAccount(1, 'P0000001');
    expect(a).toMatch(/^62\d{17}$/);
    expect(luhnValid(a)).toBe(true);
    expect(demoBankAccount(1, 'P0000001')).toBe(a);
    expect(demoBankAccount(1, 'P0000002')).not.toBe(a);
  });
});
