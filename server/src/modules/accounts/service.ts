// Accounts: users of seven roles, departments, sessions with lockout, API tokens.
import { hash, verify } from '@node-rs/argon2';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError, badInput, notFound } from '../../errors.ts';
import { ROLES, DEPARTMENT_ROLES, ENTITY_ROLES, type Principal, type Role } from '../../http/access.ts';
import { forgetSessions, newToken, sha256 } from '../../http/auth.ts';
import { appendAudit } from '../audit/audit.ts';
import type { ApiToken } from './schema.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  department: string | null;
  entity_id: string | null;
  email: string | null;
  disabled: boolean;
}

const USER_COLS = 'id::text AS id, username, display_name, role, department, entity_id::text AS entity_id, email, disabled';

/** A lock time as a person in the city reads it: Beijing time, to the minute. */
export function shanghaiTime(t: Date): string {
  return new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

// Verified against when the username is unknown, so that a miss costs what a wrong password costs.
let dummyHash: Promise<string> | undefined;

/**
 * Password login. Failures are counted per typed username in login_failures, whether or not
 * the user exists, so an unknown name and a wrong password answer alike — 401 until the
 * fifth failure, then 423 with the lock's end in Beijing time — and reveal no accounts.
 */
export async function login(ctx: Ctx, username: string, password: string): Promise<{ token: string; user: UserRow; expiresAt: Date }> {
  const r = await ctx.db.query<UserRow & { password_hash: string | null }>(`SELECT ${USER_COLS}, password_hash FROM users WHERE username = $1`, [username]);
  const u = r.rows[0];
  const now = ctx.now();
  // The typed username may be a phone number: the audit log keeps only its keyed hash.
  const nameHash = ctx.crypto.blindIndex(username);
  const who = `login:${nameHash.slice(0, 16)}`;
  const subject = u ? `user:${u.id}` : 'user:?';
  const lock = await ctx.db.query<{ failed: number; locked_until: Date | null }>('SELECT failed, locked_until FROM login_failures WHERE name_hash = $1', [nameHash]);
  const lockedUntil = lock.rows[0]?.locked_until ? new Date(lock.rows[0].locked_until) : null;
  if (lockedUntil && lockedUntil > now) {
    await appendAudit(ctx.db, { actor: who, action: 'auth.login', subject, outcome: 'denied', detail: { why: 'locked' } });
    throw lockedError(lockedUntil, now);
  }
  const ok = u?.password_hash && !u.disabled ? await verify(u.password_hash, password) : await verify(await (dummyHash ??= hash('not a password of anyone')), password).then(() => false);
  if (!ok || !u) {
    const failed = (lockedUntil ? 0 : (lock.rows[0]?.failed ?? 0)) + 1;
    const until = failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
    await ctx.db.tx(async (q) => {
      await q.query(
        `INSERT INTO login_failures (name_hash, failed, locked_until, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name_hash) DO UPDATE SET failed = EXCLUDED.failed, locked_until = EXCLUDED.locked_until, updated_at = EXCLUDED.updated_at`,
        [nameHash, until ? 0 : failed, until, now],
      );
      const why = !u ? 'no such user' : !u.password_hash || u.disabled ? 'disabled or no password' : 'wrong password';
      await appendAudit(q, { actor: who, action: 'auth.login', subject, outcome: 'failed', detail: { why: until ? `${why}; locked after ${failed} failures` : `${why} (${failed})` } });
    });
    throw new DomainError('UNAUTHENTICATED', '用户名或密码错误', 'wrong username or password');
  }
  const token = newToken('kxs_');
  const expiresAt = new Date(now.getTime() + ctx.config.sessionHours * 3_600_000);
  await ctx.db.tx(async (q) => {
    await q.query('DELETE FROM login_failures WHERE name_hash = $1', [nameHash]);
    await q.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [u.id]);
    await q.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), u.id, expiresAt]);
    await appendAudit(q, { actor: `user:${u.id}:${u.role}`, action: 'auth.login', subject: `user:${u.id}` });
  });
  const { id, username: un, display_name, role, department, entity_id, email, disabled } = u;
  return { token, expiresAt, user: { id, username: un, display_name, role, department, entity_id, email, disabled } };
}

function lockedError(until: Date, now: Date): DomainError {
  const at = shanghaiTime(until);
  return new DomainError(
    'LOCKED',
    `登录失败次数过多，该用户名已锁定至 ${at}（北京时间），请稍后再试`,
    `too many failed logins; this username is locked until ${at} (Beijing time, UTC+8); try again later`,
    undefined,
    { locked_until: until.toISOString(), retry_after: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) },
  );
}

/** A session for a user who authenticated elsewhere (OpenID Connect). */
export async function openSession(ctx: Ctx, userId: string, via: string): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken('kxs_');
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.sessionHours * 3_600_000);
  await ctx.db.tx(async (q) => {
    await q.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [sha256(token), userId, expiresAt]);
    await appendAudit(q, { actor: `user:${userId}`, action: 'auth.login', subject: `user:${userId}`, detail: { via } });
  });
  return { token, expiresAt };
}

export async function logout(ctx: Ctx, token: string): Promise<void> {
  await ctx.db.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
  await forgetSessions(ctx, { token });
}

export async function getUser(q: Queryable, id: string): Promise<UserRow> {
  const r = await q.query<UserRow>(`SELECT ${USER_COLS} FROM users WHERE id = $1`, [id]);
  if (!r.rows[0]) throw notFound('用户', id);
  return r.rows[0];
}

export async function listUsers(ctx: Ctx): Promise<UserRow[]> {
  return (await ctx.db.query<UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY users.id`)).rows;
}

export interface NewUser {
  username: string;
  display_name: string;
  role: Role;
  password?: string;
  department?: string;
  entity_id?: string;
  email?: string;
  oidc_subject?: string;
}

export function checkPassword(pw: string): void {
  if (pw.length < 10 || !/[A-Za-z]/.test(pw) || !/\d/.test(pw))
    throw badInput('password', '密码至少 10 位，且须包含字母和数字', 'password must have at least 10 characters with letters and digits');
}

export async function createUser(ctx: Ctx, q: Queryable, u: NewUser, by: Principal | undefined): Promise<UserRow> {
  if (!ROLES.includes(u.role)) throw badInput('role', `角色 "${u.role}" 无效`, `invalid role "${u.role}"`);
  if (DEPARTMENT_ROLES.includes(u.role) && !u.department) throw badInput('department', `${u.role} 角色必须属于一个部门`, `a ${u.role} must belong to a department`);
  if (ENTITY_ROLES.includes(u.role) && !u.entity_id) throw badInput('entity_id', `${u.role} 角色必须关联一个主体`, `a ${u.role} must be linked to an entity`);
  if (u.password) checkPassword(u.password);
  if (u.department) {
    const d = await q.query('SELECT 1 FROM departments WHERE code = $1', [u.department]);
    if (!d.rows.length) throw badInput('department', `部门 "${u.department}" 不存在`, `no department "${u.department}"`);
  }
  const exists = await q.query('SELECT 1 FROM users WHERE username = $1', [u.username]);
  if (exists.rows.length) throw new DomainError('CONFLICT', `用户名 "${u.username}" 已存在`, `username "${u.username}" is taken`, 'username');
  const pw = u.password ? await hash(u.password) : null;
  const r = await q.query<UserRow>(
    `INSERT INTO users (username, display_name, role, department, entity_id, password_hash, email, oidc_subject)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${USER_COLS}`,
    [u.username, u.display_name, u.role, u.department ?? null, u.entity_id ?? null, pw, u.email ?? null, u.oidc_subject ?? null],
  );
  await appendAudit(q, { actor: by ? `user:${by.userId}:${by.role}` : 'system', action: 'user.create', subject: `user:${r.rows[0].id}`, detail: { role: u.role, department: u.department ?? null } });
  return r.rows[0];
}

/**
 * An administrator locks an account (it can no longer log in, its sessions end at once) or
 * unlocks it (which also clears a lockout after failed logins). Nobody locks themselves out.
 */
export async function setUserLocked(q: Queryable, id: string, locked: boolean, by: Principal, nameHash?: (username: string) => string): Promise<UserRow> {
  if (!/^\d{1,18}$/.test(id)) throw notFound('用户', id);
  if (locked && by.userId === id) throw badInput('locked', '不能锁定自己的账号', 'you cannot lock your own account');
  const r = await q.query<UserRow>(`UPDATE users SET disabled = $2, failed_logins = 0, locked_until = NULL WHERE id = $1 RETURNING ${USER_COLS}`, [id, locked]);
  if (!r.rows[0]) throw notFound('用户', id);
  if (locked) await q.query('DELETE FROM sessions WHERE user_id = $1', [id]);
  // Unlocking also ends a lockout after failed logins (counted per username hash).
  if (nameHash) await q.query('DELETE FROM login_failures WHERE name_hash = $1', [nameHash(r.rows[0].username)]);
  await appendAudit(q, { actor: `user:${by.userId}:${by.role}`, action: locked ? 'user.lock' : 'user.unlock', subject: `user:${id}` });
  return r.rows[0];
}

export async function createApiToken(ctx: Ctx, name: string, source: string, by: Principal): Promise<{ id: string; token: string }> {
  if (!ctx.dict.sources.has(source)) throw badInput('source', `数据源 "${source}" 不存在；可选：${[...ctx.dict.sources.keys()].join('、')}`, `unknown source system "${source}"`);
  const token = newToken('kxt_');
  return ctx.db.tx(async (q) => {
    const r = await q.query<{ id: string }>('INSERT INTO api_tokens (token_hash, name, source, created_by) VALUES ($1, $2, $3, $4) RETURNING id::text AS id', [sha256(token), name, source, by.userId]);
    await appendAudit(q, { actor: `user:${by.userId}:${by.role}`, action: 'token.create', subject: `token:${r.rows[0].id}`, detail: { source } });
    return { id: r.rows[0].id, token };
  });
}

/** The source tokens, newest first — never their secrets (only a hash is stored anyway). */
export async function listApiTokens(q: Queryable): Promise<ApiToken[]> {
  const r = await q.query<{ id: string; name: string; source: string; created_at: Date; created_by: string | null; last_used_at: Date | null; revoked_at: Date | null }>(
    `SELECT t.id::text AS id, t.name, t.source, t.created_at, u.username AS created_by, t.last_used_at, t.revoked_at
       FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by ORDER BY t.id DESC`,
  );
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return r.rows.map((t) => ({ ...t, created_at: new Date(t.created_at).toISOString(), last_used_at: iso(t.last_used_at), revoked_at: iso(t.revoked_at) }));
}

export async function revokeApiToken(ctx: Ctx, id: string, by: Principal): Promise<void> {
  await ctx.db.tx(async (q) => {
    const r = await q.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
    if (!r.rowCount) throw notFound('令牌', id);
    await appendAudit(q, { actor: `user:${by.userId}:${by.role}`, action: 'token.revoke', subject: `token:${id}` });
  });
}
