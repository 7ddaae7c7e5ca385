// A draft follows the profile: prefilled facts the applicant has not touched on the form take the
// profile's current values when the form is read again — a fact declared to the profile after the
// draft was started included — while what the applicant entered on the form stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { call, cast, ENTERPRISE_FACTS, publishItems, seedEntity, wengang, withCalendar, type Cast } from './fixtures.ts';

type Field = { field: string; value: string | null; source: string | null; declared: boolean };

describe.each(DATABASES)('a draft and its profile on %s', (kind) => {
  let env: TestEnv;
  let t: Cast;
  let entityId: string;
  const field = (body: { form: Field[] }, f: string) => body.form.find((x) => x.field === f)!;

  beforeAll(async () => {
    env = await testEnv(kind);
    await withCalendar(env);
    await publishItems(env.ctx, [wengang()]);
    const { region, uscc, name, ...hrss } = ENTERPRISE_FACTS;
    entityId = await seedEntity(env.ctx, 'enterprise', uscc, { region, uscc, name, ...hrss }, 'hrss');
    t = await cast(env, entityId);
  });
  afterAll(() => env.close());

  it('picks up a fact declared to the profile and a source\'s new value, keeping the applicant\'s own entries', async () => {
    const started = await call(env, t.applicant, 'POST', '/api/v1/applications', { item_id: 'app-test-wengang' });
    const id = started.body.id as string;
    expect(field(started.body, 'layoff_rate').value).toBeNull();
    await call(env, t.applicant, 'PUT', `/api/v1/applications/${id}/form`, { fields: { bank_account: '6228480012345678' } });

    // After the draft: the entity declares the missing fact on /me, and the source sends a new value.
    expect((await call(env, t.applicant, 'POST', `/api/v1/entities/${entityId}/facts`, { field: 'layoff_rate', value: 0.02 })).status).toBe(200);
    await seedEntity(env.ctx, 'enterprise', ENTERPRISE_FACTS.uscc, { ui_paid_months: 18 }, 'hrss');

    const read = await call(env, t.applicant, 'GET', `/api/v1/applications/${id}`);
    expect(field(read.body, 'layoff_rate')).toMatchObject({ value: '2%' });
    expect(field(read.body, 'ui_paid_months')).toMatchObject({ value: '18 个月', source: 'hrss' });
    expect(field(read.body, 'bank_account')).toMatchObject({ declared: true, value: '***' });
    // the same through a repeated start
    const again = await call(env, t.applicant, 'POST', '/api/v1/applications', { item_id: 'app-test-wengang' });
    expect([again.status, field(again.body, 'layoff_rate').value]).toEqual([200, '2%']);
    // and it can be submitted with it, no re-entry needed
    expect((await call(env, t.applicant, 'POST', `/api/v1/applications/${id}/submit`)).status).toBe(400); // the 开户许可证 is still missing…
    const missing = (await call(env, t.applicant, 'POST', `/api/v1/applications/${id}/submit`)).body.details.missing_facts;
    expect(missing).toEqual([]); // …but no fact is

    // the stored draft was brought up to date, not just the response
    const stored = (await env.db.query<{ form: { fields: Record<string, { value?: unknown }> } }>('SELECT form FROM applications WHERE id = $1', [id])).rows[0].form;
    expect(stored.fields.ui_paid_months.value).toBe(18);
  });
});
