// The review workflow of an item version (R1, R12):
//   draft → submitted → approved → published → superseded | expired | withdrawn
//              ↘ rejected (back to the author, editable, resubmittable)
// Submitting is the department's clerks' (or approvers') work; approving, rejecting,
// publishing and withdrawing are its approvers', and whoever wrote or submitted a version
// may not approve it (四眼原则). Publishing runs the item's cases and refuses on any failure.
import { runItemCases, validateItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError, notFound } from '../../errors.ts';
import type { Principal, Role } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { enqueue } from '../jobs/queue.ts';
import { getItemRow, getVersionRow, setPublishedVersion, setStatus, type ItemRow, type Status, type VersionRow } from './repo.ts';
import { actor, guarded, requireDepartmentRole, subjectOf } from './rules.ts';
import type { VersionMeta } from './schema.ts';

export const MATCH_QUEUE = 'match.item';
export const matchJobKey = (id: string, version: number) => `match.item:${id}:${version}`;

const STATUS_ZH: Record<Status, string> = {
  draft: '草稿', submitted: '待审核', approved: '已审核', published: '已发布', superseded: '已被新版本取代', expired: '已到期', withdrawn: '已撤回', rejected: '已退回',
};

interface Step {
  action: 'submit' | 'approve' | 'reject' | 'publish' | 'withdraw';
  roles: readonly Role[];
  from: readonly Status[];
  to: Status;
  what: { zh: string; en: string };
}

const STEPS: Record<Step['action'], Step> = {
  submit: { action: 'submit', roles: ['clerk', 'approver'], from: ['draft', 'rejected'], to: 'submitted', what: { zh: '提交该部门的事项', en: 'submit this department\'s items' } },
  approve: { action: 'approve', roles: ['approver'], from: ['submitted'], to: 'approved', what: { zh: '审核通过该部门的事项', en: 'approve this department\'s items' } },
  reject: { action: 'reject', roles: ['approver'], from: ['submitted', 'approved'], to: 'rejected', what: { zh: '退回该部门的事项', en: 'reject this department\'s items' } },
  publish: { action: 'publish', roles: ['approver'], from: ['approved'], to: 'published', what: { zh: '发布该部门的事项', en: 'publish this department\'s items' } },
  withdraw: { action: 'withdraw', roles: ['approver'], from: ['published'], to: 'withdrawn', what: { zh: '撤回该部门的事项', en: 'withdraw this department\'s items' } },
};

function invalidState(id: string, v: VersionMeta, step: Step): DomainError {
  return new DomainError(
    'INVALID_STATE',
    `事项 ${id} 第 ${v.version} 版当前为「${STATUS_ZH[v.status]}」，只有${step.from.map((s) => `「${STATUS_ZH[s]}」`).join('或')}的版本可以${step.what.zh.replace('该部门的事项', '')}`,
    `item ${id} version ${v.version} is ${v.status}; only a version that is ${step.from.join(' or ')} can be ${step.to}`,
    'version',
  );
}

async function target(q: Queryable, id: string, version: number | undefined, step: Step, by: Principal): Promise<{ row: ItemRow; v: VersionRow }> {
  const row = await getItemRow(q, id, true);
  if (!row) throw notFound('事项', id);
  requireDepartmentRole(by, row.department, step.roles, step.what);
  const n = version ?? (step.action === 'withdraw' ? row.published_version : row.latest_version);
  if (n === null) throw new DomainError('INVALID_STATE', `事项 ${id} 没有已发布的版本`, `item ${id} has no published version`, 'version');
  const v = await getVersionRow(q, id, n);
  if (!v) throw notFound('事项版本', `${id}@${n}`);
  return { row, v };
}

function fourEyes(by: Principal, v: VersionMeta): void {
  if (by.userId === v.submitted_by || by.userId === v.created_by)
    throw new DomainError('FORBIDDEN', '四眼原则：起草或提交该版本的人不能审核它，请由本部门另一位审核人处理', 'four-eyes rule: whoever wrote or submitted a version may not review it; another approver of the department must');
}

/**
 * The publication itself, inside the caller's transaction: the version in force before
 * becomes superseded, the item points at the new one, and one match job is enqueued (its
 * key makes a repeated publication enqueue nothing new).
 */
export async function putInForce(q: Queryable, row: ItemRow, version: number, now: Date, enqueueMatch = true): Promise<{ jobId: string | null; previous: number | null }> {
  const previous = row.published_version !== null && row.published_version !== version ? row.published_version : null;
  if (previous !== null) {
    const prev = await getVersionRow(q, row.id, previous);
    if (prev?.status === 'published') await setStatus(q, row.id, previous, { status: 'superseded', ended: true }, now);
  }
  await setPublishedVersion(q, row.id, version);
  const jobId = enqueueMatch ? await enqueue(q, MATCH_QUEUE, { item_id: row.id, version, previous_version: previous }, { key: matchJobKey(row.id, version) }) : null;
  return { jobId, previous };
}

export function checkCases(ctx: Ctx, v: VersionRow): void {
  const problems = validateItem(v.body, ctx.dict);
  if (problems.length) throw new DomainError('BAD_INPUT', problems[0].zh, problems[0].en, 'item', { errors: problems.map((e) => ({ message: e.zh, message_en: e.en })) });
  const failed = runItemCases(v.body, ctx.dict).filter((r) => !r.passed);
  if (failed.length)
    throw new DomainError(
      'CASES_FAILED',
      `测试用例未通过，不能发布：${failed.map((f) => `「${f.case}」`).join('、')}`,
      `test cases failed, not published: ${failed.map((f) => `"${f.case}"`).join(', ')}`,
      'cases',
      { failures: failed.map((f) => ({ case: f.case, failures: f.failures })) },
    );
}

export interface TransitionInput {
  version?: number;
  reason?: string;
}

async function transition(ctx: Ctx, by: Principal, id: string, input: TransitionInput, step: Step): Promise<VersionMeta & { match_job_id?: string }> {
  const action = `item.${step.action}`;
  // The version is known only once the item is read; a refusal is audited against it.
  let subject = subjectOf(id, input.version);
  return guarded(ctx, by, action, () => subject, async (q) => {
    const { row, v } = await target(q, id, input.version, step, by);
    subject = subjectOf(id, v.version);
    const now = ctx.now();
    if (step.action === 'publish' && v.status === 'published') {
      // A retried publication: already done; answer as the first time did.
      const { jobId } = await putInForce(q, row, v.version, now);
      const { body: _b, ...meta } = v;
      void _b;
      return { ...meta, match_job_id: jobId! };
    }
    if (!step.from.includes(v.status)) throw invalidState(id, v, step);
    if (step.action === 'approve' || step.action === 'reject') fourEyes(by, v);
    if (step.action === 'submit') {
      const problems = validateItem(v.body, ctx.dict);
      if (problems.length) throw new DomainError('BAD_INPUT', problems[0].zh, problems[0].en, 'item');
    }
    if (step.action === 'publish') checkCases(ctx, v);
    const meta = await setStatus(q, id, v.version, {
      status: step.to,
      ...(step.action === 'submit' ? { submitted_by: by.userId } : {}),
      ...(step.action === 'approve' ? { approved_by: by.userId } : {}),
      ...(step.action === 'publish' ? { published: true } : {}),
      ...(step.action === 'withdraw' ? { ended: true } : {}),
      ...(input.reason !== undefined ? { note: input.reason } : {}),
    }, now);
    let extra: { match_job_id?: string } = {};
    let previous: number | null = null;
    if (step.action === 'publish') {
      const r = await putInForce(q, row, v.version, now);
      extra = { match_job_id: r.jobId! };
      previous = r.previous;
    }
    if (step.action === 'withdraw') await setPublishedVersion(q, id, null);
    await appendAudit(q, {
      actor: actor(by), action, subject,
      detail: { from: v.status, to: step.to, ...(input.reason !== undefined ? { reason: input.reason } : {}), ...(previous !== null ? { superseded: previous } : {}) },
    });
    return { ...meta, ...extra };
  });
}

export const submit = (ctx: Ctx, by: Principal, id: string, input: TransitionInput = {}) => transition(ctx, by, id, input, STEPS.submit);
export const approve = (ctx: Ctx, by: Principal, id: string, input: TransitionInput = {}) => transition(ctx, by, id, input, STEPS.approve);
export const reject = (ctx: Ctx, by: Principal, id: string, input: TransitionInput & { reason: string }) => transition(ctx, by, id, input, STEPS.reject);
export const withdraw = (ctx: Ctx, by: Principal, id: string, input: TransitionInput & { reason: string }) => transition(ctx, by, id, input, STEPS.withdraw);
export async function publish(ctx: Ctx, by: Principal, id: string, input: TransitionInput = {}): Promise<VersionMeta & { match_job_id: string }> {
  const r = await transition(ctx, by, id, input, STEPS.publish);
  return { ...r, match_job_id: r.match_job_id! };
}
