// End to end through the other modules' own services: a 免申即享 grant made by the grant run
// and an online application walked through its parallel reviews to approval, then batched,
// exported, answered by the bank and paid — and the time-to-money report over those events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { call, cast, ENTERPRISE_FACTS, PDF, publishItems, seedEntity, upload, wengang, withCalendar, type Cast } from '../applications/fixtures.ts';
import { autoItem, markEligible, publish, seedEntities } from '../grants/fixtures.ts';
import { runGrants } from '../grants/run.ts';
import { parseCsv, toCsv } from './csv.ts';
import type { TimeToMoneyGroup } from './schema.ts';
import { settleOnClose } from './testing.ts';

const AUTO = autoItem('pay-flow-auto', { department: 'lc-rsj', amount: '500', eligibility: 'alive = true' });
const ELIGIBLE_AT = new Date('2025-06-02T08:00:00Z');

describe.each(DATABASES)('from decision to money on %s', (kind) => {
  let env: TestEnv;
  let t: Cast;
  let officer: string;
  let people: string[];
  let appId: string;
  let batch: string;

  beforeAll(async () => {
    env = await testEnv(kind, { config: { sessionHours: 24 * 400 } });
    settleOnClose(env);
    await withCalendar(env);
    // grants: two residents whose bank account the profile holds (sealed by profiles)
    await publish(env.ctx, [AUTO], 'pay-flow');
    people = await seedEntities(env.ctx, 'person', [
      { key: 'PF1', facts: { region: '371502', alive: true, name: '周一', bank_account: '6228480011110001' } },
      { key: 'PF2', facts: { region: '371502', alive: true, name: '吴二', bank_account: '6228480011110002' } },
    ]);
    await markEligible(env.db, AUTO, people, ELIGIBLE_AT);
    await runGrants(env.ctx, { date: '2025-06-30' });
    // an application: declared account on the form, three reviews, approved
    await publishItems(env.ctx, [wengang()]);
    const { region, uscc, name, ...hrss } = ENTERPRISE_FACTS;
    const firm = await seedEntity(env.ctx, 'enterprise', uscc, { region, uscc, name }, 'market');
    await seedEntity(env.ctx, 'enterprise', uscc, hrss, 'hrss');
    t = await cast(env, firm);
    appId = (await call(env, t.applicant, 'POST', '/api/v1/applications', { item_id: 'app-test-wengang' })).body.id;
    await call(env, t.applicant, 'PUT', `/api/v1/applications/${appId}/form`, { fields: { layoff_rate: 0.02, bank_account: '6222 0202 0011 2233' } });
    await upload(env, t.applicant, appId, '银行开户许可证', '开户许可证.pdf', PDF);
    expect((await call(env, t.applicant, 'POST', `/api/v1/applications/${appId}/submit`)).status).toBe(200);
    const steps = async () => (await call(env, t.applicant, 'GET', `/api/v1/applications/${appId}`)).body.steps as { id: string; name: string }[];
    const id = async (n: string) => (await steps()).find((s) => s.name === n)!.id;
    await call(env, t.rsjClerk, 'POST', `/api/v1/reviews/${await id('人社部门初审')}/approve`, {});
    await call(env, t.czjApprover, 'POST', `/api/v1/reviews/${await id('财政部门审核')}/approve`, {});
    const done = await call(env, t.swsApprover, 'POST', `/api/v1/reviews/${await id('税务部门核验')}/approve`, {});
    expect(done.body.status).toBe('approved');
    await addUser(env, 'flow-pay', 'payout', { department: 'lc-rsj' });
    officer = await env.login('flow-pay');
  });
  afterAll(() => env.close());

  it('batches what the grant run granted and what the reviewers approved', async () => {
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/payouts/batches', headers: bearer(officer) });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ batch: { line_count: 3, total_amount: '13000.00' }, skipped: [] });
    batch = r.json().batch.id;
    const lines = (await env.app.inject({ method: 'GET', url: `/api/v1/payouts/batches/${batch}/lines`, headers: bearer(officer) })).json().items;
    expect(lines.map((l: { case_type: string; account: string }) => [l.case_type, l.account])).toEqual([
      ['grant', '6228 **** **** 0001'], ['grant', '6228 **** **** 0002'], ['application', '6222 **** **** 2233'],
    ]);
    const view = await call(env, t.applicant, 'GET', `/api/v1/applications/${appId}`);
    expect(view.body.status).toBe('batched');
  });

  it('pays them from the bank’s answer: statuses, timeline and time to money follow', async () => {
    const file = await env.app.inject({ method: 'GET', url: `/api/v1/payouts/batches/${batch}/export?format=csv`, headers: bearer(officer) });
    const rows = parseCsv(file.rawPayload).slice(1);
    expect(rows.map((x) => x[3])).toEqual(['6228480011110001', '6228480011110002', '6222020200112233']);
    env.clock.now = new Date('2025-07-03T02:00:00Z');
    const answer = toCsv([['明细号', '状态', '银行流水号', '支付日期', '金额'], ...rows.map((x, i) => [x[1], '成功', `FLOW${i}`, '2025-07-03', x[4]])]);
    const boundary = '----flow';
    const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bank.csv"\r\n\r\n`), answer, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const r = await env.app.inject({ method: 'POST', url: `/api/v1/payouts/batches/${batch}/results`, payload, headers: { ...bearer(officer), 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(r.json()).toMatchObject({ paid: 3, failed: 0, status: 'reconciled' });

    const grants = await env.db.query<{ status: string }>(`SELECT status FROM grants WHERE item_id = $1`, [AUTO.id]);
    expect(grants.rows.map((g) => g.status)).toEqual(['paid', 'paid']);
    const view = (await call(env, t.applicant, 'GET', `/api/v1/applications/${appId}`)).body as { status: string; timeline: { event: string }[] };
    expect(view.status).toBe('paid');
    expect(view.timeline.map((e) => e.event).slice(-2)).toEqual(['batched', 'paid']);

    // first eligible 6/2 → paid 7/3 = 31 days for both grants
    await addUser(env, 'flow-leader', 'leader');
    const rep = await env.app.inject({ method: 'GET', url: '/api/v1/stats/time-to-money?group=item', headers: bearer(await env.login('flow-leader')) });
    const g = (rep.json().groups as TimeToMoneyGroup[]).find((x) => x.key === AUTO.id)!;
    expect(g).toMatchObject({ cases: 2, paid: 2, eligible_to_paid: { cases: 2, median_days: 31, p90_days: 31 }, statutory_days: [5], paid_within_statutory: 0 });
    const app = (rep.json().groups as TimeToMoneyGroup[]).find((x) => x.key === 'app-test-wengang')!;
    // applied and approved on 6/30 (the pinned clock): 0 days
    expect(app).toMatchObject({ paid: 1, applied_to_approved: { cases: 1, median_days: 0 }, statutory_days: [15], paid_within_statutory: 1 });
  });
});
