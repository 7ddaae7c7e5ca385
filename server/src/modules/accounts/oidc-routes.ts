// Routes of the unified identity login (oidc.ts): start → the provider → callback → the
// portal with a session; and the administrator's link between a user and a subject.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Ctx } from '../../context.ts';
import { actorOf, principal } from '../../http/access.ts';
import { SESSION_COOKIE } from '../../http/auth.ts';
import { errors } from '../../http/schemas.ts';
import { openSession } from './service.ts';
import { beginLogin, finishLogin, linkSubject, OIDC_COOKIE, OIDC_COOKIE_PATH, OIDC_FLOW_SECONDS, providerDiscovery, safeReturnTo } from './oidc.ts';

const Redirect = (what: string) => Type.Null({ description: `重定向 / redirect: ${what}` });

export async function oidcRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const tags = ['accounts'];
  const discover = providerDiscovery();

  app.get<{ Querystring: { return_to?: string } }>(
    '/api/v1/auth/oidc/start',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '统一身份认证登录：跳转到认证平台 / log in with the unified identity: redirect to the provider',
        querystring: Type.Object({ return_to: Type.Optional(Type.String({ maxLength: 500, description: '登录后返回的本站路径 / path on this site to return to' })) }),
        response: { 302: Redirect('认证平台 / the identity provider'), ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const { redirectTo, cookie } = await beginLogin(ctx, discover, safeReturnTo(req.query.return_to));
      // SameSite=Lax: the provider sends the browser back with a top-level GET, which carries it.
      reply.setCookie(OIDC_COOKIE, cookie, { path: OIDC_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, maxAge: OIDC_FLOW_SECONDS });
      return reply.redirect(redirectTo, 302);
    },
  );

  app.get(
    '/api/v1/auth/oidc/callback',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: '统一身份认证回调：建立会话并返回门户 / unified identity callback: opens a session and returns to the portal',
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 2000 })),
          state: Type.Optional(Type.String({ maxLength: 500 })),
          iss: Type.Optional(Type.String({ maxLength: 500 })),
          error: Type.Optional(Type.String({ maxLength: 200 })),
          error_description: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 302: Redirect('门户 / the portal'), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
      const { userId, returnTo } = await finishLogin(ctx, discover, query, req.cookies[OIDC_COOKIE]);
      const { token, expiresAt } = await openSession(ctx, userId, 'oidc');
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, expires: expiresAt });
      return reply.redirect(returnTo, 302);
    },
  );

  app.put<{ Params: { id: string }; Body: { subject: string | null } }>(
    '/api/v1/users/:id/oidc-subject',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: '关联（或解除）用户与统一身份账号 / link (or unlink) a user and a unified identity subject',
        params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) }),
        body: Type.Object({ subject: Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()], { description: '认证平台的 sub；null 解除关联 / the provider\'s sub; null unlinks' }) }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await ctx.db.tx((q) => linkSubject(ctx, q, req.params.id, req.body.subject, actorOf(principal(req))));
      return reply.status(204).send();
    },
  );
}
