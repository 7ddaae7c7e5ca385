// Serves the built portal and console (web/dist) from the same origin as the API, so the
// session cookie and the typed client need no CORS. Unknown non-API paths answer index.html:
// the browser's router decides (deep links such as /items/… work after a reload).
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

export const WEB_ROOT = resolve(fileURLToPath(new URL('../../../web', import.meta.url)));
export const WEB_DIST = join(WEB_ROOT, 'dist');

/** Newest modification time of the sources the portal is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** True when web/dist is missing or older than web/src — `npm start` then builds it first. */
export function webBuildStale(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  return newestSource(join(WEB_ROOT, 'src')) > statSync(index).mtimeMs;
}

/** Builds the portal with Vite (a dev dependency installed by `npm ci`). */
export async function buildWeb(log: (s: string) => void): Promise<void> {
  log('构建门户与工作台 / building the portal and console …');
  const vite = await import('vite');
  await vite.build({ configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

export async function webRoutes(app: FastifyInstance): Promise<void> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) return;
  await app.register(async (web) => {
    // The portal's files are public, like the pages anyone may read; the API keeps its own access.
    web.addHook('onRoute', (r) => { r.config = { ...r.config, access: 'public' }; });
    await serveDist(web);
  });
}

async function serveDist(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    wildcard: false,
    // Hashed assets never change; the shell and the service worker must be re-read.
    setHeaders: (reply: { header(k: string, v: string): unknown }, path: string) => {
      reply.header('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // The browser's routes (/, /items/…, /console/…); API paths keep the JSON 404.
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, (req, reply) => {
    if (req.url.startsWith('/api/')) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}
