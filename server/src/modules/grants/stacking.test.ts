import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { autoItem, elder, markEligible, publish, seedEntities } from './fixtures.ts';
import { runGrants } from './run.ts';

const AT = new Date('2025-06-02T08:00:00Z');
const DATE = '2025-06-30';

async function rows(env: TestEnv, items: string[]) {
  return (
    await env.db.query<{ id: string; entity_id: string; item_id: string; amount: string; status: string }>(
      'SELECT g.id::text AS id, g.entity_id::text AS entity_id, g.item_id, g.amount::text AS amount, g.status FROM grants g WHERE g.item_id = ANY($1::text[]) ORDER BY g.entity_id, g.item_id',
      [items],
    )
  ).rows;
}

async function ledger(env: TestEnv, item: string) {
  const r = (await env.db.query<{ spent: string; granted_count: number }>("SELECT spent::text AS spent, granted_count FROM grant_ledger WHERE item_id = $1 AND period_key = 'once'", [item])).rows[0];
  return r ? [r.spent, Number(r.granted_count)] : undefined;
}

describe.each(DATABASES)('stacking groups and budgets (%s)', (kind) => {
  let env: TestEnv;
  let ids: string[];
  beforeAll(async () => {
    env = await testEnv(kind);
    ids = await seedEntities(env.ctx, 'person', ['A', 'B', 'C', 'D', 'E'].map((k) => elder(k, '1950-01-01')));
  });
  afterAll(() => env.close());

  it('pays only the highest item of a stacking group (从高不重复)', async () => {
    const low = autoItem('sg-low', { amount: '1000', group: 'sg' });
    const high = autoItem('sg-high', { amount: '3000', group: 'sg' });
    await publish(env.ctx, [low, high], 'grants-sg');
    await markEligible(env.db, low, ids.slice(0, 2), AT);
    await markEligible(env.db, high, ids.slice(0, 2), AT);
    const r = await runGrants(env.ctx, { date: DATE });
    expect(r).toMatchObject({ created: 2, superseded: 2 });
    expect((await rows(env, ['sg-low', 'sg-high'])).map((g) => [g.entity_id, g.item_id, g.status, g.amount])).toEqual([
      [ids[0], 'sg-high', 'granted', '3000'],
      [ids[0], 'sg-low', 'superseded', '0'],
      [ids[1], 'sg-high', 'granted', '3000'],
      [ids[1], 'sg-low', 'superseded', '0'],
    ]);
    expect(await ledger(env, 'sg-high')).toEqual(['6000', 2]);
    expect(await ledger(env, 'sg-low')).toEqual(['0', 0]);
    // the superseded rows are decisions, not cases: no events, no notices
    expect(Number((await env.db.query<{ n: string }>("SELECT count(*) AS n FROM inbox WHERE item_id = 'sg-low'")).rows[0].n)).toBe(0);
    expect(await runGrants(env.ctx, { date: DATE })).toMatchObject({ created: 0, already_granted: 4 });
  });

  it('a later, higher item of the group replaces an unpaid grant and tops up a paid one by the difference', async () => {
    const first = autoItem('sg2-first', { amount: '1000', group: 'sg2' });
    await publish(env.ctx, [first], 'grants-sg2a');
    await markEligible(env.db, first, ids.slice(0, 2), AT);
    expect(await runGrants(env.ctx, { date: DATE, item: 'sg2-first' })).toMatchObject({ created: 2 });
    // the payout module has paid the first entity's grant meanwhile
    await env.db.query("UPDATE grants SET status = 'paid' WHERE item_id = 'sg2-first' AND entity_id = $1", [ids[0]]);
    const later = autoItem('sg2-later', { amount: '2500', group: 'sg2' });
    await publish(env.ctx, [later], 'grants-sg2b');
    await markEligible(env.db, later, ids.slice(0, 2), AT);
    expect(await runGrants(env.ctx, { date: DATE, item: 'sg2-later' })).toMatchObject({ created: 2 });
    const g = await rows(env, ['sg2-first', 'sg2-later']);
    expect(g.map((x) => [x.entity_id, x.item_id, x.status, x.amount])).toEqual([
      [ids[0], 'sg2-first', 'paid', '1000'],
      [ids[0], 'sg2-later', 'granted', '1500'],
      [ids[1], 'sg2-first', 'superseded', '1000'],
      [ids[1], 'sg2-later', 'granted', '2500'],
    ]);
    // ledgers: the paid 1000 stays spent, the superseded 1000 is released
    expect(await ledger(env, 'sg2-first')).toEqual(['1000', 1]);
    expect(await ledger(env, 'sg2-later')).toEqual(['4000', 2]);
    const replaced = (await env.db.query<{ superseded_by: string }>("SELECT superseded_by::text AS superseded_by FROM grants WHERE item_id = 'sg2-first' AND entity_id = $1", [ids[1]])).rows[0];
    expect(replaced.superseded_by).toBe(g[3].id);
  });

  it('stops cleanly when the budget runs out: 3 of 5 granted, 2 counted blocked, one notice to the department', async () => {
    const item = autoItem('budget-3', { amount: '100', quota: { budget: '300' }, department: 'lc-rsj' });
    await publish(env.ctx, [item], 'grants-budget');
    await markEligible(env.db, item, ids, AT);
    const r = await runGrants(env.ctx, { date: DATE, item: 'budget-3' });
    expect(r).toMatchObject({ created: 3, already_granted: 0, blocked_by_budget: 2 });
    expect(r.exhausted).toEqual([{ item: 'budget-3', period: 'once', reason: 'budget', blocked: 2 }]);
    // earliest eligible first, then by entity number: the first three
    expect((await rows(env, ['budget-3'])).map((g) => g.entity_id)).toEqual(ids.slice(0, 3));
    expect(await ledger(env, 'budget-3')).toEqual(['300', 3]);
    const again = await runGrants(env.ctx, { date: DATE, item: 'budget-3' });
    expect(again).toMatchObject({ created: 0, already_granted: 3, blocked_by_budget: 2 });
    const notices = (await env.db.query<{ department: string; title: string; body: string }>("SELECT department, title, body FROM inbox WHERE kind = 'grant_budget_exhausted' AND item_id = 'budget-3'")).rows;
    expect(notices).toHaveLength(1);
    expect(notices[0].department).toBe('lc-rsj');
    expect(notices[0].body).toContain('2 个符合条件的主体未获发放');
  });

  it('respects quota.count the same way', async () => {
    const item = autoItem('quota-2', { amount: '10', quota: { count: 2 } });
    await publish(env.ctx, [item], 'grants-quota');
    await markEligible(env.db, item, ids, AT);
    const r = await runGrants(env.ctx, { date: DATE, item: 'quota-2' });
    expect(r).toMatchObject({ created: 2, blocked_by_budget: 3, blocked_by_quota: 3 });
    expect(r.exhausted).toEqual([{ item: 'quota-2', period: 'once', reason: 'quota', blocked: 3 }]);
  });

  it('holds under concurrent runs: three at once, chunks of one, never a grant twice nor a budget overspent', async () => {
    const capped = autoItem('race-capped', { amount: '100', quota: { budget: '250' } });
    const free = autoItem('race-free', { amount: '7' });
    const low = autoItem('race-low', { amount: '1', group: 'race' });
    const high = autoItem('race-high', { amount: '2', group: 'race' });
    await publish(env.ctx, [capped, free, low, high], 'grants-race');
    for (const it of [capped, free, low, high]) await markEligible(env.db, it, ids, AT);
    const only = ['race-capped', 'race-free', 'race-low', 'race-high'];
    const runs = await Promise.all([0, 1, 2].map(() => runGrants(env.ctx, { date: DATE, chunkSize: 1, concurrency: 3 })));
    expect(runs.reduce((a, r) => a + r.created, 0)).toBe(2 + 5 + 5);
    expect(await ledger(env, 'race-capped')).toEqual(['200', 2]);
    expect(await ledger(env, 'race-free')).toEqual(['35', 5]);
    const g = await rows(env, only);
    expect(g.filter((x) => x.item_id === 'race-free')).toHaveLength(5);
    expect(g.filter((x) => x.item_id === 'race-high' && x.status === 'granted')).toHaveLength(5);
    expect(g.filter((x) => x.item_id === 'race-low').every((x) => x.status === 'superseded')).toBe(true);
  });
});
