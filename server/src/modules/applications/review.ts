// Department review: approve, return for correction, reject — one step at a time, each
// decision in one transaction with its events, notices and audit entry. The application row
// is locked first, so two reviewers deciding parallel steps at once are serialised and the
// one who completes the stage opens the next (or approves the application) exactly once.
import { dec, evaluateItem, parseDate } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { badInput, DomainError, notFound } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { settleAgainstGrants } from '../grants/modes.ts';
import { loadCalendar } from './calendar.ts';
import { eventKey, notifyApplicant, recordEvent } from './events.ts';
import { lastStage, openStage } from './flow.ts';
import { formEntity, formFieldsOf } from './form.ts';
import { decideStep, findStep, getApplication, haltSteps, iso, listSteps, loadItem, setStatus, type AppRow, type Corrections, type StepRow } from './repo.ts';
import { guarded, requireFourEyes, requireReviewer } from './rules.ts';
import { applicationView, STATUS_LABEL, type ApplicationView } from './view.ts';

type Decision = 'approve' | 'return' | 'reject';
const DONE: Record<Decision, StepRow['status']> = { approve: 'approved', return: 'returned', reject: 'rejected' };

interface Locked {
  app: AppRow;
  steps: StepRow[];
  step: StepRow;
}

async function lockStep(q: Queryable, stepId: string): Promise<Locked> {
  const found = await findStep(q, stepId);
  if (!found) throw notFound('审核环节', stepId);
  const app = await getApplication(q, found.application_id, true);
  const steps = await listSteps(q, app.id);
  return { app, steps, step: steps.find((s) => s.id === stepId)! };
}

/**
 * Common to every decision: the reviewer's department and role, and the state. A request
 * repeated after it succeeded (same reviewer, same decision) answers with the current state.
 */
async function decide(ctx: Ctx, by: Principal, stepId: string, decision: Decision, act: (q: Queryable, l: Locked, now: Date) => Promise<void>): Promise<ApplicationView> {
  return guarded(ctx, by, `application.step.${decision}`, `application_step:${stepId}`, async (q) => {
    const l = await lockStep(q, stepId);
    requireReviewer(by, l.step, decision, l.step.stage === lastStage(l.steps));
    if (l.step.status === DONE[decision] && l.step.decided_by === by.userId) return applicationView(ctx, q, l.app, { steps: l.steps });
    if (l.step.status !== 'open' || (l.app.status !== 'submitted' && l.app.status !== 'in_review'))
      throw new DomainError('INVALID_STATE', `审核环节「${l.step.name}」当前不在审核中（申请状态：${STATUS_LABEL[l.app.status]}）`, `step "${l.step.name}" is not open for review (application ${l.app.status}, step ${l.step.status})`);
    await act(q, l, ctx.now());
    return applicationView(ctx, q, await getApplication(q, l.app.id));
  });
}

export function approveStep(ctx: Ctx, by: Principal, stepId: string, note?: string): Promise<ApplicationView> {
  return decide(ctx, by, stepId, 'approve', async (q, { app, steps, step }, now) => {
    requireFourEyes(by, step, steps);
    await decideStep(q, step.id, 'approved', by.userId!, now, note ?? null);
    await recordEvent(q, app, 'step_done', eventKey(app.id, 'step', step.seq, 'done', step.round), now, {
      step: step.name, department: step.department, detail: { step_id: step.id, round: step.round, deadline: step.deadline },
    });
    await notifyApplicant(q, app, { kind: 'application.step_done', title: `审核环节已通过：${step.name}`, body: `您的申请（编号 ${app.id}）已通过「${step.name}」。`, causeKey: eventKey(app.id, 'step', step.seq, 'done', step.round) }, now);
    await appendAudit(q, { actor: actorOf(by), action: 'application.step.approve', subject: `application:${app.id}`, detail: { step: step.id, seq: step.seq, round: step.round } });
    const after = steps.map((s) => (s.id === step.id ? { ...s, status: 'approved' as const } : s));
    if (after.some((s) => s.stage === step.stage && s.status !== 'approved')) {
      await setStatus(q, app.id, 'in_review', now);
      return;
    }
    const next = after.filter((s) => s.stage > step.stage).map((s) => s.stage);
    if (next.length) {
      await setStatus(q, app.id, 'in_review', now);
      await openStage(q, app, after, Math.min(...next), await loadCalendar(q), now, ctx.today());
      return;
    }
    await finalApproval(ctx, q, app, by, now);
  });
}

/** The last stage approved: the amount is computed by the engine from the submitted facts. */
async function finalApproval(ctx: Ctx, q: Queryable, app: AppRow, by: Principal, now: Date): Promise<void> {
  const item = await loadItem(q, app.item_id, app.item_version);
  const day = iso(app.submitted_at)!.slice(0, 10);
  const v = evaluateItem(item, formEntity(ctx, app.entity_kind, app.form), ctx.dict, parseDate(day)!, { explain: false, counterfactuals: false });
  if (v.verdict !== 'eligible' || (item.amount && !v.amount?.value))
    throw new DomainError('INVALID_STATE', `按申请表信息已不能核定为符合条件（${v.verdict}），请退回补正`, `the form no longer settles the verdict as eligible (${v.verdict}); return it for correction`);
  const computed = v.amount?.value ?? null;
  // 从高不重复 across modes: a lower auto grant of the group is superseded or deducted (grants/modes.ts).
  const settled = item.stacking_group && computed !== null ? await settleAgainstGrants(q, app, item.stacking_group, computed, now, actorOf(by)) : undefined;
  const amount = settled ? settled.pay : computed;
  await setStatus(q, app.id, 'approved', now, { decided: true, amount, reason: null });
  if (settled && settled.pay !== dec(computed!).toFixed(2)) await q.query('UPDATE applications SET item_amount = $2 WHERE id = $1', [app.id, computed]);
  await recordEvent(q, app, 'approved', eventKey(app.id, 'approved'), now, { detail: { amount, unit: item.amount_unit ?? null, ...(settled?.superseded.length || settled?.deducted !== '0.00' ? { item_amount: computed, superseded_grants: settled?.superseded, deducted: settled?.deducted } : {}) } });
  const less = settled && settled.deducted !== '0.00' ? `（同组已发放的免申即享 ${settled.deducted} 元已扣除）` : '';
  const money = amount === null ? '' : `，核定金额 ${amount}${item.amount_unit ?? '元'}${less}`;
  await notifyApplicant(q, app, { kind: 'application.approved', title: `申请已批准：${item.title}`, body: `您的申请（编号 ${app.id}）已审核通过${money}。`, causeKey: eventKey(app.id, 'approved') }, now);
  await appendAudit(q, { actor: actorOf(by), action: 'application.approve', subject: `application:${app.id}`, detail: { amount } });
}

export interface ReturnInput {
  reason: string;
  fields?: string[];
  materials?: string[];
  /** 补充材料: documents the item does not list, asked of this application only */
  extra_materials?: string[];
}

export function returnStep(ctx: Ctx, by: Principal, stepId: string, input: ReturnInput): Promise<ApplicationView> {
  return decide(ctx, by, stepId, 'return', async (q, { app, step }, now) => {
    const item = await loadItem(q, app.item_id, app.item_version);
    const formFields = new Set(formFieldsOf(item));
    const c: Corrections = { fields: [...new Set(input.fields ?? [])], materials: [...new Set(input.materials ?? [])] };
    c.fields.forEach((f, i) => {
      if (!formFields.has(f)) throw badInput(`fields[${i}]`, `字段 "${f}" 不在申请表中`, `"${f}" is not on the form`);
    });
    c.materials.forEach((m, i) => {
      if (!app.materials.some((x) => x.name === m)) throw badInput(`materials[${i}]`, `材料「${m}」不是本事项的申请材料（其他材料请列为补充材料）`, `"${m}" is not a material of this item (name other documents as extra materials)`);
    });
    // 补充材料 become required slots of this application: the applicant uploads them, resubmission waits for them.
    const extra = [...new Set((input.extra_materials ?? []).map((m) => m.trim()).filter(Boolean))].filter((m) => !c.materials.includes(m));
    if (extra.length) {
      const slots = [...app.materials.filter((x) => !extra.includes(x.name)), ...extra.map((name) => app.materials.find((x) => x.name === name) ?? { name, required: true, supplementary: true })];
      await q.query('UPDATE applications SET materials = $2 WHERE id = $1', [app.id, JSON.stringify(slots)]);
      c.materials.push(...extra);
    }
    await decideStep(q, step.id, 'returned', by.userId!, now, input.reason, c);
    await haltSteps(q, app.id, 'waiting', step.id);
    await setStatus(q, app.id, 'returned', now, { reason: input.reason });
    const key = eventKey(app.id, 'returned', app.round);
    await recordEvent(q, app, 'returned', key, now, { step: step.name, department: step.department, detail: { step_id: step.id, round: app.round, reason: input.reason, ...c } });
    const what = [...c.fields.map((f) => `「${ctx.dict.fields.get(f)?.label.zh ?? f}」`), ...c.materials.map((m) => `材料「${m}」`)];
    await notifyApplicant(q, app, {
      kind: 'application.returned', title: `申请被退回补正：${item.title}`,
      body: `「${step.name}」退回了您的申请（编号 ${app.id}）。原因：${input.reason}${what.length ? `。请补正：${what.join('、')}` : ''}。补正后请重新提交。`, causeKey: key,
    }, now);
    await appendAudit(q, { actor: actorOf(by), action: 'application.step.return', subject: `application:${app.id}`, detail: { step: step.id, fields: c.fields, materials: c.materials } });
  });
}

export function rejectStep(ctx: Ctx, by: Principal, stepId: string, reason: string): Promise<ApplicationView> {
  return decide(ctx, by, stepId, 'reject', async (q, { app, step }, now) => {
    const item = await loadItem(q, app.item_id, app.item_version);
    await decideStep(q, step.id, 'rejected', by.userId!, now, reason);
    await haltSteps(q, app.id, 'cancelled', step.id);
    await setStatus(q, app.id, 'rejected', now, { reason, decided: true });
    await recordEvent(q, app, 'rejected', eventKey(app.id, 'rejected'), now, { step: step.name, department: step.department, detail: { step_id: step.id, reason } });
    await notifyApplicant(q, app, { kind: 'application.rejected', title: `申请未获批准：${item.title}`, body: `您的申请（编号 ${app.id}）在「${step.name}」未获批准。原因：${reason}`, causeKey: eventKey(app.id, 'rejected') }, now);
    await appendAudit(q, { actor: actorOf(by), action: 'application.reject', subject: `application:${app.id}`, detail: { step: step.id } });
  });
}
