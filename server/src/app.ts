// buildApp(ctx) assembles the HTTP API; listen() is separate (serve.ts) so that tests
// call app.inject() against the very same app.
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Ctx } from './context.ts';
import { installErrorHandler } from './http/errors.ts';
import { installAuth } from './http/auth.ts';
import { loggerOptions, type LogSink } from './http/logging.ts';
import { accountsRoutes } from './modules/accounts/routes.ts';
import { payoutsRoutes } from './modules/payouts/routes.ts';
import { catalogueRoutes } from './modules/catalogue/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { oidcRoutes } from './modules/accounts/oidc-routes.ts';
import { profilesRoutes } from './modules/profiles/routes.ts';
import { applicationsRoutes } from './modules/applications/routes.ts';
import { grantsRoutes } from './modules/grants/routes.ts';
import { matchingRoutes } from './modules/matching/routes.ts';
import { pushRoutes } from './modules/push/routes.ts';
import { statsRoutes } from './modules/stats/routes.ts';
import { searchRoutes } from './modules/search/routes.ts';
import { webRoutes } from './http/web.ts';

export interface RouteInfo {
  method: string;
  url: string;
  access: unknown;
}

export type App = FastifyInstance & { kx: Ctx; routeTable: RouteInfo[] };

/** Route modules register here; each gets the app and the context. */
export type RouteModule = (app: FastifyInstance, ctx: Ctx) => Promise<void> | void;
const MODULES: RouteModule[] = [accountsRoutes, oidcRoutes, auditRoutes, catalogueRoutes, payoutsRoutes, profilesRoutes, applicationsRoutes, grantsRoutes, matchingRoutes, searchRoutes, statsRoutes, pushRoutes];

export interface BuildOptions {
  logger?: boolean;
  /** Where log lines go (default stdout); tests pass a capture. */
  logStream?: LogSink;
  extraModules?: RouteModule[];
  /** Serve the built portal and console (web/dist) — `npm start` does. */
  web?: boolean;
}

export async function buildApp(ctx: Ctx, opts: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    // Method, path and status only; never bodies, query strings or credentials (http/logging.ts).
    logger: opts.logger === false ? false : loggerOptions(ctx.config.logLevel, opts.logStream),
    bodyLimit: 20 * 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.decorate('kx', ctx);
  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (r) => {
    // The API documentation is public, like the document it renders (/api/v1/openapi.json).
    if (r.url.startsWith('/api/v1/docs')) r.config = { ...r.config, access: 'public' };
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) if (m !== 'HEAD' && r.url.startsWith('/api/v1/') && !r.url.startsWith('/api/v1/docs')) routeTable.push({ method: m, url: r.url, access: r.config?.access });
  });
  installErrorHandler(app);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 100 * 1024 * 1024, files: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: '政策快享 Kuaixiang API', version: '1', description: '政策即代码：发布、匹配、推送、兑现 / policies as code' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'kx_session' }, bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs' });
  installAuth(app, ctx);
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get('/api/v1/health', { config: { access: 'public' }, schema: { tags: ['system'], summary: '健康检查 / health' } }, async () => {
    await ctx.db.query('SELECT 1');
    return { status: 'ok', database: ctx.db.kind };
  });
  for (const m of [...MODULES, ...(opts.extraModules ?? [])]) await m(app, ctx);
  if (opts.web) await webRoutes(app);
  await app.ready();
  return app;
}

/** How long answers under way get to finish when the server stops, before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Stops taking connections and waits for the answers under way — but not for ever: a client
 * that never reads its answer would otherwise hold the shutdown (and a restart) indefinitely.
 */
export async function closeApp(app: App, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}
