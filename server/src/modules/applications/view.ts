// What an applicant or a reviewer sees of an application: the masked form, the materials,
// the review steps with their deadlines and remaining working days, and the timeline of its
// events — in Chinese first, English second.
import { departmentLabel, workingDaysBetween, type WorkCalendar } from '@kx/data';
import type { PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { loadCalendar } from './calendar.ts';
import { EVENT_LABEL, type CaseEvent } from './events.ts';
import { formView, type Evidence, type FieldView } from './form.ts';
import { currentMaterials, iso, listSteps, loadItem, type AppRow, type AppStatus, type MaterialRow, type StepRow, type StepStatus } from './repo.ts';

export const STATUS_LABEL: Record<AppStatus, string> = {
  draft: '草稿', submitted: '已提交', in_review: '审核中', returned: '退回补正', approved: '已批准', rejected: '不予批准',
  withdrawn: '已撤回', batched: '待拨付', paid: '已拨付', payment_failed: '拨付失败',
};
export const STEP_STATUS_LABEL: Record<StepStatus, string> = {
  waiting: '待开始', open: '审核中', approved: '已通过', returned: '已退回', rejected: '不予批准', cancelled: '已终止',
};

/**
 * 剩余 3 个工作日 / 今日到期 / 已超期 2 个工作日 — from today to the deadline. On a day off just
 * after the deadline no working day has passed yet, but the deadline has: 已过截止日.
 */
export function remainingText(today: string, deadline: string, cal: WorkCalendar): string {
  const n = workingDaysBetween(today, deadline, cal);
  if (today > deadline) return n < 0 ? `已超期 ${-n} 个工作日` : `已过截止日（${deadline}）`;
  return n > 0 ? `剩余 ${n} 个工作日` : '今日到期';
}

export interface StepView {
  id: string;
  seq: number;
  stage: number;
  name: string;
  department: string;
  department_name: string;
  status: StepStatus;
  status_label: string;
  round: number;
  started_on: string | null;
  deadline: string | null;
  remaining_working_days: number | null;
  remaining_text: string | null;
  overdue: boolean;
  decided_at: string | null;
  note: string | null;
  corrections: { fields: string[]; materials: string[] } | null;
}

export function stepView(s: StepRow, names: Map<string, string>, today: string, cal: WorkCalendar): StepView {
  const open = s.status === 'open' && s.deadline !== null;
  const remaining = open ? workingDaysBetween(today, s.deadline!, cal) : null;
  return {
    id: s.id, seq: s.seq, stage: s.stage, name: s.name, department: s.department, department_name: names.get(s.department) ?? s.department,
    status: s.status, status_label: STEP_STATUS_LABEL[s.status], round: s.round, started_on: s.started_on, deadline: s.deadline,
    remaining_working_days: remaining, remaining_text: open ? remainingText(today, s.deadline!, cal) : null, overdue: open && today > s.deadline!,
    decided_at: iso(s.decided_at), note: s.decision_note, corrections: s.corrections,
  };
}

export interface MaterialView {
  name: string;
  required: boolean;
  /** 补充材料: asked for by a return, not in the item's list */
  supplementary: boolean;
  /** provided: a source system holds it (零材料); uploaded; missing: still to upload; optional */
  status: 'provided' | 'uploaded' | 'missing' | 'optional';
  provided_by: string | null;
  source_label: string | null;
  file: { id: string; filename: string; type: string; size: number; sha256: string; uploaded_at: string } | null;
}

export function materialViews(ctx: Ctx, app: Pick<AppRow, 'materials'>, uploads: MaterialRow[]): MaterialView[] {
  return app.materials.map((m) => {
    const u = uploads.find((x) => x.material === m.name);
    const file = u ? { id: u.id, filename: u.filename, type: u.file_type, size: u.size, sha256: u.sha256, uploaded_at: iso(u.uploaded_at)! } : null;
    const status = m.provided_by_source ? 'provided' : u ? 'uploaded' : m.required ? 'missing' : 'optional';
    return {
      name: m.name, required: m.required, supplementary: m.supplementary === true, status, provided_by: m.provided_by ?? null,
      source_label: m.provided_by_source ? (ctx.dict.sources.get(m.provided_by_source)?.label.zh ?? m.provided_by_source) : null, file,
    };
  });
}

export interface TimelineEntry {
  event: CaseEvent;
  label: string;
  label_en: string;
  step: string | null;
  at: string;
  detail: Record<string, unknown>;
}

export async function timeline(q: Queryable, appId: string): Promise<TimelineEntry[]> {
  const r = await q.query<{ event: CaseEvent; step: string | null; department: string; at: Date; detail: Record<string, unknown> }>(
    `SELECT e.event, e.step, e.department, e.at, e.detail FROM case_events e WHERE e.case_type = 'application' AND e.case_id = $1 ORDER BY e.at, e.id`,
    [appId],
  );
  return r.rows.map((e) => {
    const l = EVENT_LABEL[e.event];
    // Step names are written in Chinese by the department; in English the step is named by who reviews it.
    return { event: e.event, label: e.step ? `${l.zh}：${e.step}` : l.zh, label_en: e.step ? `${l.en}: ${departmentLabel(e.department).en}` : l.en, step: e.step, at: iso(e.at)!, detail: e.detail };
  });
}

export async function departmentNames(q: Queryable, codes: string[]): Promise<Map<string, string>> {
  const r = await q.query<{ code: string; name: string }>('SELECT code, name FROM departments WHERE code = ANY($1)', [codes]);
  return new Map(r.rows.map((d) => [d.code, d.name]));
}

export interface ApplicationView {
  id: string;
  entity_id: string;
  item: { id: string; version: number; title: string; department: string; department_name: string; statutory_days: number };
  period: string;
  status: AppStatus;
  status_label: string;
  round: number;
  amount: string | null;
  amount_unit: string | null;
  reason: string | null;
  submitted_at: string | null;
  decided_at: string | null;
  created_at: string;
  form: FieldView[];
  evidence: Evidence | null;
  materials: MaterialView[];
  steps: StepView[];
  timeline: TimelineEntry[];
}

export async function applicationView(ctx: Ctx, q: Queryable, app: AppRow, pre?: { item?: PolicyItem; steps?: StepRow[] }): Promise<ApplicationView> {
  const item = pre?.item ?? (await loadItem(q, app.item_id, app.item_version));
  const steps = pre?.steps ?? (await listSteps(q, app.id));
  const cal = await loadCalendar(q);
  const today = ctx.today();
  const names = await departmentNames(q, [app.department, ...steps.map((s) => s.department)]);
  return {
    id: app.id,
    entity_id: app.entity_id,
    item: { id: app.item_id, version: app.item_version, title: item.title, department: app.department, department_name: names.get(app.department) ?? app.department, statutory_days: item.statutory_days },
    period: app.period,
    status: app.status,
    status_label: STATUS_LABEL[app.status],
    round: app.round,
    amount: app.amount,
    amount_unit: item.amount_unit ?? null,
    reason: app.reason,
    submitted_at: iso(app.submitted_at),
    decided_at: iso(app.decided_at),
    created_at: iso(app.created_at)!,
    form: formView(ctx, item, app.entity_kind, app.form, app.submitted_at ? iso(app.submitted_at)!.slice(0, 10) : today),
    evidence: (app.evidence as Evidence | null) ?? null,
    materials: materialViews(ctx, app, await currentMaterials(q, app.id)),
    steps: steps.map((s) => stepView(s, names, today, cal)),
    timeline: await timeline(q, app.id),
  };
}
