// Login through the city's unified identity (统一身份认证) with OpenID Connect: the
// authorization code flow with PKCE, state and nonce (openid-client v6). Between start
// and callback nothing is kept on the server: state, nonce and PKCE verifier travel in a
// short-lived cookie sealed with the field key, so any API process can finish the login.
//
// Who the provider's subject is (docs/decisions/0010-unified-identity-first-login.md):
// a subject linked to a user logs in as that user; an unknown subject becomes a resident
// only when the provider vouches for an ID number (实名) that the city's population
// already holds; anyone else is refused with 403 and told to ask for their account to be
// linked. The subject is stored as a keyed hash of issuer and subject — some providers use
// the ID number itself as the subject.
import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { maskName, validateIdNumber } from '@kx/data';
import type { Config } from '../../config.ts';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError, badInput } from '../../errors.ts';
import { appendAudit } from '../audit/audit.ts';
import { entityKeyHash } from '../profiles/validate.ts';
import { createUser, type UserRow } from './service.ts';

type OidcConfig = NonNullable<Config['oidc']>;

export const OIDC_COOKIE = 'kx_oidc';
export const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';
/** The time a user has to complete the login at the provider. */
export const OIDC_FLOW_SECONDS = 600;
const SCOPE = 'openid profile';
/** Claim names providers use for the 公民身份号码 of a 实名 account; the value must validate. */
export const ID_NUMBER_CLAIMS = ['id_number', 'idcard', 'id_card', 'id_card_number', 'cert_no', 'certNo', 'idCardNumber'];

export interface FlowState {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  /** Expiry, ms since epoch. */
  exp: number;
}

const notConfigured = () => new DomainError('NOT_FOUND', '本平台未配置统一身份认证登录', 'unified identity login is not configured on this platform');

/** Plain http is accepted for a provider on this machine only (tests, a local provider). */
function isLoopback(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * Discovers the provider once per process. The client authenticates with HTTP Basic
 * (the default of the OpenID Connect specification) unless the provider supports only
 * client_secret_post.
 */
export function providerDiscovery(): (cfg: OidcConfig) => Promise<oidc.Configuration> {
  const cache = new Map<string, Promise<oidc.Configuration>>();
  return (cfg) => {
    const key = `${cfg.issuer}\n${cfg.clientId}\n${cfg.clientSecret}`;
    let p = cache.get(key);
    if (!p) {
      p = (async () => {
        const issuer = new URL(cfg.issuer);
        const insecure = isLoopback(issuer);
        const found = await oidc.discovery(issuer, cfg.clientId, cfg.clientSecret, undefined, insecure ? { execute: [oidc.allowInsecureRequests] } : {});
        const methods = found.serverMetadata().token_endpoint_auth_methods_supported;
        const auth = !methods || methods.includes('client_secret_basic') ? oidc.ClientSecretBasic(cfg.clientSecret) : oidc.ClientSecretPost(cfg.clientSecret);
        const config = new oidc.Configuration(found.serverMetadata(), cfg.clientId, cfg.clientSecret, auth);
        if (insecure) oidc.allowInsecureRequests(config);
        return config;
      })();
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    return p;
  };
}

/** Only a path on this site: never another host (no open redirect). */
export function safeReturnTo(raw: string | undefined): string {
  if (raw === undefined || raw === '') return '/';
  if (!/^\/(?![/\\])[^\s]*$/.test(raw)) throw badInput('return_to', 'return_to 应为本站路径（以 / 开头）', 'return_to must be a path on this site (starting with /)');
  return raw;
}

export async function beginLogin(ctx: Ctx, discover: ReturnType<typeof providerDiscovery>, returnTo: string): Promise<{ redirectTo: string; cookie: string }> {
  const cfg = ctx.config.oidc;
  if (!cfg) throw notConfigured();
  const config = await discover(cfg);
  const flow: FlowState = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    returnTo,
    exp: ctx.now().getTime() + OIDC_FLOW_SECONDS * 1000,
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: cfg.redirectUri,
    scope: SCOPE,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: 'S256',
  });
  return { redirectTo: url.href, cookie: ctx.crypto.encrypt(JSON.stringify(flow)) };
}

function readFlow(ctx: Ctx, sealed: string | undefined): FlowState {
  const expired = () => new DomainError('BAD_INPUT', '登录请求已过期或无效，请重新登录', 'the login request has expired or is not valid; please log in again', OIDC_COOKIE);
  if (!sealed) throw expired();
  let flow: FlowState;
  try {
    flow = JSON.parse(ctx.crypto.decrypt(sealed)) as FlowState;
  } catch {
    throw expired();
  }
  if (typeof flow.exp !== 'number' || flow.exp < ctx.now().getTime()) throw expired();
  return flow;
}

/** The stored form of a subject: keyed hash of issuer and subject (never the subject itself). */
export function subjectKey(ctx: Ctx, issuer: string, sub: string): string {
  return ctx.crypto.blindIndex(`oidc:${new URL(issuer).href}|${sub}`);
}

/** For the audit log: a short unkeyed digest that tells attempts apart without revealing the subject. */
const subjectRef = (key: string) => `oidc:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

function idNumberClaim(claims: Record<string, unknown>, today: string): string | undefined {
  for (const name of ID_NUMBER_CLAIMS) {
    const v = claims[name];
    if (typeof v === 'string') {
      const r = validateIdNumber(v, today);
      if (r.valid) return r.number;
    }
  }
  return undefined;
}

async function userBySubject(q: Queryable, key: string): Promise<{ id: string; disabled: boolean } | undefined> {
  return (await q.query<{ id: string; disabled: boolean }>('SELECT id::text AS id, disabled FROM users WHERE oidc_subject = $1', [key])).rows[0];
}

/** First login of a 实名 resident whom the population already knows: link or create the account. */
async function provisionResident(ctx: Ctx, q: Queryable, key: string, idNumber: string, name: unknown): Promise<string | undefined> {
  const entity = (await q.query<{ id: string }>("SELECT id::text AS id FROM entities WHERE key_hash = $1 AND kind = 'person'", [entityKeyHash(ctx.crypto, 'person', idNumber)])).rows[0];
  if (!entity) return undefined;
  const existing = (await q.query<{ id: string; oidc_subject: string | null }>(
    "SELECT id::text AS id, oidc_subject FROM users WHERE role = 'resident' AND entity_id = $1 ORDER BY users.id LIMIT 1", [entity.id],
  )).rows[0];
  if (existing?.oidc_subject) throw new DomainError('CONFLICT', '该居民的账号已关联另一个统一身份账号，请联系管理员', "this resident's account is linked to another unified identity; please contact an administrator");
  let userId: string;
  if (existing) {
    await q.query('UPDATE users SET oidc_subject = $2 WHERE id = $1', [existing.id, key]);
    userId = existing.id;
  } else {
    const u: UserRow = await createUser(ctx, q, {
      username: `oidc-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`,
      display_name: typeof name === 'string' && name.trim() ? maskName(name) : '居民',
      role: 'resident',
      entity_id: entity.id,
      oidc_subject: key,
    }, undefined);
    userId = u.id;
  }
  await appendAudit(q, { actor: 'system', action: 'auth.oidc.link', subject: `user:${userId}`, detail: { entity: entity.id, account: existing ? 'existing' : 'created' } });
  return userId;
}

/**
 * Completes the login: checks state, nonce and PKCE, exchanges the code, and finds (or,
 * for a known resident, creates) the user. Returns the user id and where to send the browser.
 */
export async function finishLogin(ctx: Ctx, discover: ReturnType<typeof providerDiscovery>, query: string, sealedFlow: string | undefined): Promise<{ userId: string; returnTo: string }> {
  const cfg = ctx.config.oidc;
  if (!cfg) throw notConfigured();
  const flow = readFlow(ctx, sealedFlow);
  const config = await discover(cfg);
  const current = new URL(cfg.redirectUri);
  current.search = query;
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
  } catch (e) {
    const code = e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError ? e.error : (e as { code?: string }).code;
    await appendAudit(ctx.db, { actor: 'anonymous', action: 'auth.oidc', subject: 'oidc:?', outcome: 'failed', detail: { why: String(code ?? 'error') } });
    if (e instanceof oidc.AuthorizationResponseError && e.error === 'access_denied')
      throw new DomainError('UNAUTHENTICATED', '已在统一身份认证处取消登录', 'the login was cancelled at the unified identity provider');
    throw new DomainError('UNAUTHENTICATED', `统一身份认证未通过（${code ?? 'error'}），请重新登录`, `the unified identity login did not succeed (${code ?? 'error'}); please log in again`);
  }
  const claims: Record<string, unknown> = { ...tokens.claims() };
  const key = subjectKey(ctx, cfg.issuer, String(claims.sub));
  let known = await userBySubject(ctx.db, key);
  if (!known) {
    let idNumber = idNumberClaim(claims, ctx.today());
    if (!idNumber && config.serverMetadata().userinfo_endpoint) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
      Object.assign(claims, info);
      idNumber = idNumberClaim(claims, ctx.today());
    }
    const created = idNumber ? await ctx.db.tx((q) => provisionResident(ctx, q, key, idNumber, claims.name)) : undefined;
    if (!created) {
      await appendAudit(ctx.db, { actor: subjectRef(key), action: 'auth.oidc', subject: subjectRef(key), outcome: 'denied', detail: { why: idNumber ? 'not in the population' : 'unknown subject' } });
      throw new DomainError(
        'FORBIDDEN',
        idNumber
          ? '统一身份账号已实名，但本市人口信息中没有对应的居民档案，暂不能登录；请联系 12345 或所在街道'
          : '该统一身份账号尚未关联本平台用户：工作人员和企业请联系本平台管理员关联账号；居民请先在统一身份认证平台完成实名认证',
        idNumber
          ? 'the unified identity is verified, but the city holds no resident record for it yet; please contact 12345 or your sub-district office'
          : 'this unified identity is not linked to a user of the platform: staff and enterprises, ask an administrator to link your account; residents, complete real-name verification with the identity provider first',
      );
    }
    known = { id: created, disabled: false };
  }
  if (known.disabled) throw new DomainError('FORBIDDEN', '账号已停用', 'the account is disabled');
  return { userId: known.id, returnTo: flow.returnTo };
}

/** Links (or, with null, unlinks) a unified identity subject to a user — for staff and enterprises. */
export async function linkSubject(ctx: Ctx, q: Queryable, userId: string, subject: string | null, by: string): Promise<void> {
  const cfg = ctx.config.oidc;
  if (!cfg) throw notConfigured();
  const key = subject === null ? null : subjectKey(ctx, cfg.issuer, subject);
  if (key) {
    const other = await userBySubject(q, key);
    if (other && other.id !== userId) throw new DomainError('CONFLICT', `该统一身份账号已关联用户 ${other.id}`, `this unified identity is already linked to user ${other.id}`, 'subject');
  }
  const r = await q.query('UPDATE users SET oidc_subject = $2 WHERE id = $1', [userId, key]);
  if (!r.rowCount) throw new DomainError('NOT_FOUND', `用户 ${userId} 不存在`, `user ${userId} not found`);
  await appendAudit(q, { actor: by, action: subject === null ? 'auth.oidc.unlink' : 'auth.oidc.link', subject: `user:${userId}` });
}
