import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeIdNumber } from '@kx/data';
import { addUser, DATABASES, PASSWORD, testEnv, type TestEnv } from '../../test/harness.ts';
import { appWithLogs, type LogCapture } from '../../test/logs.ts';
import { findPersonalData } from '../../test/pii.ts';
import type { App } from '../app.ts';
import type { Ctx } from '../context.ts';
import { MASKED_ID, MASKED_PHONE, scrubErrorMessage, scrubText, serializeError } from './logging.ts';

const ID = makeIdNumber('371502', '1985-03-14', 123);
const PHONE = '13912345678';
const NAME = '欧阳小明';

/** Routes that misbehave the ways real code does: a database error echoing input, a careless log call. */
function misbehaving(app: FastifyInstance, ctx: Ctx): void {
  app.post<{ Body: { name: string; phone: string } }>('/api/v1/test/db-error', { config: { access: 'public' } }, async (req) => {
    await ctx.db.query('SELECT $1::bigint', [`${req.body.name} ${req.body.phone}`]);
    return {};
  });
  app.post<{ Body: { id_number: string } }>('/api/v1/test/throw', { config: { access: 'public' } }, async (req) => {
    throw new Error(`no person with ID ${req.body.id_number}`);
  });
  app.post<{ Body: { id_number: string; phone: string } }>('/api/v1/test/log-body', { config: { access: 'public' } }, async (req) => {
    req.log.info({ body: req.body, query: req.query }, 'received');
    // A name in free text cannot be recognised; numbers can, and are masked.
    req.log.warn(`raw: looked up ${req.body.id_number}, tel. ${req.body.phone}`);
    return { ok: true };
  });
}

describe('scrubbing', () => {
  it('masks ID numbers (with any check character) and mobile numbers in free text', () => {
    expect(scrubText(`id=${ID} tel ${PHONE} +86 13800138000`)).toBe(`id=${MASKED_ID} tel ${MASKED_PHONE} ${MASKED_PHONE}`);
    expect(scrubText('37150219850314123x')).toBe(MASKED_ID);
    // Longer digit runs (timestamps, entity numbers) are left alone.
    expect(scrubText('time 1719712800000 entity 1234567890123456789012')).toBe('time 1719712800000 entity 1234567890123456789012');
  });

  it('drops quoted input from error messages and keeps the stack frames', () => {
    expect(scrubErrorMessage(`invalid input syntax for type bigint: "${NAME}"`)).toBe('invalid input syntax for type bigint: "…"');
    const e = Object.assign(new Error(`duplicate "${NAME}"`), { code: '23505', detail: `Key (name)=(${NAME}) already exists`, parameters: [NAME] });
    const s = serializeError(e);
    expect(JSON.stringify(s)).not.toContain(NAME);
    expect(s).toMatchObject({ type: 'Error', code: '23505', message: 'duplicate "…"' });
    expect(String(s.stack)).toMatch(/\n\s+at /);
  });
});

describe.each(DATABASES)('the service logs on %s', (kind) => {
  let env: TestEnv;
  let app: App;
  let logs: LogCapture;
  beforeAll(async () => {
    env = await testEnv(kind);
    await addUser(env, 'admin', 'admin');
    // Residents often use their phone number as their login name.
    await addUser(env, PHONE, 'resident', { entity_id: '1' });
    ({ app, logs } = await appWithLogs(env.ctx, [misbehaving], 'logging-test'));
    const send = (method: 'GET' | 'POST', url: string, payload?: unknown, headers?: Record<string, string>) =>
      app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}), ...(headers ? { headers } : {}) });

    expect((await send('POST', '/api/v1/auth/login', { username: PHONE, password: PASSWORD })).statusCode).toBe(200);
    expect((await send('POST', '/api/v1/auth/login', { username: ID, password: 'wrong-password-1' })).statusCode).toBe(401);
    const admin = (await send('POST', '/api/v1/auth/login', { username: 'admin', password: PASSWORD })).json().token as string;
    const bad = await send('POST', '/api/v1/users', { username: `${NAME} ${ID}`, display_name: NAME, role: 'resident', email: `${PHONE}@example.com` }, { authorization: `Bearer ${admin}` });
    expect(bad.statusCode).toBe(400);
    expect((await send('GET', `/api/v1/departments?id_number=${ID}&name=${encodeURIComponent(NAME)}&phone=${PHONE}`)).statusCode).toBe(200);
    expect((await send('GET', `/api/v1/no-such-route/${ID}?phone=${PHONE}`)).statusCode).toBeGreaterThanOrEqual(400);
    expect((await send('POST', '/api/v1/test/db-error', { name: NAME, phone: PHONE })).statusCode).toBe(500);
    expect((await send('POST', '/api/v1/test/throw', { id_number: ID })).statusCode).toBe(500);
    expect((await send('POST', '/api/v1/test/log-body?name=x', { name: NAME, id_number: ID, phone: PHONE })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await app.close();
    await env.close();
  });

  it('logs every request by method, path and status', () => {
    const recs = logs.records();
    const incoming = recs.filter((r) => r.msg === 'incoming request');
    expect(incoming.length).toBeGreaterThanOrEqual(9);
    expect(incoming.map((r) => (r.req as { url: string }).url)).toContain('/api/v1/departments');
    expect(recs.filter((r) => r.msg === 'request completed').map((r) => (r.res as { statusCode: number }).statusCode)).toEqual(expect.arrayContaining([200, 400, 401, 500]));
  });

  it('never logs an ID number, a phone number or a name — not from bodies, query strings, paths or errors', () => {
    const text = logs.text();
    for (const value of [ID, PHONE, NAME, encodeURIComponent(NAME)]) expect(text).not.toContain(value);
    expect(findPersonalData(text)).toEqual([]);
    expect(text).not.toContain('?');
    expect(text).not.toContain(PASSWORD);
  });

  it('still says what failed in a 500: the kind of error and where', () => {
    const errors = logs.records().filter((r) => r.level === 50);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    const dbError = errors.find((r) => String((r.err as { message?: string }).message).startsWith('invalid input syntax'));
    expect((dbError!.err as { message: string }).message).toBe('invalid input syntax for type bigint: "…"');
    const thrown = errors.find((r) => String((r.err as { message?: string }).message).startsWith('no person with ID'));
    expect((thrown!.err as { message: string; stack: string }).message).toBe(`no person with ID ${MASKED_ID}`);
    expect((thrown!.err as { stack: string }).stack).toMatch(/logging\.test\.ts/);
  });

  it('redacts a body or query handed to the logger, and masks what slips into a message', () => {
    const received = logs.records().find((r) => r.msg === 'received')!;
    expect(received).toMatchObject({ body: '[redacted]', query: '[redacted]' });
    const raw = logs.records().find((r) => String(r.msg).startsWith('raw: '))!;
    expect(raw.msg).toContain(MASKED_ID);
    expect(raw.msg).toContain(MASKED_PHONE);
  });
});
