import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { departmentByCode } from '@kx/data';
import type { Ctx } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { principal } from '../../http/access.ts';
import { forgetSessions, SESSION_COOKIE } from '../../http/auth.ts';
import { errors, Id } from '../../http/schemas.ts';
import { createApiToken, createUser, getUser, listApiTokens, listUsers, login, logout, revokeApiToken, setUserLocked } from './service.ts';
import { ApiTokenList, Department, LockBody, LoginBody, NewTokenBody, NewUserBody, User } from './schema.ts';

export async function accountsRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['accounts'];
  app.post<{ Body: LoginBody }>(
    '/api/v1/auth/login',
    { config: { access: 'public' }, schema: { tags, summary: '登录 / log in', body: LoginBody, response: { 200: Type.Object({ user: User, token: Type.String(), expires_at: Type.String() }), ...errors(400, 401, 423) } } },
    async (req, reply) => {
      const { token, user, expiresAt } = await login(ctx, req.body.username, req.body.password).catch((e: unknown) => {
        // A lockout says when to come back, in seconds (RFC 9110 Retry-After).
        if (e instanceof DomainError && e.code === 'LOCKED') reply.header('Retry-After', String((e.details as { retry_after: number }).retry_after));
        throw e;
      });
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, expires: expiresAt });
      return { user, token, expires_at: expiresAt.toISOString() };
    },
  );
  app.post('/api/v1/auth/logout', { config: { access: 'user' }, schema: { tags, summary: '退出登录 / log out', response: { 204: Type.Null() } } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE] ?? req.headers.authorization?.slice(7);
    if (token) await logout(ctx, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });
  app.get('/api/v1/auth/me', { config: { access: 'user' }, schema: { tags, summary: '当前用户 / current user', response: { 200: User, ...errors(401) } } }, async (req) => getUser(ctx.db, principal(req).userId!));

  app.get('/api/v1/departments', { config: { access: 'public' }, schema: { tags, summary: '部门列表 / departments', response: { 200: Type.Array(Department) } } }, async () => {
    const rows = (await ctx.db.query<{ code: string; name: string }>('SELECT code, name, short_name, region, level, kind, parent FROM departments ORDER BY level, code')).rows;
    return rows.map((d) => ({ ...d, name_en: departmentByCode(d.code)?.name_en ?? d.name }));
  });
  app.get('/api/v1/users', { config: { access: ['admin'] }, schema: { tags, summary: '用户列表 / users', response: { 200: Type.Array(User), ...errors(401, 403) } } }, async () => listUsers(ctx));
  app.post<{ Body: NewUserBody }>(
    '/api/v1/users',
    { config: { access: ['admin'] }, schema: { tags, summary: '创建用户 / create a user', body: NewUserBody, response: { 201: User, ...errors(400, 401, 403, 409) } } },
    async (req, reply) => reply.status(201).send(await ctx.db.tx((q) => createUser(ctx, q, req.body, principal(req)))),
  );
  app.put<{ Params: { id: string }; Body: LockBody }>(
    '/api/v1/users/:id/lock',
    {
      config: { access: ['admin'] },
      schema: { tags, summary: '锁定或解锁用户（锁定即注销其会话）/ lock or unlock a user (locking ends their sessions)', params: Id, body: LockBody, response: { 200: User, ...errors(400, 401, 403, 404) } },
    },
    async (req) => {
      const user = await ctx.db.tx((q) => setUserLocked(q, req.params.id, req.body.locked, principal(req), (n) => ctx.crypto.blindIndex(n)));
      // Its sessions are deleted: every server process forgets its cached copies at once.
      if (req.body.locked) await forgetSessions(ctx, { userId: user.id });
      return user;
    },
  );
  app.post<{ Body: { name: string; source: string } }>(
    '/api/v1/tokens',
    { config: { access: ['admin'] }, schema: { tags, summary: '为数据源系统创建令牌（仅显示一次）/ create a source-system token (shown once)', body: NewTokenBody, response: { 201: Type.Object({ id: Type.String(), token: Type.String() }), ...errors(400, 401, 403) } } },
    async (req, reply) => reply.status(201).send(await createApiToken(ctx, req.body.name, req.body.source, principal(req))),
  );
  app.get(
    '/api/v1/tokens',
    { config: { access: ['admin'] }, schema: { tags, summary: '数据源令牌列表（不含令牌本身）/ source tokens, without their secrets', response: { 200: ApiTokenList, ...errors(401, 403) } } },
    async () => ({ items: await listApiTokens(ctx.db) }),
  );
  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    { config: { access: ['admin'] }, schema: { tags, summary: '吊销令牌 / revoke a token', params: Id, response: { 204: Type.Null(), ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await revokeApiToken(ctx, req.params.id, principal(req));
      return reply.status(204).send();
    },
  );
}
