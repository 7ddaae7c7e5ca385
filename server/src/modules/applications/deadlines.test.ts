import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { Worker } from '../jobs/queue.ts';
import { applicationJobs, DEADLINE_QUEUES } from './deadlines.ts';
import { call, ENTERPRISE_FACTS, PDF, publishItems, seedEntity, upload, wengang, withCalendar } from './fixtures.ts';

// 东昌府区人社局 reviews within 5 working days; its parent is the city bureau (lc-rsj).
const county = (id: string) =>
  wengang({ id, department: 'dcf-rsj', region_scope: ['371502'], period: 'once', review_steps: [{ name: '区人社局审核', days: 5 }] });

describe.each(DATABASES)('review deadlines on the working-day calendar on %s', (kind) => {
  let env: TestEnv;
  let admin: string;
  let applicant: string;
  let approver: string;
  const at = (day: string) => (env.clock.now = new Date(`${day}T02:00:00Z`));
  const scan = async () => (await call(env, admin, 'POST', '/api/v1/admin/deadlines/scan')).body as { date: string; reminded: number; escalated: number };
  const notices = async (kindOf: string) =>
    (await env.db.query<{ department: string; cause_key: string }>('SELECT department, cause_key FROM inbox WHERE kind = $1 ORDER BY id', [kindOf])).rows;
  const escalations = async () => (await env.db.query(`SELECT 1 FROM case_events WHERE event = 'escalated'`)).rows.length;

  async function submit(itemId: string): Promise<{ id: string; stepId: string; deadline: string }> {
    const r = await call(env, applicant, 'POST', '/api/v1/applications', { item_id: itemId });
    const id = r.body.id as string;
    await call(env, applicant, 'PUT', `/api/v1/applications/${id}/form`, { fields: { layoff_rate: 0.01, bank_account: '6228480012345678' } });
    await upload(env, applicant, id, '银行开户许可证', 'a.pdf', PDF);
    const s = await call(env, applicant, 'POST', `/api/v1/applications/${id}/submit`);
    expect(s.status).toBe(200);
    return { id, stepId: s.body.steps[0].id, deadline: s.body.steps[0].deadline };
  }

  beforeAll(async () => {
    env = await testEnv(kind, { config: { sessionHours: 24 * 400 } });
    await withCalendar(env);
    await publishItems(env.ctx, [county('app-test-dl-a'), county('app-test-dl-b'), county('app-test-dl-c')]);
    const id = await seedEntity(env.ctx, 'enterprise', ENTERPRISE_FACTS.uscc, ENTERPRISE_FACTS, 'hrss');
    await addUser(env, 'd.admin', 'admin');
    await addUser(env, 'd.applicant', 'enterprise', { entity_id: id });
    await addUser(env, 'd.approver', 'approver', { department: 'dcf-rsj' });
    [admin, applicant, approver] = [await env.login('d.admin'), await env.login('d.applicant'), await env.login('d.approver')];
  });
  afterAll(() => env.close());

  it('sets the deadline after 国庆: submitted 2025-09-29 with 5 working days, it falls on 2025-10-13', async () => {
    at('2025-09-29');
    const a = await submit('app-test-dl-a');
    expect(a.deadline).toBe('2025-10-13');
  });

  it('reminds the department once, two working days before; escalates once, the day after the deadline', async () => {
    at('2025-10-09'); // first working day after the holiday: three working days left
    expect(await scan()).toMatchObject({ reminded: 0, escalated: 0 });
    at('2025-10-10');
    expect(await scan()).toMatchObject({ date: '2025-10-10', reminded: 1, escalated: 0 });
    at('2025-10-11'); // the 调休 Saturday
    expect(await scan()).toMatchObject({ reminded: 0, escalated: 0 });
    expect(await notices('deadline.remind')).toEqual([{ department: 'dcf-rsj', cause_key: expect.stringMatching(/^remind:\d+:2025-10-13$/) }]);

    at('2025-10-13');
    expect(await scan()).toMatchObject({ reminded: 0, escalated: 0 });
    const today = await call(env, approver, 'GET', '/api/v1/reviews');
    expect(today.body.items[0].step).toMatchObject({ deadline: '2025-10-13', remaining_text: '今日到期', overdue: false });

    at('2025-10-14');
    expect(await scan()).toMatchObject({ reminded: 0, escalated: 1 });
    at('2025-10-15');
    expect(await scan()).toMatchObject({ reminded: 0, escalated: 0 });
    // to the department's approvers and to its parent, the city bureau
    expect((await notices('deadline.escalate')).map((n) => n.department)).toEqual(['dcf-rsj', 'lc-rsj']);
    expect(await escalations()).toBe(1);
    const late = await call(env, approver, 'GET', '/api/v1/reviews');
    expect(late.body.items[0].step).toMatchObject({ remaining_working_days: -2, remaining_text: '已超期 2 个工作日', overdue: true });
    const view = await call(env, applicant, 'GET', `/api/v1/applications/${late.body.items[0].application.id}`);
    expect(view.body.timeline.at(-1)).toMatchObject({ event: 'escalated', label: '审核超期，已督办：区人社局审核' });
  });

  it('does not escalate a step decided before its deadline', async () => {
    at('2025-10-15');
    const b = await submit('app-test-dl-b');
    expect(b.deadline).toBe('2025-10-22');
    expect((await call(env, approver, 'POST', `/api/v1/reviews/${b.stepId}/approve`, {})).body.status).toBe('approved');
    at('2025-10-30');
    expect(await scan()).toMatchObject({ reminded: 0, escalated: 0 });
    expect(await escalations()).toBe(1);
  });

  it('runs as jobs in `kx worker`: opening a step schedules the daily scan, which enqueues one job per step; reruns write nothing twice', async () => {
    at('2025-10-30');
    const c = await submit('app-test-dl-c'); // deadline 2025-11-06
    const scheduled = await env.db.query(`SELECT 1 FROM jobs WHERE idempotency_key = 'deadline.scan:2025-10-30'`);
    expect(scheduled.rows.length).toBe(1);
    at('2025-11-10');
    const worker = new Worker(env.db, applicationJobs(env.ctx));
    await worker.drain();
    await env.db.query(`INSERT INTO jobs (queue, payload, idempotency_key) VALUES ($1, '{}', 'test-rescan')`, [DEADLINE_QUEUES.scan]);
    await worker.drain();
    expect(await scan()).toMatchObject({ escalated: 0 }); // the admin route finds nothing left to do
    const rows = await notices('deadline.escalate');
    expect(rows.filter((n) => n.cause_key.startsWith(`escalate:${c.stepId}:`)).map((n) => n.department)).toEqual(['dcf-rsj', 'lc-rsj']);
    expect(await escalations()).toBe(2);
    const jobs = await env.db.query<{ status: string }>(`SELECT status FROM jobs WHERE queue = $1`, [DEADLINE_QUEUES.escalate]);
    expect(jobs.rows).toEqual([{ status: 'done' }]);
    // the scan job scheduled the next daily scan, once, at 01:00 China time
    const next = await env.db.query<{ run_at: Date }>(`SELECT run_at FROM jobs WHERE idempotency_key = 'deadline.scan:2025-11-10'`);
    expect(next.rows.map((r) => new Date(r.run_at).toISOString())).toEqual(['2025-11-10T17:00:00.000Z']);
  });

  it('lets only admins trigger the scan', async () => {
    expect((await call(env, approver, 'POST', '/api/v1/admin/deadlines/scan')).status).toBe(403);
  });
});

describe.each(DATABASES)('the calendar API on %s', (kind) => {
  let env: TestEnv;
  let admin: string;
  let clerk: string;
  beforeAll(async () => {
    env = await testEnv(kind);
    await withCalendar(env);
    await addUser(env, 'c.admin', 'admin');
    await addUser(env, 'c.clerk', 'clerk', { department: 'lc-rsj' });
    [admin, clerk] = [await env.login('c.admin'), await env.login('c.clerk')];
  });
  afterAll(() => env.close());

  it('publishes the holidays and 调休 days of a year', async () => {
    const r = await env.app.inject({ method: 'GET', url: '/api/v1/calendar?year=2025' });
    expect(r.statusCode).toBe(200);
    const days = r.json() as { day: string; working: boolean; note: string }[];
    expect(days.find((d) => d.day === '2025-10-01')).toEqual({ day: '2025-10-01', working: false, note: '国庆节、中秋节' });
    expect(days.find((d) => d.day === '2025-10-11')).toMatchObject({ working: true });
    expect(days.filter((d) => !d.working)).toHaveLength(28);
  });

  it('lets an admin replace a year, and deadlines follow the new table', async () => {
    const body = { year: 2027, days: [{ day: '2027-02-05', working: false, note: '春节' }, { day: '2027-02-06', working: true, note: '春节调休上班' }] };
    expect((await call(env, clerk, 'PUT', '/api/v1/calendar', body)).status).toBe(403);
    const bad = await call(env, admin, 'PUT', '/api/v1/calendar', { year: 2027, days: [{ day: '2027-02-08', working: true, note: '周一' }] });
    expect([bad.status, bad.body.field]).toEqual([400, 'days[0].working']);
    const wrongYear = await call(env, admin, 'PUT', '/api/v1/calendar', { year: 2027, days: [{ day: '2026-02-08', working: false, note: 'x' }] });
    expect([wrongYear.status, wrongYear.body.field]).toEqual([400, 'days[0].day']);
    const ok = await call(env, admin, 'PUT', '/api/v1/calendar', body);
    expect([ok.status, ok.body.length]).toEqual([200, 2]);
    const { addWorkingDays } = await import('@kx/data');
    const { loadCalendar } = await import('./calendar.ts');
    // Thursday 2027-02-04 + 2: Friday is off, Saturday is worked, then Monday
    expect(addWorkingDays('2027-02-04', 2, await loadCalendar(env.db))).toBe('2027-02-08');
    const audit = await env.db.query(`SELECT 1 FROM audit_log WHERE action = 'calendar.update' AND subject = 'calendar:2027'`);
    expect(audit.rows.length).toBe(1);
  });
});
