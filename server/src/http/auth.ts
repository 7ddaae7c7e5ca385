// Who is calling: a session (cookie kx_session, or "Authorization: Bearer kxs_…") or a
// source system's API token ("Authorization: Bearer kxt_…"). Tokens are random and only
// their SHA-256 is stored. Access is then checked against the route's declaration.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { appendAudit } from '../modules/audit/audit.ts';
import { DomainError } from '../errors.ts';
import { actorOf, checkAccess, type Principal, type Role } from './access.ts';

export const SESSION_COOKIE = 'kx_session';
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newToken = (prefix: 'kxs_' | 'kxt_') => prefix + randomBytes(32).toString('base64url');

/**
 * Sessions looked up in the last few seconds, per process (decision 0026): a page asks several
 * things at once and the portal's list is called at hundreds a second, each a database round
 * trip for the same answer. A logout or a lock forgets them at once in this process and, by a
 * notice on the database (channel kx_sessions), in every other server process (decision 0029);
 * were a notice lost (a dropped LISTEN connection), the entry still ends within SESSION_TTL_MS.
 */
export const SESSION_TTL_MS = 5_000;
const SESSION_CACHE_MAX = 10_000;
interface CachedSession { principal: Principal; expiresAt: number; until: number }
const sessionCaches = new WeakMap<Ctx, Map<string, CachedSession>>();

function sessionCache(ctx: Ctx): Map<string, CachedSession> {
  let c = sessionCaches.get(ctx);
  if (!c) sessionCaches.set(ctx, (c = new Map()));
  return c;
}

const SESSIONS_CHANNEL = 'kx_sessions';
/** What a revocation notice names: a session by its token's hash, or every session of a user. */
type Forget = { tokenHash: string } | { userId: string };

function forgetHere(ctx: Ctx, which: Forget): void {
  const cache = sessionCache(ctx);
  if ('tokenHash' in which) cache.delete(which.tokenHash);
  else for (const [k, v] of cache) if (v.principal.userId === which.userId) cache.delete(k);
}

/**
 * Forgets cached sessions — one (by its token) or all of a user's (locked) — here and, through
 * the database, in the other server processes. Call it after the change has committed.
 */
export async function forgetSessions(ctx: Ctx, which: { token: string } | { userId: string }): Promise<void> {
  const notice: Forget = 'token' in which ? { tokenHash: sha256(which.token) } : { userId: which.userId };
  forgetHere(ctx, notice);
  // Only the hash travels: the token itself is never written anywhere.
  await ctx.db.query('SELECT pg_notify($1, $2)', [SESSIONS_CHANNEL, JSON.stringify(notice)]);
}

/** Listens for the other processes' revocations; returns how to stop. */
async function listenForRevocations(ctx: Ctx): Promise<() => Promise<void>> {
  return ctx.db.listen(SESSIONS_CHANNEL, (payload) => {
    try {
      const notice = JSON.parse(payload) as Partial<{ tokenHash: unknown; userId: unknown }>;
      if (typeof notice.tokenHash === 'string') forgetHere(ctx, { tokenHash: notice.tokenHash });
      else if (typeof notice.userId === 'string') forgetHere(ctx, { userId: notice.userId });
    } catch {
      // not ours to read; the entry ends within SESSION_TTL_MS anyway
    }
  });
}

async function sessionPrincipal(ctx: Ctx, token: string): Promise<Principal | undefined> {
  const hash = sha256(token);
  const cache = sessionCache(ctx);
  const hit = cache.get(hash);
  if (hit && hit.until > performance.now() && hit.expiresAt > ctx.now().getTime()) return hit.principal;
  const r = await ctx.db.query<{ id: string; username: string; role: Role; department: string | null; entity_id: string | null; disabled: boolean; expires_at: Date }>(
    `SELECT u.id::text AS id, u.username, u.role, u.department, u.entity_id::text AS entity_id, u.disabled, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2`,
    [hash, ctx.now()],
  );
  const u = r.rows[0];
  if (!u || u.disabled) {
    cache.delete(hash);
    return undefined;
  }
  const principal: Principal = { kind: 'user', userId: u.id, username: u.username, role: u.role, ...(u.department ? { department: u.department } : {}), ...(u.entity_id ? { entityId: u.entity_id } : {}) };
  // Bounded: past the limit the oldest entries go (Map keeps insertion order).
  if (cache.size >= SESSION_CACHE_MAX) for (const k of [...cache.keys()].slice(0, SESSION_CACHE_MAX / 10)) cache.delete(k);
  cache.set(hash, { principal, expiresAt: new Date(u.expires_at).getTime(), until: performance.now() + SESSION_TTL_MS });
  return principal;
}

async function tokenPrincipal(ctx: Ctx, token: string): Promise<Principal | undefined> {
  const r = await ctx.db.query<{ id: string; source: string }>('SELECT id::text AS id, source FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [sha256(token)]);
  const t = r.rows[0];
  if (!t) return undefined;
  // For the admin's token list; written at most once a minute per token.
  await ctx.db.query(`UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`, [t.id, ctx.now()]);
  return { kind: 'source', source: t.source, tokenId: t.id };
}

export async function resolvePrincipal(ctx: Ctx, req: FastifyRequest): Promise<Principal | undefined> {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const token = auth.slice(7).trim();
    if (token.startsWith('kxt_')) return tokenPrincipal(ctx, token);
    if (token.startsWith('kxs_')) return sessionPrincipal(ctx, token);
    return undefined;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? sessionPrincipal(ctx, cookie) : undefined;
}

export function installAuth(app: FastifyInstance, ctx: Ctx): void {
  let stopListening: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    // Without the notices, other processes' revocations still take effect within SESSION_TTL_MS.
    stopListening = await listenForRevocations(ctx).catch((e: unknown) => {
      app.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'session revocations from other processes: not listening');
      return undefined;
    });
  });
  app.addHook('onClose', async () => {
    await stopListening?.();
  });
  // preValidation: an anonymous or unauthorised caller is refused before its body is validated.
  app.addHook('preValidation', async (req) => {
    req.principal = await resolvePrincipal(ctx, req);
    try {
      checkAccess(req.routeOptions.config?.access, req.principal);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'FORBIDDEN')
        await appendAudit(ctx.db, { actor: actorOf(req.principal), action: 'access.denied', subject: `${req.method} ${req.routeOptions.url}`, outcome: 'denied' });
      throw e;
    }
  });
}
