import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { call, cast, ENTERPRISE_FACTS, PDF, publishItems, seedEntity, upload, wengang, withCalendar, type Cast } from './fixtures.ts';

interface View {
  id: string;
  status: string;
  reason: string | null;
  amount: string | null;
  round: number;
  steps: { id: string; name: string; status: string; round: number; deadline: string | null; corrections: { fields: string[]; materials: string[] } | null }[];
  timeline: { event: string; label: string }[];
}

describe.each(DATABASES)('returns, rejections and four eyes on %s', (kind) => {
  let env: TestEnv;
  let t: Cast;
  let entityId: string;
  let approver2: string;
  const api = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => call(env, token, method, `/api/v1${url}`, payload);
  const get = async (id: string) => (await api(t.applicant, 'GET', `/applications/${id}`)).body as View;
  const stepId = async (id: string, name: string) => (await get(id)).steps.find((s) => s.name === name)!.id;

  /** A fresh application of the item, filled in and submitted; returns its id. */
  async function submitted(itemId: string): Promise<string> {
    const r = await api(t.applicant, 'POST', '/applications', { item_id: itemId });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    await api(t.applicant, 'PUT', `/applications/${id}/form`, { fields: { layoff_rate: 0.08, bank_account: '6228480012345678' } });
    expect((await upload(env, t.applicant, id, '银行开户许可证', 'a.pdf', PDF)).status).toBe(200);
    // 8% layoffs: the form says ineligible, so it cannot be submitted as it is
    const no = await api(t.applicant, 'POST', `/applications/${id}/submit`);
    expect([no.status, no.body.message]).toEqual([400, expect.stringContaining('不符合条件')]);
    await api(t.applicant, 'PUT', `/applications/${id}/form`, { fields: { layoff_rate: 0.03 } });
    expect((await api(t.applicant, 'POST', `/applications/${id}/submit`)).status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    env = await testEnv(kind, { config: { sessionHours: 24 * 400 } });
    await withCalendar(env);
    await publishItems(env.ctx, [
      wengang(),
      wengang({ id: 'app-test-twostep', period: 'once', review_steps: [{ name: '初审', days: 3 }, { name: '复核', days: 3 }] }),
      wengang({ id: 'app-test-reject', period: 'once', review_steps: [{ name: '审核', days: 3 }] }),
      wengang({ id: 'app-test-extra', period: 'once', review_steps: [{ name: '初审', days: 3 }, { name: '复核', days: 3 }] }),
    ]);
    const { region, uscc, name, ...hrss } = ENTERPRISE_FACTS;
    entityId = await seedEntity(env.ctx, 'enterprise', uscc, { region, uscc, name, ...hrss }, 'hrss');
    t = await cast(env, entityId);
    await addUser(env, 'rsj.approver2', 'approver', { department: 'lc-rsj' });
    approver2 = await env.login('rsj.approver2');
  });
  afterAll(() => env.close());

  it('returns to the applicant, who corrects the named fact and material and resubmits; the review resumes at that step', async () => {
    const id = await submitted('app-test-wengang');
    const first = await stepId(id, '人社部门初审');
    const bad = await api(t.rsjClerk, 'POST', `/reviews/${first}/return`, { reason: '请核实', materials: ['不存在的材料'] });
    expect([bad.status, bad.body.field]).toEqual([400, 'materials[0]']);
    const r = await api(t.rsjClerk, 'POST', `/reviews/${first}/return`, { reason: '裁员率与社保数据不符，请核实；开户许可证不清晰', fields: ['layoff_rate'], materials: ['银行开户许可证'] });
    expect(r.status).toBe(200);
    let v = r.body as View;
    expect([v.status, v.reason]).toEqual(['returned', '裁员率与社保数据不符，请核实；开户许可证不清晰']);
    expect(v.steps[0]).toMatchObject({ status: 'returned', corrections: { fields: ['layoff_rate'], materials: ['银行开户许可证'] } });
    const notice = await env.db.query<{ body: string }>(`SELECT body FROM inbox WHERE entity_id = $1 AND kind = 'application.returned'`, [entityId]);
    expect(notice.rows[0].body).toContain('上年度裁员率');
    // the reviewer cannot decide it while it is with the applicant
    expect((await api(t.rsjApprover, 'POST', `/reviews/${first}/approve`, {})).status).toBe(409);

    // Nothing corrected yet: refused, with what is outstanding.
    const early = await api(t.applicant, 'POST', `/applications/${id}/submit`);
    expect([early.status, early.body.details.corrections]).toEqual([400, ['申请表「上年度裁员率」', '材料「银行开户许可证」']]);

    env.clock.now = new Date('2025-07-03T02:00:00Z');
    await api(t.applicant, 'PUT', `/applications/${id}/form`, { fields: { layoff_rate: 0.01 } });
    expect((await upload(env, t.applicant, id, '银行开户许可证', '开户许可证-清晰.pdf', PDF)).status).toBe(200);
    const again = await api(t.applicant, 'POST', `/applications/${id}/submit`);
    expect(again.status).toBe(200);
    v = again.body as View;
    expect([v.status, v.round, v.reason]).toEqual(['submitted', 2, null]);
    // the returned step opens again, with a fresh deadline from the day of resubmission (Thursday + 5)
    expect(v.steps.map((s) => [s.name, s.status, s.round, s.deadline])).toEqual([
      ['人社部门初审', 'open', 2, '2025-07-10'],
      ['财政部门审核', 'waiting', 0, null],
      ['税务部门核验', 'waiting', 0, null],
    ]);

    // Through the review; this time the parallel stage returns once more, after 财政 approved.
    expect((await api(t.rsjClerk, 'POST', `/reviews/${first}/approve`, {})).status).toBe(200);
    expect((await api(t.czjApprover, 'POST', `/reviews/${await stepId(id, '财政部门审核')}/approve`, {})).status).toBe(200);
    const sws = await stepId(id, '税务部门核验');
    expect((await api(t.swsClerk, 'POST', `/reviews/${sws}/return`, { reason: '请补充开户许可证', materials: ['银行开户许可证'] })).status).toBe(200);
    env.clock.now = new Date('2025-07-04T02:00:00Z');
    expect((await upload(env, t.applicant, id, '银行开户许可证', '许可证.pdf', PDF)).status).toBe(200);
    const third = await api(t.applicant, 'POST', `/applications/${id}/submit`);
    expect(third.status, JSON.stringify(third.body)).toBe(200);
    v = third.body as View;
    expect(v.status).toBe('in_review');
    expect(v.steps.map((s) => [s.name, s.status])).toEqual([['人社部门初审', 'approved'], ['财政部门审核', 'approved'], ['税务部门核验', 'open']]);
    v = (await api(t.swsApprover, 'POST', `/reviews/${sws}/approve`, {})).body as View;
    expect([v.status, v.amount]).toEqual(['approved', '12000.00']);
    expect(v.timeline.map((e) => e.event)).toEqual([
      'applied', 'step_started', 'returned', 'resubmitted', 'step_started', 'step_done', 'step_started', 'step_started', 'step_done', 'returned', 'resubmitted',
      'step_started', 'step_done', 'approved',
    ]);
  });

  it('asks for a 补充材料 outside the item\'s list: the applicant may upload it, and must before resubmitting', async () => {
    const id = await submitted('app-test-extra');
    const first = await stepId(id, '初审');
    // Before any return the document is not one of the application's materials.
    expect((await upload(env, t.applicant, id, '医院诊断证明', 'zm.pdf', PDF)).status).toBe(409);
    const r = await api(t.rsjClerk, 'POST', `/reviews/${first}/return`, { reason: '请补充医院诊断证明', extra_materials: ['医院诊断证明'] });
    expect(r.status).toBe(200);
    expect(r.body.materials).toContainEqual(expect.objectContaining({ name: '医院诊断证明', supplementary: true, required: true, status: 'missing' }));
    expect(r.body.steps[0].corrections).toEqual({ fields: [], materials: ['医院诊断证明'] });
    const notice = await env.db.query<{ body: string }>(`SELECT body FROM inbox WHERE entity_id = $1 AND kind = 'application.returned' ORDER BY id DESC LIMIT 1`, [entityId]);
    expect(notice.rows[0].body).toContain('材料「医院诊断证明」');
    const early = await api(t.applicant, 'POST', `/applications/${id}/submit`);
    expect([early.status, early.body.details.missing_materials]).toEqual([400, ['医院诊断证明']]);
    // Other names stay refused; the one asked for is taken.
    expect((await upload(env, t.applicant, id, '其他证明', 'x.pdf', PDF)).body.field).toBe('material');
    env.clock.now = new Date(env.clock.now.getTime() + 3600_000);
    const up = await upload(env, t.applicant, id, '医院诊断证明', '诊断证明.pdf', PDF);
    expect(up.status).toBe(200);
    expect(up.body.materials).toContainEqual(expect.objectContaining({ name: '医院诊断证明', status: 'uploaded' }));
    const again = await api(t.applicant, 'POST', `/applications/${id}/submit`);
    expect([again.status, again.body.status], JSON.stringify(again.body)).toEqual([200, 'submitted']);
    // the reviewer sees it among the materials of the case
    const q = await api(t.rsjApprover, 'GET', '/reviews');
    const entry = q.body.items.find((e: { application: { id: string } }) => e.application.id === id);
    expect(entry.materials).toContainEqual(expect.objectContaining({ name: '医院诊断证明', supplementary: true, status: 'uploaded' }));
  });

  it('lets nobody approve two consecutive steps (four eyes)', async () => {
    const id = await submitted('app-test-twostep');
    expect((await api(t.rsjApprover, 'POST', `/reviews/${await stepId(id, '初审')}/approve`, {})).status).toBe(200);
    const second = await stepId(id, '复核');
    const same = await api(t.rsjApprover, 'POST', `/reviews/${second}/approve`, {});
    expect([same.status, same.body.message]).toEqual([403, expect.stringContaining('四眼原则')]);
    // a clerk may not decide the final stage either; another approver may
    expect((await api(t.rsjClerk2, 'POST', `/reviews/${second}/approve`, {})).status).toBe(403);
    expect((await api(approver2, 'POST', `/reviews/${second}/approve`, {})).body.status).toBe('approved');
  });

  it('rejects only by an approver, with the reason shown to the applicant; retried at once, it is recorded once', async () => {
    const id = await submitted('app-test-reject');
    const s = await stepId(id, '审核');
    expect((await api(t.rsjClerk, 'POST', `/reviews/${s}/reject`, { reason: '不符合' })).status).toBe(403);
    const [a, b] = await Promise.all([
      api(t.rsjApprover, 'POST', `/reviews/${s}/reject`, { reason: '存在拖欠社保记录' }),
      api(t.rsjApprover, 'POST', `/reviews/${s}/reject`, { reason: '存在拖欠社保记录' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const v = await get(id);
    expect([v.status, v.reason]).toEqual(['rejected', '存在拖欠社保记录']);
    expect(v.timeline.filter((e) => e.event === 'rejected')).toEqual([expect.objectContaining({ label: '不予批准：审核' })]);
    const n = await env.db.query(`SELECT body FROM inbox WHERE entity_id = $1 AND kind = 'application.rejected'`, [entityId]);
    expect(n.rows).toEqual([{ body: expect.stringContaining('存在拖欠社保记录') }]);
    // A rejected application frees the item for a new one.
    expect((await api(t.applicant, 'POST', '/applications', { item_id: 'app-test-reject' })).status).toBe(201);
  });
});
