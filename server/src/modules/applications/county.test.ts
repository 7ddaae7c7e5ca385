// 属地办理: a review step the item marks `county: true` goes to the county counterpart of its
// department in the applicant's county (莘县 → sx-mzj), and to the city department where there is none.
import { liaochengDictionary, loadCatalogue } from '@kx/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { POLICIES_DIR } from '../../seed/demo.ts';
import { call, dibaoAid, publishItems, seedEntity, withCalendar } from './fixtures.ts';

describe('the demo catalogue', () => {
  it('marks the 乡镇（街道） and 县级 steps of the 民政 items as done in the applicant\'s county', () => {
    const tekun = loadCatalogue(POLICIES_DIR, liaochengDictionary()).items.find((i) => i.id === 'lc-mzj-tekun-jbsh')!;
    expect(tekun.review_steps.map((s) => [s.name, s.county ?? false])).toEqual([['乡镇（街道）受理和调查核实', true], ['家庭经济状况核对', false], ['县级民政部门审核确认', true]]);
  });
});

describe.each(DATABASES)('county steps on %s', (kind) => {
  let env: TestEnv;
  const apply = async (username: string, idNumber: string, region: string) => {
    const person = await seedEntity(env.ctx, 'person', idNumber, { region, birth_date: '1990-01-01', household_income_pc: 850 }, 'civil');
    await addUser(env, username, 'resident', { entity_id: person });
    const token = await env.login(username);
    const id = (await call(env, token, 'POST', '/api/v1/applications', { item_id: 'app-test-aid' })).body.id as string;
    await call(env, token, 'PUT', `/api/v1/applications/${id}/form`, { fields: { bank_account: '6228480012345678' } });
    const r = await call(env, token, 'POST', `/api/v1/applications/${id}/submit`);
    expect(r.status).toBe(200);
    return (r.body.steps as { name: string; department: string; status: string }[]).map((s) => [s.name, s.department, s.status]);
  };

  beforeAll(async () => {
    env = await testEnv(kind);
    await withCalendar(env);
    await publishItems(env.ctx, [dibaoAid({
      department: 'lc-mzj', region_scope: ['371500'],
      review_steps: [{ name: '乡镇（街道）受理', days: 3, county: true }, { name: '市级核对', days: 3 }, { name: '县级民政部门审批', days: 3, county: true }],
    })]);
  });
  afterAll(() => env.close());

  it('routes a 莘县 resident\'s county steps to 莘县民政局, whose clerk finds it in the queue', async () => {
    expect(await apply('sx.resident', '371522199001010012', '371522')).toEqual([
      ['乡镇（街道）受理', 'sx-mzj', 'open'], ['市级核对', 'lc-mzj', 'waiting'], ['县级民政部门审批', 'sx-mzj', 'waiting'],
    ]);
    await addUser(env, 'sx.clerk', 'clerk', { department: 'sx-mzj' });
    const queue = await call(env, await env.login('sx.clerk'), 'GET', '/api/v1/reviews');
    expect(queue.body.items.map((e: { step: { name: string; can_decide: boolean } }) => [e.step.name, e.step.can_decide])).toEqual([['乡镇（街道）受理', true]]);
  });

  it('keeps a step at the city department for a county that has no counterpart', async () => {
    expect((await apply('gx.resident', '371500199001010013', '371500')).map((s) => s[1])).toEqual(['lc-mzj', 'lc-mzj', 'lc-mzj']);
  });
});
