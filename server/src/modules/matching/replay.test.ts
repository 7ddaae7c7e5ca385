import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer, DATABASES, TEST_NOW, testEnv, type TestEnv } from '../../../test/harness.ts';
import { changeFacts, loadProfiles, profiles, publishDocument, testDocument, quiesce } from './testing.ts';

type Brief = { item: string; version: number; verdict: string };

describe.each(DATABASES)('verdicts replayed as of a date on %s', (kind) => {
  let env: TestEnv;
  let id: string;
  const find = (m: { eligible: Brief[]; undetermined: Brief[]; ineligible: Brief[] }) => [...m.eligible, ...m.undetermined, ...m.ineligible].find((x) => x.item === 't-jobs');
  const matches = async (query = '') => env.app.inject({ method: 'GET', url: `/api/v1/entities/${id}/matches?ineligible=true${query.replace('?', '&')}`, headers: bearer(await env.login('ent')) });

  beforeAll(async () => {
    env = await testEnv(kind);
    // March: version 1 (100 staff or more) is published; the registry reports 150 staff.
    env.clock.now = new Date('2025-03-01T02:00:00Z');
    await publishDocument(env.ctx, testDocument('t-jobs', 'employees >= 100'));
    [id] = await loadProfiles(env.ctx, profiles(0, 1, 'replay'), { asOf: '2025-03-01' });
    await changeFacts(env.ctx, id, { employees: 150 }, { asOf: '2025-03-01' });
    // End of June: the registry reports 50 staff as of 1 June, and version 2 asks for 60.
    env.clock.now = new Date(TEST_NOW);
    await changeFacts(env.ctx, id, { employees: 50 }, { asOf: '2025-06-01' });
    await publishDocument(env.ctx, testDocument('t-jobs', 'employees >= 60', { version: 2 }));
    await addUser(env, 'ent', 'enterprise', { entity_id: id });
  }, 60_000);
  afterAll(async () => {
    await quiesce(env);
    await env?.close();
  }, 30_000);

  it('answers today with today\'s facts and the version in force', async () => {
    const m = (await matches()).json();
    expect(m.replay).toBe(false);
    expect(find(m)).toMatchObject({ version: 2, verdict: 'ineligible' });
  });

  it('answers an earlier date as it was answered then: that date\'s facts and version', async () => {
    const april = (await matches('?as_of=2025-04-01')).json();
    expect(april).toMatchObject({ replay: true, date: '2025-04-01' });
    expect(find(april)).toMatchObject({ version: 1, verdict: 'eligible' });
    // On 15 June the 1 June figure had not been received yet (recorded on 30 June): still eligible.
    expect(find((await matches('?as_of=2025-06-15')).json())).toMatchObject({ version: 1, verdict: 'eligible' });
  });

  it('refuses dates it cannot answer: before any data, in the future, not a date', async () => {
    const before = await matches('?as_of=2025-02-01');
    expect(before.statusCode).toBe(404);
    expect(before.json()).toMatchObject({ field: 'as_of' });
    expect((await matches('?as_of=2025-07-01')).json()).toMatchObject({ code: 'BAD_INPUT', field: 'as_of' });
    expect((await matches('?as_of=2025-02-30')).statusCode).toBe(400);
  });
});
