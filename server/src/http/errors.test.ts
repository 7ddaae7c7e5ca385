// Every refusal reads the same way: {code, message, message_en, field}, with message_en in
// English (entity names and ids may stay Chinese, words may not) — QA 7.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, testEnv, type TestEnv } from '../../test/harness.ts';
import { THINGS } from '../errors.ts';

const CHINESE_WORD = /[\u4e00-\u9fff]/;

describe('the English of not-found messages', () => {
  it('names every kind of thing in English', () => {
    for (const [zh, en] of Object.entries(THINGS)) {
      expect(en, zh).not.toMatch(CHINESE_WORD);
      expect(en, zh).toMatch(/^[a-z][a-z ]+$/);
    }
  });
});

describe.each(DATABASES)('error answers on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(kind, {
      modules: [
        // A route with a tiny body limit, so that a too-large body costs nothing to send.
        (app) => {
          app.post('/api/v1/test/small', { bodyLimit: 64, config: { access: 'public' } }, async () => ({ ok: true }));
        },
      ],
    });
  });
  afterAll(async () => env.close());

  const post = (url: string, payload: string, type = 'application/json') => env.app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });

  it('answers an invalid JSON body with 400 in our shape, in both languages', async () => {
    const r = await post('/api/v1/auth/login', '{"username": ');
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({ code: 'BAD_INPUT', message: '请求体不是有效的 JSON', message_en: 'the request body is not valid JSON', field: 'body' });
  });

  it('answers an unsupported content type with 415 and a body too large with 413', async () => {
    const t = await post('/api/v1/auth/login', 'username=a', 'text/csv');
    expect(t.statusCode).toBe(415);
    expect(t.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message_en: expect.stringContaining('application/json'), field: 'body' });
    const big = await post('/api/v1/test/small', JSON.stringify({ text: 'x'.repeat(200) }));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'TOO_LARGE', message: '请求体过大', message_en: 'the request body is too large' });
  });

  it('says what was not found in English', async () => {
    const r = await env.app.inject({ method: 'GET', url: '/api/v1/items/no-such-item' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'NOT_FOUND', message: '事项 no-such-item 不存在', message_en: 'item no-such-item not found' });
    expect(r.json().message_en).not.toMatch(CHINESE_WORD);
  });
});
