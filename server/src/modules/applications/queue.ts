// The review queue of a department: its steps, soonest deadline first, each with what the
// reviewer decides on — the prefilled facts, the verdict and its explanation on those facts,
// and the materials — and who may decide the step: whether the reader may (and why not), and
// the department's users who may approve it (four eyes, final stage). The reviewers of the
// step's department see the case's personal facts unmasked; each such read is audited.
import { maskName } from '@kx/data';
import type { PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { loadCalendar } from './calendar.ts';
import { formView, PAYMENT_FIELD, type Evidence, type FieldView } from './form.ts';
import { lastStage } from './flow.ts';
import { currentMaterials, getApplication, iso, listSteps, loadItem, STEP_COLS, type StepRow } from './repo.ts';
import { REVIEW_ROLES, whyNotApprove, whyNotReviewer } from './rules.ts';
import { departmentNames, materialViews, STATUS_LABEL, stepView, type MaterialView, type StepView } from './view.ts';

export interface Decidable {
  /** the reader may approve this step now */
  can_decide: boolean;
  /** the reader may return it for correction now */
  can_return: boolean;
  /** the reader may reject it now */
  can_reject: boolean;
  /** why the reader may not approve it (null when they may) */
  why_not: { zh: string; en: string } | null;
  /** the department's reviewers who may approve it now (display names) */
  deciders: string[];
}

export interface ReviewEntry {
  step: StepView & Decidable;
  application: { id: string; status: string; status_label: string; item_id: string; item_title: string; applicant: string; applicant_kind: string; submitted_at: string | null; round: number };
  evidence: { form: FieldView[]; verdict: Evidence | null };
  materials: MaterialView[];
}

export interface QueueQuery {
  status?: 'open' | 'decided' | 'all';
  page?: number;
  page_size?: number;
}

interface Reviewer {
  id: string;
  display_name: string;
  role: Principal['role'];
}

/** Who may decide an open step: the reader, and the department's reviewers who may approve it. */
export function decidable(by: Principal, step: StepRow, steps: StepRow[], staff: Reviewer[]): Decidable {
  if (step.status !== 'open')
    return { can_decide: false, can_return: false, can_reject: false, why_not: { zh: `本环节${step.status === 'waiting' ? '尚未开始' : '已办结'}`, en: `this step is ${step.status}` }, deciders: [] };
  const final = step.stage === lastStage(steps);
  const no = whyNotApprove(by, step, steps, final);
  const deciders = staff.filter((u) => !whyNotApprove({ kind: 'user', userId: u.id, role: u.role, department: step.department }, step, steps, final)).map((u) => u.display_name);
  return {
    can_decide: !no, can_return: !whyNotReviewer(by, step, 'return', final), can_reject: !whyNotReviewer(by, step, 'reject', final),
    why_not: no ? { zh: no.zh, en: no.en } : null, deciders,
  };
}

export async function reviewQueue(ctx: Ctx, by: Principal, query: QueueQuery): Promise<{ total: number; items: ReviewEntry[] }> {
  if (!by.department) throw new DomainError('FORBIDDEN', '只有部门工作人员有审核队列', 'only department staff have a review queue');
  const status = query.status ?? 'open';
  const where = status === 'open' ? `s.status = 'open'` : status === 'decided' ? `s.status IN ('approved', 'returned', 'rejected')` : `s.status <> 'waiting'`;
  const size = query.page_size ?? 20;
  const offset = ((query.page ?? 1) - 1) * size;
  return ctx.db.tx(async (q) => {
    const total = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM application_steps s WHERE s.department = $1 AND ${where}`, [by.department]);
    const rows = await q.query<StepRow>(
      `SELECT ${STEP_COLS} FROM application_steps s WHERE s.department = $1 AND ${where} ORDER BY s.deadline NULLS LAST, s.id LIMIT $2 OFFSET $3`,
      [by.department, size, offset],
    );
    const cal = await loadCalendar(q);
    const today = ctx.today();
    const items = new Map<string, PolicyItem>();
    const names = await departmentNames(q, [by.department!]);
    const staff = (await q.query<Reviewer>(
      'SELECT u.id::text AS id, u.display_name, u.role FROM users u WHERE u.department = $1 AND u.role = ANY($2) AND NOT u.disabled ORDER BY u.id',
      [by.department, [...REVIEW_ROLES]],
    )).rows;
    // The reviewers of the step's department decide on the case's facts: they see them unmasked.
    const unmasked = (REVIEW_ROLES as readonly string[]).includes(by.role ?? '');
    const personalReads: { application: string; fields: string[] }[] = [];
    const out: ReviewEntry[] = [];
    for (const s of rows.rows) {
      const app = await getApplication(q, s.application_id);
      const key = `${app.item_id}@${app.item_version}`;
      if (!items.has(key)) items.set(key, await loadItem(q, app.item_id, app.item_version));
      const item = items.get(key)!;
      const ent = (await q.query<{ display_name: string | null }>('SELECT display_name FROM entities WHERE id = $1', [app.entity_id])).rows[0];
      const name = ent?.display_name ?? '';
      const form = formView(ctx, item, app.entity_kind, app.form, iso(app.submitted_at)?.slice(0, 10) ?? today, unmasked);
      const personal = form.filter((f) => f.sensitive && f.value !== null && f.field !== PAYMENT_FIELD).map((f) => f.field);
      if (personal.length) personalReads.push({ application: app.id, fields: personal });
      out.push({
        step: { ...stepView(s, names, today, cal), ...decidable(by, s, await listSteps(q, app.id), staff) },
        application: {
          id: app.id, status: app.status, status_label: STATUS_LABEL[app.status], item_id: app.item_id, item_title: item.title,
          applicant: app.entity_kind === 'person' ? maskName(name) : name, applicant_kind: app.entity_kind, submitted_at: iso(app.submitted_at), round: app.round,
        },
        evidence: { form, verdict: (app.evidence as Evidence | null) ?? null },
        materials: materialViews(ctx, app, await currentMaterials(q, app.id)),
      });
    }
    if (out.length)
      await appendAudit(q, { actor: actorOf(by), action: 'review.queue.read', subject: `department:${by.department}`, detail: { applications: [...new Set(out.map((e) => e.application.id))] } });
    // Each unmasked read of a case's personal facts is its own audit entry, on the case.
    for (const r of unmasked ? personalReads : [])
      await appendAudit(q, { actor: actorOf(by), action: 'application.personal.read', subject: `application:${r.application}`, detail: { fields: r.fields, via: 'review.queue' } });
    return { total: Number(total.rows[0].n), items: out };
  });
}
