import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { createCtx } from '../../context.ts';
import { SESSION_TTL_MS } from '../../http/auth.ts';
import { addUser, bearer, DATABASES, PASSWORD, testConfig, testEnv, type TestEnv } from '../../../test/harness.ts';
import { verifyAudit } from '../audit/audit.ts';

describe.each(DATABASES)('accounts on %s', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(kind);
    await addUser(env, 'admin', 'admin');
    await addUser(env, 'clerk-rsj', 'clerk', { department: 'lc-rsj' });
  });
  afterAll(() => env.close());

  it('logs in with a password, sets an httpOnly session cookie and knows who you are', async () => {
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'clerk-rsj', password: PASSWORD } });
    expect(r.statusCode).toBe(200);
    const cookie = r.cookies.find((c) => c.name === 'kx_session')!;
    expect(cookie.httpOnly).toBe(true);
    const me = await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { kx_session: cookie.value } });
    expect(me.json()).toMatchObject({ username: 'clerk-rsj', role: 'clerk', department: 'lc-rsj' });
  });

  it('ends a session at logout and at its expiry at once, although it was just used', async () => {
    const me = (token: string) => env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    const token = await env.login('clerk-rsj');
    expect((await me(token)).statusCode).toBe(200);
    expect((await env.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);
    const later = await env.login('clerk-rsj');
    expect((await me(later)).statusCode).toBe(200);
    const now = env.clock.now;
    try {
      env.clock.now = new Date(now.getTime() + (env.ctx.config.sessionHours + 1) * 3_600_000);
      expect((await me(later)).statusCode).toBe(401);
    } finally {
      env.clock.now = now;
    }
  });

  it('ends a session in another server process on the same database at once, at logout and when the account is locked', async () => {
    // A second process: its own context (and session cache), the same database.
    const other = await buildApp(createCtx(testConfig(), env.db, () => new Date(env.clock.now)), { logger: false });
    try {
      const meThere = (token: string) => other.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
      // Well inside the cache's lifetime: only the notice can end it this soon.
      const refusedSoon = async (token: string) => {
        const end = performance.now() + SESSION_TTL_MS / 3;
        while (performance.now() < end) {
          if ((await meThere(token)).statusCode === 401) return true;
          await new Promise((r) => setTimeout(r, 20));
        }
        return false;
      };
      const token = await env.login('clerk-rsj');
      expect((await meThere(token)).statusCode).toBe(200);
      expect((await env.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode).toBe(204);
      expect(await refusedSoon(token)).toBe(true);

      const id = await addUser(env, 'clerk-locked', 'clerk', { department: 'lc-rsj' });
      const locked = await env.login('clerk-locked');
      expect((await meThere(locked)).statusCode).toBe(200);
      const admin = await env.login('admin');
      expect((await env.app.inject({ method: 'PUT', url: `/api/v1/users/${id}/lock`, headers: bearer(admin), payload: { locked: true } })).statusCode).toBe(200);
      expect(await refusedSoon(locked)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('locks an account after five wrong passwords, and says until when', async () => {
    await addUser(env, 'victim', 'leader');
    for (let i = 0; i < 5; i++) {
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'victim', password: 'wrong-password-1' } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'victim', password: PASSWORD } });
    expect(locked.statusCode).toBe(423);
    // 15 minutes after the fifth failure, in Beijing time (the test clock is 02:00 UTC)
    const until = new Date(env.clock.now.getTime() + 15 * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(locked.json().message).toContain(`已锁定至 ${until}（北京时间）`);
    expect(locked.json().message_en).toContain(`locked until ${until} (Beijing time, UTC+8)`);
    expect(locked.headers['retry-after']).toBe('900');
    env.clock.now = new Date(env.clock.now.getTime() + 16 * 60_000);
    const later = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'victim', password: PASSWORD } });
    expect(later.statusCode).toBe(200);
  });

  it('answers an unknown username exactly as a wrong password, before and during the lockout', async () => {
    await addUser(env, 'real-user', 'leader');
    const attempt = async (username: string) => {
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'wrong-password-2' } });
      return { status: r.statusCode, body: r.json(), retry: r.headers['retry-after'] };
    };
    for (let i = 0; i < 5; i++) expect(await attempt('no-such-user')).toEqual(await attempt('real-user'));
    const [ghost, real] = [await attempt('no-such-user'), await attempt('real-user')];
    expect(real.status).toBe(423);
    expect(ghost).toEqual(real);
    // An administrator's unlock ends the lockout at once.
    const id = (await env.db.query<{ id: string }>("SELECT id::text AS id FROM users WHERE username = 'real-user'")).rows[0].id;
    const admin = await env.login('admin');
    expect((await env.app.inject({ method: 'PUT', url: `/api/v1/users/${id}/lock`, headers: bearer(admin), payload: { locked: false } })).statusCode).toBe(200);
    expect((await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'real-user', password: PASSWORD } })).statusCode).toBe(200);
    // the audit log keeps the typed name only as a keyed hash
    const typed = await env.db.query("SELECT 1 FROM audit_log WHERE actor LIKE '%no-such-user%' OR detail::text LIKE '%no-such-user%'");
    expect(typed.rows).toEqual([]);
  });

  it('answers 401 without a session and 403 for the wrong role, and audits the refusal', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/users' })).statusCode).toBe(401);
    const clerk = await env.login('clerk-rsj');
    const r = await env.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(clerk) });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'FORBIDDEN' });
    const denied = await env.db.query<{ n: string }>("SELECT count(*)::text AS n FROM audit_log WHERE action = 'access.denied'");
    expect(Number(denied.rows[0].n)).toBeGreaterThan(0);
  });

  it('rejects bad input with the field named, never a 5xx', async () => {
    const admin = await env.login('admin');
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'x y', display_name: 'X', role: 'clerk' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toContain('username');
    const noDept = await env.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'nodept', display_name: 'X', role: 'clerk', password: 'abcdefgh12' } });
    expect(noDept.statusCode).toBe(400);
    expect(noDept.json()).toMatchObject({ field: 'department' });
    const weak = await env.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'weak', display_name: 'X', role: 'leader', password: 'aaaaaaaaaa' } });
    expect(weak.json()).toMatchObject({ field: 'password' });
  });

  it('issues source tokens shown once, usable until revoked', async () => {
    const admin = await env.login('admin');
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: '人社系统', source: 'hrss' } });
    expect(r.statusCode).toBe(201);
    const { token, id } = r.json();
    expect(token).toMatch(/^kxt_/);
    const stored = await env.db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens WHERE id = $1', [id]);
    expect(stored.rows[0].token_hash).not.toContain(token.slice(4, 20));
    const bad = await env.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: 'x', source: 'nasa' } });
    expect(bad.json()).toMatchObject({ code: 'BAD_INPUT', field: 'source' });
    // a source token cannot act as a user
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode).toBe(403);
  });

  it('lists source tokens for the admin without their secrets, with when each was last used, and revokes them', async () => {
    const admin = await env.login('admin');
    const { id, token } = (await env.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer(admin), payload: { name: '统计系统', source: 'stats' } })).json();
    const list = async () => (await env.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: bearer(admin) })).json().items as Record<string, unknown>[];
    const before = (await list()).find((t) => t.id === id);
    expect(before).toEqual({ id, name: '统计系统', source: 'stats', created_at: expect.any(String), created_by: 'admin', last_used_at: null, revoked_at: null });
    // used by its system: the list says when
    env.clock.now = new Date(env.clock.now.getTime() + 5 * 60_000);
    const used = await env.app.inject({ method: 'POST', url: '/api/v1/sources/stats/records', headers: bearer(token), payload: {} });
    expect(used.statusCode).toBe(400); // authenticated, then the empty record is refused
    expect((await list()).find((t) => t.id === id)!.last_used_at).toBe(env.clock.now.toISOString());
    const body = JSON.stringify(await list());
    expect(body).not.toContain(token);
    expect(body).not.toContain('token_hash');
    // revoked: listed as such, and refused
    expect((await env.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: bearer(admin) })).statusCode).toBe(204);
    expect((await list()).find((t) => t.id === id)!.revoked_at).toEqual(expect.any(String));
    expect((await env.app.inject({ method: 'POST', url: '/api/v1/sources/stats/records', headers: bearer(token), payload: {} })).statusCode).toBe(401);
    expect((await env.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: bearer(admin) })).statusCode).toBe(404);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: bearer(await env.login('clerk-rsj')) })).statusCode).toBe(403);
  });

  it('keeps an intact audit chain', async () => {
    const v = await verifyAudit(env.db);
    expect(v.broken).toBeUndefined();
    expect(v).toMatchObject({ ok: true });
  });

  it('serves its OpenAPI document and health', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.paths['/api/v1/auth/login'].post.summary).toContain('登录');
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toEqual({ status: 'ok', database: kind });
  });
});
