import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { usccFromSerial } from '@kx/data';
import { verifyAudit } from '../audit/audit.ts';
import { payableCases } from '../payouts/cases.ts';
import { call, cast, ENTERPRISE_FACTS, PDF, upload, publishItems, seedEntity, wengang, withCalendar, type Cast } from './fixtures.ts';

interface View {
  id: string;
  status: string;
  status_label: string;
  amount: string | null;
  form: { field: string; value: string | null; source: string | null; declared: boolean; sensitive: boolean }[];
  materials: { name: string; status: string; source_label: string | null }[];
  steps: { id: string; name: string; status: string; deadline: string | null; remaining_working_days: number | null; remaining_text: string | null }[];
  timeline: { event: string; label: string; step: string | null }[];
}

describe.each(DATABASES)('an online application on %s', (kind) => {
  let env: TestEnv;
  let t: Cast;
  let entityId: string;
  let appId: string;
  const view = async (token = t.applicant) => (await call(env, token, 'GET', `/api/v1/applications/${appId}`)).body as View;
  const events = async () =>
    (await env.db.query<{ event: string; step: string | null }>(`SELECT event, step FROM case_events WHERE case_type = 'application' AND case_id = $1 ORDER BY id`, [appId])).rows;
  const inbox = async () => (await env.db.query<{ kind: string }>('SELECT kind FROM inbox WHERE entity_id = $1 ORDER BY id', [entityId])).rows.map((r) => r.kind);
  const step = async (name: string) => (await view()).steps.find((s) => s.name === name)!;

  beforeAll(async () => {
    env = await testEnv(kind, { config: { sessionHours: 24 * 400 } }); // the clock moves by days
    await withCalendar(env);
    await publishItems(env.ctx, [wengang()]);
    const { region, uscc, name, ...hrss } = ENTERPRISE_FACTS;
    entityId = await seedEntity(env.ctx, 'enterprise', uscc, { region, uscc, name }, 'market');
    await seedEntity(env.ctx, 'enterprise', uscc, hrss, 'hrss');
    t = await cast(env, entityId);
  });
  afterAll(() => env.close());

  it('starts prefilled from the profile; a material whose fact a source holds needs no upload', async () => {
    const r = await call(env, t.applicant, 'POST', '/api/v1/applications', { item_id: 'app-test-wengang' });
    expect(r.status).toBe(201);
    const v = r.body as View;
    appId = v.id;
    expect(v.status).toBe('draft');
    const f = Object.fromEntries(v.form.map((x) => [x.field, x]));
    expect(f.ui_paid_months).toMatchObject({ value: '12 个月', source: 'hrss', declared: false });
    expect(f.region).toMatchObject({ source: 'market' });
    expect(f.layoff_rate.value).toBeNull(); // no source holds it: the applicant declares it
    expect(f.bank_account).toMatchObject({ value: null, sensitive: true });
    expect(v.materials).toEqual([
      expect.objectContaining({ name: '营业执照', status: 'provided', source_label: '市场监管（登记注册）' }),
      expect.objectContaining({ name: '银行开户许可证', status: 'missing' }),
    ]);
    // The same request again finds the same application.
    const again = await call(env, t.applicant, 'POST', '/api/v1/applications', { item_id: 'app-test-wengang' });
    expect([again.status, again.body.id]).toEqual([200, appId]);
  });

  it('starts one application when the same request arrives twice at once (a double click)', async () => {
    const { region, name, ...hrss } = ENTERPRISE_FACTS;
    const uscc = usccFromSerial('371502', 4242);
    const other = await seedEntity(env.ctx, 'enterprise', uscc, { region, uscc, name: `${name}二` }, 'market');
    await seedEntity(env.ctx, 'enterprise', uscc, { ...hrss, uscc: undefined }, 'hrss');
    const b = await cast(env, other, 'twice.');
    const [x, y] = await Promise.all([1, 2].map(() => call(env, b.applicant, 'POST', '/api/v1/applications', { item_id: 'app-test-wengang' })));
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    expect(x.body.id).toBe(y.body.id);
  });

  it('refuses to submit with the list of missing facts and materials', async () => {
    const r = await call(env, t.applicant, 'POST', `/api/v1/applications/${appId}/submit`);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('上年度裁员率');
    expect(r.body.message).toContain('银行开户许可证');
    expect(r.body.details.missing_facts.map((m: { field: string }) => m.field).sort()).toEqual(['bank_account', 'layoff_rate']);
    expect(r.body.details.missing_materials).toEqual(['银行开户许可证']);
    expect(await events()).toEqual([]);
  });

  it('takes declared facts but not changes to facts a source holds', async () => {
    const bad = await call(env, t.applicant, 'PUT', `/api/v1/applications/${appId}/form`, { fields: { ui_paid_months: 24 } });
    expect([bad.status, bad.body.field]).toEqual([400, 'fields.ui_paid_months']);
    const wrong = await call(env, t.applicant, 'PUT', `/api/v1/applications/${appId}/form`, { fields: { layoff_rate: 'low' } });
    expect([wrong.status, wrong.body.field]).toEqual([400, 'fields.layoff_rate']);
    const ok = await call(env, t.applicant, 'PUT', `/api/v1/applications/${appId}/form`, { fields: { layoff_rate: 0.02, bank_account: '6228 4800 1234 5678 8' } });
    expect(ok.status).toBe(200);
    const f = Object.fromEntries((ok.body as View).form.map((x) => [x.field, x]));
    expect(f.layoff_rate).toMatchObject({ value: '2%', declared: true });
    expect(f.bank_account).toMatchObject({ value: '***', declared: true });
    // The account is sealed in the stored form: payouts read it from there.
    const stored = (await env.db.query<{ acc: { enc?: string; value?: string } }>(`SELECT form -> 'fields' -> 'bank_account' AS acc FROM applications WHERE id = $1`, [appId])).rows[0].acc;
    expect(stored.enc).toBeTruthy();
    expect(JSON.stringify(stored)).not.toContain('62284800');
  });

  it('is submitted once, even when the request is repeated; the first step opens with its deadline', async () => {
    const up = await upload(env, t.applicant, appId, '银行开户许可证', '开户许可证.pdf', PDF);
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    const [a, b] = [await call(env, t.applicant, 'POST', `/api/v1/applications/${appId}/submit`), await call(env, t.applicant, 'POST', `/api/v1/applications/${appId}/submit`)];
    expect([a.status, b.status]).toEqual([200, 200]);
    const v = a.body as View;
    expect(v.status).toBe('submitted');
    // Monday 2025-06-30 + 5 working days
    expect(v.steps.map((s) => [s.name, s.status, s.deadline, s.remaining_text])).toEqual([
      ['人社部门初审', 'open', '2025-07-07', '剩余 5 个工作日'],
      ['财政部门审核', 'waiting', null, null],
      ['税务部门核验', 'waiting', null, null],
    ]);
    expect(await events()).toEqual([{ event: 'applied', step: null }, { event: 'step_started', step: '人社部门初审' }]);
  });

  it('shows the step in the queue of its department only, with the masked evidence and the explanation', async () => {
    const q = await call(env, t.rsjClerk, 'GET', '/api/v1/reviews');
    expect(q.status).toBe(200);
    expect(q.body.total).toBe(1);
    const e = q.body.items[0];
    expect(e.step).toMatchObject({ name: '人社部门初审', deadline: '2025-07-07', remaining_working_days: 5 });
    expect(e.application).toMatchObject({ id: appId, applicant: '聊城稳岗测试有限公司' });
    expect(e.evidence.verdict.verdict).toBe('eligible');
    expect(JSON.stringify(e.evidence.verdict.explanation)).toContain('上年度失业保险足额缴费月数');
    expect(e.evidence.form.find((x: { field: string }) => x.field === 'bank_account').value).toBe('***');
    expect((await call(env, t.otherClerk, 'GET', '/api/v1/reviews')).body.total).toBe(0);
    expect((await call(env, t.swsApprover, 'GET', '/api/v1/reviews')).body.total).toBe(0); // its stage has not opened
  });

  it('refuses a clerk of another department: neither seeing nor deciding the step (403)', async () => {
    const s = await step('人社部门初审');
    expect((await call(env, t.otherClerk, 'GET', `/api/v1/applications/${appId}`)).status).toBe(403);
    const r = await call(env, t.otherClerk, 'POST', `/api/v1/reviews/${s.id}/approve`, {});
    expect(r.status).toBe(403);
    expect((await call(env, t.swsApprover, 'POST', `/api/v1/reviews/${s.id}/approve`, {})).status).toBe(403);
    const denied = await env.db.query(`SELECT 1 FROM audit_log WHERE action = 'application.step.approve' AND outcome = 'denied'`);
    expect(denied.rows.length).toBeGreaterThanOrEqual(2);
  });

  it('opens the two parallel steps once the preliminary review passes; a retried approval writes nothing twice', async () => {
    const s = await step('人社部门初审');
    env.clock.now = new Date('2025-07-02T03:00:00Z'); // Wednesday: the next stage's deadlines count from today
    const [a, b] = [await call(env, t.rsjClerk, 'POST', `/api/v1/reviews/${s.id}/approve`, {}), await call(env, t.rsjClerk, 'POST', `/api/v1/reviews/${s.id}/approve`, {})];
    expect([a.status, b.status]).toEqual([200, 200]);
    const v = a.body as View;
    expect(v.status).toBe('in_review');
    expect(v.steps.map((x) => [x.name, x.status, x.deadline])).toEqual([
      ['人社部门初审', 'approved', '2025-07-07'],
      ['财政部门审核', 'open', '2025-07-09'],
      ['税务部门核验', 'open', '2025-07-09'],
    ]);
    expect((await events()).filter((e) => e.event === 'step_done')).toHaveLength(1);
  });

  it('needs an approver for the final stage and both parallel approvals before the application is approved', async () => {
    const czj = await step('财政部门审核');
    const sws = await step('税务部门核验');
    const half = await call(env, t.czjApprover, 'POST', `/api/v1/reviews/${czj.id}/approve`, {});
    expect(half.body.status).toBe('in_review');
    const clerk = await call(env, t.swsClerk, 'POST', `/api/v1/reviews/${sws.id}/approve`, {});
    expect([clerk.status, clerk.body.message]).toEqual([403, expect.stringContaining('终审')]);
    const done = await call(env, t.swsApprover, 'POST', `/api/v1/reviews/${sws.id}/approve`, { note: '已核验' });
    expect(done.status).toBe(200);
    const v = done.body as View;
    expect([v.status, v.status_label, v.amount]).toEqual(['approved', '已批准', '12000.00']);
  });

  it('keeps a timeline the applicant can follow: every event once, in order, in Chinese', async () => {
    const v = await view();
    expect(v.timeline.map((e) => e.label)).toEqual([
      '提交申请',
      '开始审核：人社部门初审',
      '审核通过：人社部门初审',
      '开始审核：财政部门审核',
      '开始审核：税务部门核验',
      '审核通过：财政部门审核',
      '审核通过：税务部门核验',
      '申请已批准',
    ]);
    expect(await inbox()).toEqual(['application.applied', 'application.step_done', 'application.step_done', 'application.step_done', 'application.approved']);
    const mine = await call(env, t.applicant, 'GET', '/api/v1/me/applications');
    expect(mine.body).toEqual([expect.objectContaining({ id: appId, status: 'approved', amount: '12000.00', item_title: '稳岗返还（网上申请测试）' })]);
    expect((await verifyAudit(env.db)).ok).toBe(true);
  });

  it('gives payouts what they batch: the approved application with its amount, department and account; then paid', async () => {
    const cases = await payableCases(env.db, 'lc-rsj');
    expect(cases).toEqual([expect.objectContaining({ case_type: 'application', case_id: appId, entity_id: entityId, amount: '12000.00' })]);
    await env.db.query(`UPDATE applications SET status = 'paid' WHERE id = $1`, [appId]);
    expect((await view()).status_label).toBe('已拨付');
    // A second application for the same item and year is the same one.
    const again = await call(env, t.applicant, 'POST', '/api/v1/applications', { item_id: 'app-test-wengang' });
    expect([again.status, again.body.id]).toEqual([200, appId]);
  });
});
