// The unified identity login end to end: a real OpenID Connect provider (oidc-provider)
// and the app, each on its own port, and a "browser" that follows the redirects.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '@kx/data';
import { addUser, bearer, DATABASES, testEnv, type TestEnv } from '../../../test/harness.ts';
import { Browser, startProvider, type TestProvider } from '../../../test/oidc-provider.ts';
import { entityKeyHash } from '../profiles/validate.ts';
import { verifyAudit } from '../audit/audit.ts';
import type { ErrorBody } from '../../http/schemas.ts';

const RESIDENT_ID = makeIdNumber('371502', '1980-05-06', 211);
const NEWCOMER_ID = makeIdNumber('110101', '1990-01-01', 12);

describe.each(DATABASES)('unified identity (OpenID Connect) login on %s', (kind) => {
  let env: TestEnv;
  let provider: TestProvider;
  let base: string;
  let callback: string;
  let clerkId: string;
  let entityId: string;
  let admin: string;

  const start = (returnTo?: string) => `${base}/api/v1/auth/oidc/start${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ''}`;

  /** The whole flow as a browser runs it; returns the app's answer to the callback. */
  async function loginAs(sub: string, returnTo?: string) {
    const browser = new Browser();
    const { url } = await browser.follow(start(returnTo), { login: sub, stopAt: callback });
    const res = await browser.request(url);
    return { browser, res, callbackUrl: url };
  }

  async function me(browser: Browser) {
    return env.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { kx_session: browser.cookie('kx_session') ?? '' } });
  }

  beforeAll(async () => {
    env = await testEnv(kind);
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    callback = `${base}/api/v1/auth/oidc/callback`;
    provider = await startProvider(callback);
    env.ctx.config.oidc = { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, redirectUri: callback };

    await addUser(env, 'admin', 'admin');
    admin = await env.login('admin');
    clerkId = await addUser(env, 'clerk-oidc', 'clerk', { department: 'lc-rsj' });
    const link = await env.app.inject({ method: 'PUT', url: `/api/v1/users/${clerkId}/oidc-subject`, headers: bearer(admin), payload: { subject: 'staff-001' } });
    expect(link.statusCode).toBe(204);
    entityId = (await env.db.query<{ id: string }>("INSERT INTO entities (kind, key_hash) VALUES ('person', $1) RETURNING id::text AS id", [entityKeyHash(env.ctx.crypto, 'person', RESIDENT_ID)])).rows[0].id;

    provider.accounts.set('staff-001', { name: '李四' });
    provider.accounts.set('resident-7f3a', { name: '欧阳小明', id_number: RESIDENT_ID });
    provider.accounts.set('stranger', { name: '张三' });
    provider.accounts.set('newcomer', { name: '赵六', id_number: NEWCOMER_ID });
  });
  afterAll(async () => {
    await provider?.close();
    await env.close();
  });

  it('start redirects to the provider with state, nonce and an S256 PKCE challenge, in a sealed short-lived cookie', async () => {
    const browser = new Browser();
    const res = await browser.request(start());
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(provider.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: provider.clientId, redirect_uri: callback, response_type: 'code', scope: 'openid profile', code_challenge_method: 'S256',
      state: expect.any(String), nonce: expect.any(String), code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('kx_oidc='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/Path=\/api\/v1\/auth\/oidc/);
    expect(set).not.toContain(to.searchParams.get('state')!);
  });

  it('logs a linked staff member in, opens a session and returns to the portal', async () => {
    const { browser, res } = await loginAs('staff-001', '/admin/reviews');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin/reviews');
    expect(browser.cookie('kx_oidc')).toBeUndefined();
    const who = await me(browser);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ id: clerkId, username: 'clerk-oidc', role: 'clerk', department: 'lc-rsj' });
    const logins = await env.db.query<{ detail: { via?: string } }>("SELECT detail FROM audit_log WHERE action = 'auth.login' AND subject = $1", [`user:${clerkId}`]);
    expect(logins.rows.map((r) => r.detail.via)).toContain('oidc');
  });

  it('creates a resident on first login when the provider vouches for an ID number the population holds, and reuses it', async () => {
    const first = await loginAs('resident-7f3a');
    expect(first.res.status).toBe(302);
    expect(first.res.headers.get('location')).toBe('/');
    const u = (await me(first.browser)).json();
    expect(u).toMatchObject({ role: 'resident', entity_id: entityId, display_name: '欧阳**' });
    const again = await loginAs('resident-7f3a');
    expect((await me(again.browser)).json().id).toBe(u.id);
    const rows = await env.db.query<{ n: string; subj: string }>("SELECT count(*)::text AS n, max(oidc_subject) AS subj FROM users WHERE entity_id = $1", [entityId]);
    expect(rows.rows[0].n).toBe('1');
    expect(rows.rows[0].subj).not.toContain('resident-7f3a');
  });

  it('refuses an unknown subject with 403 and says what to do', async () => {
    const { browser, res } = await loginAs('stranger');
    expect(res.status).toBe(403);
    const body = (await res.json()) as ErrorBody;
    expect(body).toMatchObject({ code: 'FORBIDDEN' });
    expect(body.message).toContain('尚未关联本平台用户');
    expect(body.message_en).toContain('ask an administrator to link your account');
    expect(browser.cookie('kx_session')).toBeUndefined();
  });

  it('refuses a verified ID number the population does not hold', async () => {
    const { res } = await loginAs('newcomer');
    expect(res.status).toBe(403);
    const body = (await res.json()) as ErrorBody;
    expect(body.message).toContain('没有对应的居民档案');
    expect(JSON.stringify(body)).not.toContain(NEWCOMER_ID);
  });

  it('rejects a callback without its cookie, with a changed state, or replayed', async () => {
    const browser = new Browser();
    const { url } = await browser.follow(start(), { login: 'staff-001', stopAt: callback });
    const noCookie = await new Browser().request(url);
    expect(noCookie.status).toBe(400);
    expect(((await noCookie.json()) as ErrorBody).field).toBe('kx_oidc');
    const flowCookie = browser.cookie('kx_oidc')!;
    const forged = new URL(url);
    forged.searchParams.set('state', 'forged-state');
    const wrongState = await fetch(forged, { redirect: 'manual', headers: { cookie: `kx_oidc=${flowCookie}` } });
    expect(wrongState.status).toBe(401);
    const ok = await fetch(url, { redirect: 'manual', headers: { cookie: `kx_oidc=${flowCookie}` } });
    expect(ok.status).toBe(302);
    const replay = await fetch(url, { redirect: 'manual', headers: { cookie: `kx_oidc=${flowCookie}` } });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as ErrorBody).message).toContain('统一身份认证未通过');
  });

  it('says so when the user cancels at the provider', async () => {
    const browser = new Browser();
    const { url } = await browser.follow(start(), { cancel: true, stopAt: callback });
    expect(new URL(url).searchParams.get('error')).toBe('access_denied');
    const res = await browser.request(url);
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).message).toContain('取消登录');
  });

  it('only returns to paths on this site', async () => {
    const res = await new Browser().request(start('//evil.example/steal'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).field).toBe('return_to');
    expect((await new Browser().request(start('https://evil.example/'))).status).toBe(400);
  });

  it('lets an administrator link a subject to one user only, and unlink it', async () => {
    const other = await addUser(env, 'clerk-two', 'clerk', { department: 'lc-rsj' });
    const put = (id: string, subject: string | null) => env.app.inject({ method: 'PUT', url: `/api/v1/users/${id}/oidc-subject`, headers: bearer(admin), payload: { subject } });
    expect((await put(other, 'staff-001')).statusCode).toBe(409);
    expect((await put('999999', 'someone')).statusCode).toBe(404);
    expect((await put(clerkId, null)).statusCode).toBe(204);
    expect((await loginAs('staff-001')).res.status).toBe(403);
    expect((await put(clerkId, 'staff-001')).statusCode).toBe(204);
    expect((await loginAs('staff-001')).res.status).toBe(302);
  });

  it('keeps the audit chain intact and answers 404 when no provider is configured', async () => {
    expect(await verifyAudit(env.db)).toMatchObject({ ok: true });
    const saved = env.ctx.config.oidc;
    env.ctx.config.oidc = undefined;
    try {
      const res = await env.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toContain('未配置统一身份认证');
    } finally {
      env.ctx.config.oidc = saved;
    }
  });
});
