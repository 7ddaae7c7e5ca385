// Amounts, counts and ages below their dictionary minimum (0 unless the dictionary says
// otherwise) are refused wherever a fact comes in: a declaration, a pushed record, a file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@kx/data';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { applyFacts } from './service.ts';
import { minimumOf, validateRecord } from './validate.ts';

const ID = makeIdNumber('371502', '1958-03-09', 17);

describe.each(DATABASES)('fact minimums on %s', (kind) => {
  let env: TestEnv;
  let entity: string;
  let resident: string;

  beforeAll(async () => {
    env = await testEnv(kind);
    entity = (await env.db.tx((q) => applyFacts(env.ctx, q, { kind: 'person', key: ID, facts: { name: '李小明', region: '371502' }, source: 'police', as_of: '2025-01-01' }))).entityId;
    await addUser(env, 'res', 'resident', { entity_id: entity });
    resident = await env.login('res');
  });
  afterAll(() => env.close());

  const declare = (field: string, value: unknown) =>
    env.app.inject({ method: 'POST', url: `/api/v1/entities/${entity}/facts`, headers: bearer(resident), payload: { field, value } });

  it('refuses a negative declared expense with 400 naming the field, the value and why, and records nothing', async () => {
    const r = await declare('emergency_expense', -5);
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'BAD_INPUT', field: 'value' });
    expect(r.json().message).toContain('emergency_expense');
    expect(r.json().message).toContain('不能小于 0');
    expect(r.json().message).toContain('-5');
    expect(r.json().message_en).toContain('must be at least 0; got -5');
    const stored = await env.db.query("SELECT 1 FROM facts WHERE entity_id = $1 AND field = 'emergency_expense'", [entity]);
    expect(stored.rows).toEqual([]);
    expect((await declare('household_size', -1)).statusCode).toBe(400);
    // zero is allowed
    expect((await declare('emergency_expense', 0)).statusCode).toBe(200);
  });

  it('refuses a negative count in a pushed record or an import row, naming the field', async () => {
    await addUser(env, 'admin', 'admin');
    const token = (await env.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(await env.login('admin')), payload: { name: 'civil', source: 'civil' } })).json().token;
    const r = await env.app.inject({
      method: 'POST', url: '/api/v1/sources/civil/records', headers: bearer(token),
      payload: { record_id: 'MZ-1', version: 1, kind: 'person', key: ID, as_of: '2025-06-01', facts: { household_size: -2 } },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'BAD_INPUT', field: 'household_size' });
    expect(r.json().message).toContain('-2');
    // A personal amount in a source's file is named but not quoted.
    const v = validateRecord(env.ctx.dict, env.ctx.crypto, { kind: 'person', key: ID, facts: { household_income_pc: -300 } }, { source: 'civil', asOf: '2025-06-01' });
    expect(v.record).toBeUndefined();
    expect(v.issues).toEqual([expect.objectContaining({ field: 'household_income_pc', value: '***' })]);
    expect(v.issues[0].message).not.toContain('300');
  });

  it('keeps the dictionary’s exceptions: a loss year’s taxable income may be negative', () => {
    expect(minimumOf(env.ctx.dict.fields.get('taxable_income'))).toBeUndefined();
    expect(minimumOf(env.ctx.dict.fields.get('employees'))).toBe(0);
    expect(minimumOf(env.ctx.dict.fields.get('dibao'))).toBeUndefined();
  });
});
