// Who may call a route, declared on the route itself (config.access) and enforced in one
// hook. The permission tests enumerate every route and every role from these declarations.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';

export const ROLES = ['enterprise', 'resident', 'clerk', 'approver', 'payout', 'admin', 'leader'] as const;
export type Role = (typeof ROLES)[number];

/** Staff of a department act only on that department's items and applications. */
export const DEPARTMENT_ROLES: readonly Role[] = ['clerk', 'approver', 'payout'];
/** An enterprise or resident sees only its own data. */
export const ENTITY_ROLES: readonly Role[] = ['enterprise', 'resident'];

export type Access =
  | 'public' // anyone, no login
  | 'user' // any logged-in user
  | 'source' // a source system's API token
  | readonly Role[]; // these roles only

export interface Principal {
  kind: 'user' | 'source';
  userId?: string;
  username?: string;
  role?: Role;
  department?: string;
  entityId?: string;
  /** For API tokens: the source system they speak for. */
  source?: string;
  tokenId?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function actorOf(p: Principal | undefined): string {
  if (!p) return 'anonymous';
  return p.kind === 'source' ? `source:${p.source}#${p.tokenId}` : `user:${p.userId}:${p.role}`;
}

/** Throws unless the principal may call a route with this access. */
export function checkAccess(access: Access | undefined, p: Principal | undefined): void {
  const a = access ?? 'user';
  if (a === 'public') return;
  if (!p) throw new DomainError('UNAUTHENTICATED', '请先登录', 'login required');
  if (a === 'source') {
    if (p.kind !== 'source') throw new DomainError('FORBIDDEN', '此接口仅供数据源系统调用', 'for source systems only');
    return;
  }
  if (p.kind !== 'user') throw new DomainError('FORBIDDEN', '数据源令牌不能调用此接口', 'source tokens cannot call this route');
  if (a === 'user') return;
  if (!p.role || !a.includes(p.role)) throw new DomainError('FORBIDDEN', `角色 ${p.role} 无权调用此接口`, `role ${p.role} may not call this route`);
}

export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new DomainError('UNAUTHENTICATED', '请先登录', 'login required');
  return req.principal;
}

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
