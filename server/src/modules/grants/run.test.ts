import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { autoItem, elder, gljt, markEligible, publish, seedEntities } from './fixtures.ts';
import { Worker } from '../jobs/queue.ts';
import { enqueueGrantRun, grantJobs } from './job.ts';
import { runGrants } from './run.ts';

const SET_AT = new Date('2025-06-02T08:00:00Z');

interface GrantRow {
  id: string;
  entity_id: string;
  item_id: string;
  period_key: string;
  amount: string;
  item_amount: string;
  status: string;
  evidence: { cause: { kind: string; match_event_id?: string }; facts: { field: string; source: string; as_of?: string; fact_id?: string; value?: unknown; sensitive?: boolean }[] };
  match_event_id: string | null;
  first_eligible_at: Date;
}

async function grantsOf(env: TestEnv, item: string): Promise<GrantRow[]> {
  return (await env.db.query<GrantRow>('SELECT g.id::text AS id, g.entity_id::text AS entity_id, g.item_id, g.period_key, g.amount, g.item_amount, g.status, g.evidence, g.match_event_id::text AS match_event_id, g.first_eligible_at FROM grants g WHERE g.item_id = $1 ORDER BY g.entity_id, g.period_key', [item])).rows;
}

async function count(env: TestEnv, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await env.db.query<{ n: string }>(sql, params)).rows[0].n);
}

describe.each(DATABASES)('grant run (%s)', (kind) => {
  let env: TestEnv;
  let ids: string[];
  beforeAll(async () => {
    env = await testEnv(kind);
    await publish(env.ctx, [gljt()], 'lc-mzj-2025-gljt');
    // 85, 95 and 101 years old on 2025-06-30; the fourth is 79 and not in the eligible set.
    ids = await seedEntities(env.ctx, 'person', [elder('E85', '1940-05-01'), elder('E95', '1930-01-15'), elder('E101', '1924-03-01'), elder('E79', '1946-01-01')]);
    await markEligible(env.db, { id: 'lc-mzj-gljt', version: 1 }, ids.slice(0, 3), SET_AT);
  });
  afterAll(() => env.close());

  it('grants each eligible entity of an auto item once, with the amount of its age band', async () => {
    const r = await runGrants(env.ctx, { date: '2025-06-30' });
    expect(r).toMatchObject({ created: 3, already_granted: 0, blocked_by_budget: 0 });
    const rows = await grantsOf(env, 'lc-mzj-gljt');
    expect(rows.map((g) => [g.entity_id, g.period_key, g.amount, g.status])).toEqual([
      [ids[0], '2025-06', '50', 'granted'],
      [ids[1], '2025-06', '150', 'granted'],
      [ids[2], '2025-06', '600', 'granted'],
    ]);
    const ledger = (await env.db.query<{ spent: string; granted_count: number }>("SELECT spent, granted_count FROM grant_ledger WHERE item_id = 'lc-mzj-gljt' AND period_key = '2025-06'")).rows[0];
    expect([ledger.spent, Number(ledger.granted_count)]).toEqual(['800', 3]);
    for (const g of rows) {
      expect(g.match_event_id).not.toBeNull();
      expect(new Date(g.first_eligible_at).toISOString()).toBe('2025-06-02T08:00:00.000Z');
      const events = (await env.db.query<{ event: string; at: Date }>("SELECT event, at FROM case_timeline WHERE case_type = 'grant' AND case_id = $1 ORDER BY event", [g.id])).rows;
      expect(events.map((e) => [e.event, new Date(e.at).toISOString()])).toEqual([
        ['approved', '2025-06-30T02:00:00.000Z'],
        ['first_eligible', '2025-06-02T08:00:00.000Z'],
      ]);
      const inbox = (await env.db.query<{ entity_id: string; title: string; body: string }>('SELECT entity_id::text AS entity_id, title, body FROM inbox WHERE cause_key = $1', [`grant:${g.id}`])).rows;
      expect(inbox).toHaveLength(1);
      expect(inbox[0].entity_id).toBe(g.entity_id);
      expect(inbox[0].body).toContain(`${g.amount} 元`);
    }
  });

  it('records the evidence: every fact the rule read, its source and as-of date, the history row behind it', async () => {
    const [g] = await grantsOf(env, 'lc-mzj-gljt');
    expect(g.evidence.cause).toEqual({ kind: 'match_event', match_event_id: g.match_event_id, at: '2025-06-02T08:00:00.000Z' });
    const fields = Object.fromEntries(g.evidence.facts.map((f) => [f.field, f]));
    expect(Object.keys(fields).sort()).toEqual(['alive', 'birth_date', 'hukou_region', 'region']);
    expect(fields.birth_date).toMatchObject({ source: 'police', as_of: '2025-06-01', value: '1940-05-01' });
    const fact = (await env.db.query<{ entity_id: string; field: string }>('SELECT entity_id::text AS entity_id, field FROM facts WHERE id = $1', [fields.birth_date.fact_id])).rows[0];
    expect(fact).toEqual({ entity_id: g.entity_id, field: 'birth_date' });
  });

  it('creates nothing when run again; the next month is a new period', async () => {
    const before = await count(env, 'SELECT count(*) AS n FROM inbox');
    const again = await runGrants(env.ctx, { date: '2025-06-30' });
    expect(again).toMatchObject({ created: 0, already_granted: 3, blocked_by_budget: 0 });
    expect(await count(env, 'SELECT count(*) AS n FROM inbox')).toBe(before);
    expect(await count(env, "SELECT count(*) AS n FROM case_timeline WHERE case_type = 'grant'")).toBe(6);
    const july = await runGrants(env.ctx, { date: '2025-07-01', item: 'lc-mzj-gljt' });
    expect(july).toMatchObject({ created: 3, already_granted: 0 });
    const rows = await grantsOf(env, 'lc-mzj-gljt');
    expect(rows.filter((g) => g.period_key === '2025-07').map((g) => g.amount)).toEqual(['50', '150', '600']);
    // Eligible since June: for the July grant the clock starts on the first of July.
    expect(rows.filter((g) => g.period_key === '2025-07').map((g) => new Date(g.first_eligible_at).toISOString())).toEqual(Array(3).fill('2025-07-01T00:00:00.000Z'));
  });

  it('refuses an item that is not a published auto item in force', async () => {
    await expect(runGrants(env.ctx, { item: 'no-such-item', date: '2025-06-30' })).rejects.toThrow(/no-such-item/);
    await expect(runGrants(env.ctx, { date: '2025-13-01' })).rejects.toThrow(/2025-13-01/);
  });

  it('waits for the matching when the newest set is of an older version', async () => {
    await publish(env.ctx, [autoItem('t-wait', { amount: '10' })], 'grants-wait');
    const more = await seedEntities(env.ctx, 'person', [elder('W1', '1950-01-01')]);
    await markEligible(env.db, { id: 't-wait', version: 1 }, more, SET_AT);
    await publish(env.ctx, [autoItem('t-wait', { amount: '20' })], 'grants-wait');
    const r = await runGrants(env.ctx, { date: '2025-06-30', item: 't-wait' });
    expect(r).toMatchObject({ created: 0, waiting: ['t-wait'] });
  });

  it('runs as the grant.run job: enqueued once per cause, the report as the job result', async () => {
    await env.db.tx(async (q) => {
      await enqueueGrantRun(q, { date: '2025-08-01', item: 'lc-mzj-gljt' }, 'match.full:42');
      await enqueueGrantRun(q, { date: '2025-08-01', item: 'lc-mzj-gljt' }, 'match.full:42');
    });
    expect(await new Worker(env.db, grantJobs(env.ctx)).drain()).toBe(1);
    const job = (await env.db.query<{ status: string; result: { created: number; date: string } }>("SELECT status, result FROM jobs WHERE queue = 'grant.run'")).rows[0];
    expect(job).toMatchObject({ status: 'done', result: { created: 3, date: '2025-08-01' } });
    expect((await grantsOf(env, 'lc-mzj-gljt')).filter((g) => g.period_key === '2025-08')).toHaveLength(3);
  });
});
