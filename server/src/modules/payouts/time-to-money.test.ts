import { CHINA_HOLIDAYS_2025 } from '@kx/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, TEST_NOW, testEnv, type TestEnv } from '../../../test/harness.ts';
import type { Queryable } from '../../db/db.ts';
import { seedApplication, seedEntity, seedGrant, seedItem, settleOnClose } from './testing.ts';
import type { TimeToMoneyGroup } from './schema.ts';
import { percentile } from './time-to-money.ts';

describe('percentile (linear between ranks)', () => {
  it('gives the hand-checked median and 90th percentile', () => {
    expect([percentile([20, 3, 10, 5, 8], 0.5), percentile([20, 3, 10, 5, 8], 0.9)]).toEqual([8, 16]);
    expect([percentile([2, 4, 6, 30], 0.5), percentile([2, 4, 6, 30], 0.9)]).toEqual([5, 22.8]);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});

const A = 'ttm-auto'; // 免申即享, 10 working days
const B = 'ttm-apply'; // application, 5 working days
const C = 'ttm-other'; // another department

type Ev = [event: string, day: string, step?: string];

// Hand-checked cases. Durations first eligible → paid: A 3, 5, 8, 10, 20; B 8, 10, 10; C 2.
// Applied → approved: B 2, 4, 6, 30. Deadlines on the 2025 calendar (端午 5/31–6/2 off).
const CASES: { key: string; type: 'grant' | 'application'; item: string; dept: string; status: string; events: Ev[] }[] = [
  { key: 'A1', type: 'grant', item: A, dept: 'lc-rsj', status: 'paid', events: [['first_eligible', '2025-06-02'], ['notified', '2025-06-02'], ['paid', '2025-06-05']] },
  { key: 'A2', type: 'grant', item: A, dept: 'lc-rsj', status: 'paid', events: [['first_eligible', '2025-06-02'], ['notified', '2025-06-03'], ['paid', '2025-06-07']] },
  { key: 'A3', type: 'grant', item: A, dept: 'lc-rsj', status: 'paid', events: [['first_eligible', '2025-06-03'], ['paid', '2025-06-11']] },
  { key: 'A4', type: 'grant', item: A, dept: 'lc-rsj', status: 'paid', events: [['first_eligible', '2025-06-03'], ['paid', '2025-06-13']] },
  // deadline 6/19, paid 6/25: late
  { key: 'A5', type: 'grant', item: A, dept: 'lc-rsj', status: 'paid', events: [['first_eligible', '2025-06-05'], ['paid', '2025-06-25']] },
  // open: deadline 6/24 → overdue on 6/30; deadline 7/9 → not yet
  { key: 'A6', type: 'grant', item: A, dept: 'lc-rsj', status: 'granted', events: [['first_eligible', '2025-06-10'], ['notified', '2025-06-10']] },
  { key: 'A7', type: 'grant', item: A, dept: 'lc-rsj', status: 'batched', events: [['first_eligible', '2025-06-25']] },
  // cancelled: closed, never overdue
  { key: 'A8', type: 'grant', item: A, dept: 'lc-rsj', status: 'cancelled', events: [['first_eligible', '2025-06-01']] },
  // applied 6/3 → deadline 6/10, paid 6/10: in time
  { key: 'B1', type: 'application', item: B, dept: 'lc-rsj', status: 'paid', events: [['first_eligible', '2025-06-02'], ['applied', '2025-06-03'], ['step_started', '2025-06-03', '初审'], ['step_done', '2025-06-04', '初审'], ['approved', '2025-06-05'], ['paid', '2025-06-10']] },
  { key: 'B2', type: 'application', item: B, dept: 'lc-rsj', status: 'paid', events: [['first_eligible', '2025-06-02'], ['applied', '2025-06-04'], ['step_started', '2025-06-04', '初审'], ['step_done', '2025-06-06', '初审'], ['approved', '2025-06-08'], ['paid', '2025-06-12']] },
  { key: 'B3', type: 'application', item: B, dept: 'lc-rsj', status: 'paid', events: [['first_eligible', '2025-06-03'], ['applied', '2025-06-05'], ['approved', '2025-06-11'], ['paid', '2025-06-13']] },
  // applied Mon 5/26; five working days skip 端午 → deadline Tue 6/3 (calendar days would say 5/31)
  { key: 'B4', type: 'application', item: B, dept: 'lc-rsj', status: 'approved', events: [['first_eligible', '2025-05-20'], ['applied', '2025-05-26'], ['approved', '2025-06-25']] },
  { key: 'B5', type: 'application', item: B, dept: 'lc-rsj', status: 'rejected', events: [['first_eligible', '2025-06-02'], ['applied', '2025-06-03'], ['rejected', '2025-06-06']] },
  { key: 'C1', type: 'grant', item: C, dept: 'lc-czj', status: 'paid', events: [['first_eligible', '2025-06-02'], ['paid', '2025-06-04']] },
];

async function seedCases(env: TestEnv, q: Queryable): Promise<void> {
  await seedItem(q, A, 'lc-rsj', { statutory_days: 10 });
  await seedItem(q, B, 'lc-rsj', { statutory_days: 5, mode: 'online' });
  await seedItem(q, C, 'lc-czj', { statutory_days: 20 });
  for (const d of CHINA_HOLIDAYS_2025) await q.query('INSERT INTO calendar_days (day, working, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [d.day, d.working, d.note]);
  for (const c of CASES) {
    const e = await seedEntity(env.ctx, q, 'person', `案件${c.key}`, '6228480000000001');
    const id = c.type === 'grant' ? await seedGrant(q, e, c.item, c.dept, '100.00', c.status) : await seedApplication(q, e, c.item, c.dept, '100.00', { status: c.status });
    for (const [event, day, step] of c.events)
      await q.query(
        `INSERT INTO case_events (case_type, case_id, entity_id, item_id, item_version, department, event, step, at, dedupe_key)
         VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9)`,
        [c.type, id, e, c.item, c.dept, event, step ?? null, `${day}T02:00:00Z`, `${c.type}:${id}:${event}:${step ?? ''}`],
      );
  }
}

describe.each(DATABASES)('time to money on %s', (kind) => {
  let env: TestEnv;
  let leader: string;
  const report = async (query: string, token = leader) => {
    const r = await env.app.inject({ method: 'GET', url: `/api/v1/stats/time-to-money?${query}`, headers: bearer(token) });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { groups: TimeToMoneyGroup[]; calendar: string; as_of: string };
  };
  const group = (groups: TimeToMoneyGroup[], key: string) => groups.find((g) => g.key === key)!;

  beforeAll(async () => {
    env = await testEnv(kind);
    settleOnClose(env);
    await addUser(env, 'leader', 'leader');
    await addUser(env, 'clerk-rsj', 'clerk', { department: 'lc-rsj' });
    await env.db.tx((q) => seedCases(env, q));
    leader = await env.login('leader');
  });
  afterAll(() => env.close());

  it('reports per item the hand-checked median and p90, statutory days, in-time and overdue counts', async () => {
    const r = await report('group=item');
    expect(r.calendar).toBe('working_days');
    expect(group(r.groups, A)).toMatchObject({
      department: 'lc-rsj', cases: 8, paid: 5, statutory_days: [10],
      eligible_to_paid: { cases: 5, median_days: 8, p90_days: 16 },
      applied_to_approved: { cases: 0, median_days: null, p90_days: null },
      paid_within_statutory: 4, open: 2, overdue_now: 1,
    });
    expect(group(r.groups, B)).toMatchObject({
      cases: 5, paid: 3, statutory_days: [5],
      eligible_to_paid: { cases: 3, median_days: 10, p90_days: 10 },
      applied_to_approved: { cases: 4, median_days: 5, p90_days: 22.8 },
      paid_within_statutory: 1, open: 1, overdue_now: 1,
    });
    expect(group(r.groups, B).stages).toContainEqual({ from: 'step:初审', to: 'step:初审:done', cases: 2, median_days: 1.5, p90_days: 1.9 });
    // eligible → notified: A1 0, A2 1, A6 0 days
    expect(group(r.groups, A).stages).toContainEqual({ from: 'first_eligible', to: 'notified', cases: 3, median_days: 0, p90_days: 0.8 });
  });

  it('matches the percentiles PostgreSQL computes straight from the events', async () => {
    const direct = await env.db.query<{ item_id: string; median: number; p90: number }>(`
      SELECT item_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90
        FROM (SELECT item_id, (max(at) FILTER (WHERE event = 'paid') AT TIME ZONE 'UTC')::date - (min(at) FILTER (WHERE event = 'first_eligible') AT TIME ZONE 'UTC')::date AS d
                FROM case_events GROUP BY case_type, case_id, item_id) x
       WHERE d IS NOT NULL GROUP BY item_id`);
    const r = await report('group=item');
    expect(direct.rows).toHaveLength(3);
    for (const row of direct.rows) {
      const g = group(r.groups, row.item_id).eligible_to_paid;
      expect(g.median_days).toBeCloseTo(Number(row.median), 9);
      expect(g.p90_days).toBeCloseTo(Number(row.p90), 9);
    }
  });

  it('reports per department, pooling its items', async () => {
    const r = await report('group=department');
    expect(r.groups.map((g) => g.key)).toEqual(['lc-czj', 'lc-rsj']);
    // e2p of lc-rsj: 3 5 8 8 10 10 10 20 → median 9, p90 10 + 0.3 × 10 = 13
    expect(group(r.groups, 'lc-rsj')).toMatchObject({
      cases: 13, paid: 8, statutory_days: [5, 10], eligible_to_paid: { cases: 8, median_days: 9, p90_days: 13 },
      applied_to_approved: { median_days: 5, p90_days: 22.8 }, paid_within_statutory: 5, open: 3, overdue_now: 2,
    });
    expect(group(r.groups, 'lc-czj')).toMatchObject({ cases: 1, paid: 1, statutory_days: [20], eligible_to_paid: { median_days: 2, p90_days: 2 } });
  });

  it('takes the cases first eligible within from–to', async () => {
    const r = await report(`group=item&from=2025-06-01&to=2025-06-30`);
    // B4 (first eligible 5/20) is left out
    expect(group(r.groups, B)).toMatchObject({ cases: 4, applied_to_approved: { cases: 3, median_days: 4, p90_days: 5.6 }, open: 0, overdue_now: 0 });
    const bad = await env.app.inject({ method: 'GET', url: '/api/v1/stats/time-to-money?from=2025-07-01&to=2025-06-01', headers: bearer(leader) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('from');
  });

  it('counts overdue on working days: a holiday inside the window moves the limit', async () => {
    try {
      env.clock.now = new Date('2025-06-03T10:00:00Z');
      expect(group((await report('group=item')).groups, B).overdue_now).toBe(0); // limit 6/3, not 5/31
      env.clock.now = new Date('2025-06-04T10:00:00Z');
      expect(group((await report('group=item')).groups, B).overdue_now).toBe(1);
    } finally {
      env.clock.now = new Date(TEST_NOW);
    }
  });

  it('shows a department’s staff their own department only', async () => {
    const clerk = await env.login('clerk-rsj');
    const r = await report('group=department', clerk);
    expect(r.groups.map((g) => g.key)).toEqual(['lc-rsj']);
    const items = await report('group=item', clerk);
    expect(items.groups.map((g) => g.key).sort()).toEqual([B, A].sort());
    const other = await env.app.inject({ method: 'GET', url: '/api/v1/stats/time-to-money?department=lc-czj', headers: bearer(clerk) });
    expect(other.statusCode).toBe(403);
    await addUser(env, 'resident', 'resident', { entity_id: '1' });
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/stats/time-to-money', headers: bearer(await env.login('resident')) });
    expect(res.statusCode).toBe(403);
  });
});
