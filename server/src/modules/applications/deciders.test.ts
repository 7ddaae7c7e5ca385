// Who may decide a step, as the review queue tells it: three stages in one department need two
// approvers (four eyes), and the queue names them; the demo seeds the second approver (分管负责人).
import { liaochengDictionary, loadCatalogue } from '@kx/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { DEMO_ACCOUNTS } from '../../seed/accounts.ts';
import { POLICIES_DIR } from '../../seed/demo.ts';
import { dibaoAid, call, publishItems, seedEntity, withCalendar } from './fixtures.ts';
import { planSteps } from './flow.ts';

interface QStep { id: string; name: string; can_decide: boolean; can_return: boolean; can_reject: boolean; why_not: { zh: string; en: string } | null; deciders: string[] }

describe('the demo accounts', () => {
  it('give every department with a three-stage online item of the demo catalogue a second approver', () => {
    const cat = loadCatalogue(POLICIES_DIR, liaochengDictionary());
    const approvers = (d: string) => DEMO_ACCOUNTS.filter((a) => a.role === 'approver' && a.department === d).length;
    const staffed = new Set(DEMO_ACCOUNTS.filter((a) => a.role === 'approver').map((a) => a.department));
    const short: string[] = [];
    for (const item of cat.items.filter((i) => i.mode === 'online')) {
      const plan = planSteps(item, item.department);
      const stages = new Map<string, Set<number>>();
      for (const s of plan) stages.set(s.department, (stages.get(s.department) ?? new Set()).add(s.stage));
      for (const [d, st] of stages) if (st.size >= 3 && staffed.has(d) && approvers(d) < 2) short.push(`${item.id}: ${d}`);
    }
    expect(short).toEqual([]);
    expect(DEMO_ACCOUNTS.find((a) => a.username === 'mzj-leader')).toMatchObject({ role: 'approver', department: 'lc-mzj', display_name: expect.stringContaining('分管负责人') });
  });
});

describe.each(DATABASES)('who may decide a step on %s', (kind) => {
  let env: TestEnv;
  let appId: string;
  const tok: Record<string, string> = {};
  const queueStep = async (who: string) => {
    const r = await call(env, tok[who], 'GET', '/api/v1/reviews');
    expect(r.status).toBe(200);
    return (r.body.items as { step: QStep; application: { id: string } }[]).find((e) => e.application.id === appId)!.step;
  };

  beforeAll(async () => {
    env = await testEnv(kind);
    await withCalendar(env);
    await publishItems(env.ctx, [dibaoAid({ department: 'lc-mzj', review_steps: [{ name: '受理', days: 3 }, { name: '核对', days: 3 }, { name: '审批', days: 3 }] })]);
    const person = await seedEntity(env.ctx, 'person', '371502199001010011', { region: '371502', birth_date: '1990-01-01', household_income_pc: 850 }, 'civil');
    await addUser(env, 'w.resident', 'resident', { entity_id: person });
    await addUser(env, 'w.clerk', 'clerk', { department: 'lc-mzj' });
    await addUser(env, 'w.approver', 'approver', { department: 'lc-mzj' });
    await addUser(env, 'w.leader', 'approver', { department: 'lc-mzj' });
    for (const u of ['resident', 'clerk', 'approver', 'leader']) tok[u] = await env.login(`w.${u}`);
    appId = (await call(env, tok.resident, 'POST', '/api/v1/applications', { item_id: 'app-test-aid' })).body.id;
    await call(env, tok.resident, 'PUT', `/api/v1/applications/${appId}/form`, { fields: { bank_account: '6228480012345678' } });
    expect((await call(env, tok.resident, 'POST', `/api/v1/applications/${appId}/submit`)).status).toBe(200);
  });
  afterAll(() => env.close());

  it('offers each step only to those who may decide it, says why not to the others, and the third stage finishes', async () => {
    const first = await queueStep('clerk');
    expect(first).toMatchObject({ name: '受理', can_decide: true, can_return: true, can_reject: false, why_not: null });
    expect(first.deciders).toEqual(['w.clerk', 'w.approver', 'w.leader']);
    expect((await call(env, tok.clerk, 'POST', `/api/v1/reviews/${first.id}/approve`, {})).status).toBe(200);

    const second = await queueStep('clerk');
    expect(second).toMatchObject({ name: '核对', can_decide: false, why_not: { zh: expect.stringContaining('四眼原则') } });
    expect(second.deciders).toEqual(['w.approver', 'w.leader']);
    expect((await call(env, tok.clerk, 'POST', `/api/v1/reviews/${second.id}/approve`, {})).status).toBe(403);
    expect((await queueStep('approver')).can_decide).toBe(true);
    expect((await call(env, tok.approver, 'POST', `/api/v1/reviews/${second.id}/approve`, {})).status).toBe(200);

    const last = await queueStep('approver');
    expect(last).toMatchObject({ name: '审批', can_decide: false, can_return: true, can_reject: true, why_not: { en: expect.stringContaining('four eyes') } });
    expect(last.deciders).toEqual(['w.leader']);
    expect(await queueStep('clerk')).toMatchObject({ can_decide: false, why_not: { zh: expect.stringContaining('终审') } });
    expect(await queueStep('leader')).toMatchObject({ can_decide: true, why_not: null });
    // What the queue promises holds: the refused are refused, the named decider finishes the case.
    expect((await call(env, tok.approver, 'POST', `/api/v1/reviews/${last.id}/approve`, {})).status).toBe(403);
    const done = await call(env, tok.leader, 'POST', `/api/v1/reviews/${last.id}/approve`, {});
    expect([done.status, done.body.status]).toEqual([200, 'approved']);
    const after = (await call(env, tok.leader, 'GET', '/api/v1/reviews?status=decided')).body.items as { step: QStep }[];
    expect(after.every((e) => !e.step.can_decide && e.step.deciders.length === 0)).toBe(true);
  });
});
