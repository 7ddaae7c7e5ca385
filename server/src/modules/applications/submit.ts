// Submission: the form must settle the verdict as eligible (and the amount, where the item
// pays one), every required material that no source holds must be uploaded, and after a
// return every correction asked for must be made. Otherwise the refusal lists what is
// missing. The first submission opens the first stage; a resubmission resumes the review at
// the stage that returned it, with fresh deadlines (补正期间不计入承诺时限).
import { conditionsOf, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { badInput, DomainError } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { assertNoHigherGrant } from '../grants/modes.ts';
import { loadCalendar } from './calendar.ts';
import { eventKey, notifyApplicant, recordEvent } from './events.ts';
import { countyDepartments, insertSteps, openStage, planSteps } from './flow.ts';
import { evidenceOf, formEntity, PAYMENT_FIELD, type Evidence } from './form.ts';
import { currentMaterials, getApplication, iso, listSteps, loadItem, type AppRow, type MaterialRow, type StepRow } from './repo.ts';
import { guarded, requireApplicant } from './rules.ts';
import { applicationView, STATUS_LABEL, type ApplicationView } from './view.ts';

export interface Problems {
  missing_facts: { field: string; label: string }[];
  failed_conditions: string[];
  missing_materials: string[];
  corrections: string[];
}

export function submissionProblems(ctx: Ctx, app: AppRow, item: PolicyItem, evidence: Evidence, uploads: MaterialRow[], steps: StepRow[]): Problems {
  const p: Problems = { missing_facts: [], failed_conditions: [], missing_materials: [], corrections: [] };
  if (evidence.verdict === 'undetermined' || (evidence.verdict === 'eligible' && item.amount && evidence.amount === null)) p.missing_facts = [...evidence.missing];
  if (item.amount && !app.form.fields[PAYMENT_FIELD]) p.missing_facts.push({ field: PAYMENT_FIELD, label: ctx.dict.fields.get(PAYMENT_FIELD)?.label.zh ?? PAYMENT_FIELD });
  if (evidence.verdict === 'ineligible')
    p.failed_conditions = evidence.explanation ? conditionsOf(evidence.explanation).filter((c) => c.result === 'F').map((c) => c.text.zh) : ['不在政策有效期内'];
  for (const m of app.materials) if (m.required && !m.provided_by_source && !uploads.some((u) => u.material === m.name)) p.missing_materials.push(m.name);
  for (const s of steps.filter((x) => x.status === 'returned' && x.corrections)) {
    const since = s.decided_at ? new Date(s.decided_at).getTime() : 0;
    for (const f of s.corrections!.fields) {
      const v = app.form.fields[f];
      if (!v?.declared_at || new Date(v.declared_at).getTime() <= since) p.corrections.push(`申请表「${ctx.dict.fields.get(f)?.label.zh ?? f}」`);
    }
    for (const name of s.corrections!.materials) {
      const u = uploads.find((x) => x.material === name);
      if (!u || new Date(u.uploaded_at).getTime() <= since) p.corrections.push(`材料「${name}」`);
    }
  }
  return p;
}

function refuse(ctx: Ctx, p: Problems): DomainError {
  const parts = [
    p.missing_facts.length ? `缺少信息：${p.missing_facts.map((m) => m.label).join('、')}` : '',
    p.failed_conditions.length ? `按所填信息不符合条件：${p.failed_conditions.join('；')}` : '',
    p.missing_materials.length ? `缺少材料：${p.missing_materials.join('、')}` : '',
    p.corrections.length ? `尚未补正：${p.corrections.join('、')}` : '',
  ].filter(Boolean);
  const field = p.missing_facts.length ? `form.${p.missing_facts[0].field}` : p.missing_materials.length ? `materials.${p.missing_materials[0]}` : p.corrections.length ? 'corrections' : 'form';
  return badInput(field, `申请不能提交。${parts.join('；')}`, `the application cannot be submitted yet: ${[
    p.missing_facts.length ? `missing facts ${p.missing_facts.map((m) => m.field).join(', ')}` : '',
    p.failed_conditions.length ? 'the form does not meet the conditions' : '',
    p.missing_materials.length ? `missing materials ${p.missing_materials.length}` : '',
    p.corrections.length ? `corrections outstanding ${p.corrections.length}` : '',
  ].filter(Boolean).join('; ')}`, p);
}

export async function submitApplication(ctx: Ctx, by: Principal, id: string): Promise<ApplicationView> {
  return guarded(ctx, by, 'application.submit', `application:${id}`, async (q) => {
    const app = await getApplication(q, id, true);
    requireApplicant(by, app);
    // A repeated submit (a retried request) finds it submitted and changes nothing.
    if (app.status === 'submitted' || app.status === 'in_review') return applicationView(ctx, q, app);
    if (app.status !== 'draft' && app.status !== 'returned')
      throw new DomainError('INVALID_STATE', `申请已「${STATUS_LABEL[app.status]}」，不能提交`, `an application that is ${app.status} cannot be submitted`);
    const item = await loadItem(q, app.item_id, app.item_version);
    const now = ctx.now();
    const today = ctx.today();
    // The rights are judged as of the day of the (first) application.
    const day = app.submitted_at ? iso(app.submitted_at)!.slice(0, 10) : today;
    const evidence = evidenceOf(ctx, item, app.entity_kind, app.form, day);
    let steps = await listSteps(q, id);
    const problems = submissionProblems(ctx, app, item, evidence, await currentMaterials(q, id), steps);
    if (Object.values(problems).some((x) => x.length)) throw refuse(ctx, problems);
    formEntity(ctx, app.entity_kind, app.form); // opens every sealed value now: a broken one fails the submission, not a review
    // 从高不重复 across modes: a grant of the group already paying as much makes the application pointless.
    if (item.stacking_group) await assertNoHigherGrant(q, app, item.stacking_group, evidence.amount);

    const cal = await loadCalendar(q);
    const round = app.round + 1;
    let stage = 0;
    if (app.status === 'draft') {
      // 属地办理: the county steps go to the applicant's own county department.
      const region = (await q.query<{ region: string | null }>(`SELECT facts ->> 'region' AS region FROM entities WHERE id = $1`, [app.entity_id])).rows[0]?.region ?? undefined;
      await insertSteps(q, id, planSteps(item, app.department, await countyDepartments(q, item, app.department, region)));
      steps = await listSteps(q, id);
      await recordEvent(q, app, 'applied', eventKey(id, 'applied'), now, { detail: { round } });
      await notifyApplicant(q, app, { kind: 'application.applied', title: `申请已提交：${item.title}`, body: `您的申请（编号 ${id}）已提交，进入部门审核。`, causeKey: eventKey(id, 'applied') }, now);
    } else {
      stage = Math.min(...steps.filter((s) => s.status === 'returned').map((s) => s.stage));
      await recordEvent(q, app, 'resubmitted', eventKey(id, 'resubmitted', round), now, { detail: { round } });
      await notifyApplicant(q, app, { kind: 'application.resubmitted', title: `补正材料已提交：${item.title}`, body: `您的申请（编号 ${id}）已补正并重新提交，审核从退回的环节继续。`, causeKey: eventKey(id, 'resubmitted', round) }, now);
    }
    const anyApproved = steps.some((s) => s.status === 'approved');
    await q.query(
      `UPDATE applications SET status = $2, round = $3, evidence = $4, reason = NULL, submitted_at = COALESCE(submitted_at, $5), updated_at = $5 WHERE id = $1`,
      [id, anyApproved ? 'in_review' : 'submitted', round, JSON.stringify(evidence), now],
    );
    await openStage(q, app, steps, stage, cal, now, today);
    await appendAudit(q, { actor: actorOf(by), action: app.status === 'draft' ? 'application.submit' : 'application.resubmit', subject: `application:${id}`, detail: { round, verdict: evidence.verdict } });
    return applicationView(ctx, q, await getApplication(q, id), { item });
  });
}
