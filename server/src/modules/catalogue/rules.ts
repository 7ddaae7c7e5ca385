// Who may do what with an item (R12: one set of management rules for every department).
// A department's clerks and approvers act only on that department's items; admins read
// everything; everyone else reads what has been in force. A refusal is audited — after
// the refused transaction has rolled back, so the audit row is not lost with it.
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError } from '../../errors.ts';
import { actorOf, DEPARTMENT_ROLES, type Principal, type Role } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';

export function isStaffOf(p: Principal | undefined, department: string): boolean {
  return !!p && p.kind === 'user' && !!p.role && DEPARTMENT_ROLES.includes(p.role) && p.department === department;
}

/** Staff of the owning department and admins see drafts and every version. */
export function seesAllVersions(p: Principal | undefined, department: string): boolean {
  return isStaffOf(p, department) || (p?.kind === 'user' && p.role === 'admin');
}

/** Throws FORBIDDEN unless p is one of `roles` in `department`. */
export function requireDepartmentRole(p: Principal, department: string, roles: readonly Role[], what: { zh: string; en: string }): void {
  if (p.kind === 'user' && p.role && roles.includes(p.role) && p.department === department) return;
  throw new DomainError(
    'FORBIDDEN',
    `只有 ${department} 的${roles.map((r) => ROLE_ZH[r] ?? r).join('或')}可以${what.zh}`,
    `only a ${roles.join(' or ')} of ${department} may ${what.en}`,
  );
}

const ROLE_ZH: Partial<Record<Role, string>> = { clerk: '经办人', approver: '审核人', payout: '兑付人员', admin: '管理员' };

export const actor = (p: Principal | undefined): string => (p ? actorOf(p) : 'system');

/**
 * Runs fn in one transaction. A FORBIDDEN refusal is audited as denied and a publication
 * refused by its cases as failed, outside the transaction (which has rolled back by then; PGlite has one connection, so not inside it).
 */
export async function guarded<T>(ctx: Ctx, p: Principal | undefined, action: string, subject: string | (() => string), fn: (q: Queryable) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.tx(fn);
  } catch (e) {
    if (e instanceof DomainError && (e.code === 'FORBIDDEN' || e.code === 'CASES_FAILED'))
      await appendAudit(ctx.db, { actor: actor(p), action, subject: typeof subject === 'string' ? subject : subject(), outcome: e.code === 'FORBIDDEN' ? 'denied' : 'failed', detail: { reason: e.en } });
    throw e;
  }
}

/** The audit subject of a version. */
export const subjectOf = (id: string, version?: number) => (version === undefined ? `item:${id}` : `item:${id}@${version}`);
