// Who may see and do what with an application (object-level rules; route roles are declared
// on the routes). The applicant entity's own users act on it; the departments of its review
// steps and the item's department read it, and their parent (city) departments, which are
// told of escalations; admins read it. A step is decided only by its own department:
// clerks do the preliminary steps (初审) and return for correction, approvers also decide the
// last stage and reject. Refusals are audited after the refused transaction rolled back.
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError } from '../../errors.ts';
import { actorOf, ENTITY_ROLES, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import type { AppRow, StepRow } from './repo.ts';

export const REVIEW_ROLES = ['clerk', 'approver'] as const;
export const STAFF_ROLES = ['clerk', 'approver', 'payout'] as const;

export function isApplicant(by: Principal, app: Pick<AppRow, 'entity_id'>): boolean {
  return by.kind === 'user' && !!by.role && ENTITY_ROLES.includes(by.role) && by.entityId === app.entity_id;
}

export function requireApplicant(by: Principal, app: Pick<AppRow, 'entity_id' | 'id'>): void {
  if (!isApplicant(by, app)) throw new DomainError('FORBIDDEN', `只有申请主体本人可以办理申请 ${app.id}`, `only the applicant may act on application ${app.id}`);
}

/** Departments that may read the application. */
export async function readerDepartments(q: Queryable, app: Pick<AppRow, 'department'>, steps: Pick<StepRow, 'department'>[]): Promise<Set<string>> {
  const own = [...new Set([app.department, ...steps.map((s) => s.department)])];
  const r = await q.query<{ parent: string }>('SELECT parent FROM departments WHERE code = ANY($1) AND parent IS NOT NULL', [own]);
  return new Set([...own, ...r.rows.map((x) => x.parent)]);
}

export async function requireReader(q: Queryable, by: Principal, app: AppRow, steps: StepRow[]): Promise<void> {
  if (isApplicant(by, app) || (by.kind === 'user' && by.role === 'admin')) return;
  if (by.kind === 'user' && by.department && (STAFF_ROLES as readonly string[]).includes(by.role ?? '') && (await readerDepartments(q, app, steps)).has(by.department)) return;
  throw new DomainError('FORBIDDEN', `无权查看申请 ${app.id}`, `not allowed to see application ${app.id}`);
}

/** Why `by` may not decide this step with this kind of decision, or null when they may. */
export function whyNotReviewer(by: Pick<Principal, 'kind' | 'role' | 'department'>, step: StepRow, decision: 'approve' | 'return' | 'reject', finalStage: boolean): DomainError | null {
  if (by.kind !== 'user' || !by.role || !(REVIEW_ROLES as readonly string[]).includes(by.role) || by.department !== step.department)
    return new DomainError('FORBIDDEN', `审核环节「${step.name}」由 ${step.department} 办理，您无权处理`, `step "${step.name}" belongs to ${step.department}; you may not act on it`);
  if (by.role === 'approver') return null;
  if (decision === 'reject') return new DomainError('FORBIDDEN', '不予批准须由审核人决定，经办人可退回补正', 'only an approver may reject; a clerk may return for correction');
  if (decision === 'approve' && finalStage) return new DomainError('FORBIDDEN', `「${step.name}」是终审环节，须由审核人批准`, `"${step.name}" is the final stage; only an approver may approve it`);
  return null;
}

/** Throws unless `by` may decide this step, with this kind of decision. */
export function requireReviewer(by: Principal, step: StepRow, decision: 'approve' | 'return' | 'reject', finalStage: boolean): void {
  const no = whyNotReviewer(by, step, decision, finalStage);
  if (no) throw no;
}

/**
 * Four eyes: whoever decided a step of the stage just before may not approve this one, so no
 * single person carries an application through two consecutive stages.
 */
export function whyNotFourEyes(userId: string | undefined, step: StepRow, steps: StepRow[]): DomainError | null {
  const prev = steps.filter((s) => s.stage === step.stage - 1 && s.status === 'approved' && s.decided_by === userId);
  return prev.length
    ? new DomainError('FORBIDDEN', `四眼原则：您已审核通过上一环节「${prev[0].name}」，本环节须由他人审核`, `four eyes: you approved the previous step "${prev[0].name}"; someone else must decide this one`)
    : null;
}

export function requireFourEyes(by: Principal, step: StepRow, steps: StepRow[]): void {
  const no = whyNotFourEyes(by.userId, step, steps);
  if (no) throw no;
}

/** Why `by` may not approve this step (role, department, final stage, four eyes), or null. */
export function whyNotApprove(by: Pick<Principal, 'kind' | 'role' | 'department' | 'userId'>, step: StepRow, steps: StepRow[], finalStage: boolean): DomainError | null {
  return whyNotReviewer(by, step, 'approve', finalStage) ?? whyNotFourEyes(by.userId, step, steps);
}

/** Runs fn in one transaction; a refusal (FORBIDDEN) is audited as denied once it has rolled back. */
export async function guarded<T>(ctx: Ctx, by: Principal | undefined, action: string, subject: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.tx(fn);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'FORBIDDEN') await appendAudit(ctx.db, { actor: by ? actorOf(by) : 'system', action, subject, outcome: 'denied', detail: { reason: e.en } });
    throw e;
  }
}
