// The review queue of a department: its steps, soonest deadline first, each with what the
// reviewer decides on — the prefilled facts (personal ones masked), the verdict and its
// explanation on those facts, and the materials. Reading it is audited (it shows personal facts, masked).
import { maskName } from '@kx/data';
import type { PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { loadCalendar } from './calendar.ts';
import { formView, type Evidence, type FieldView } from './form.ts';
import { currentMaterials, getApplication, iso, loadItem, STEP_COLS, type StepRow } from './repo.ts';
import { departmentNames, materialViews, STATUS_LABEL, stepView, type MaterialView, type StepView } from './view.ts';

export interface ReviewEntry {
  step: StepView;
  application: { id: string; status: string; status_label: string; item_id: string; item_title: string; applicant: string; applicant_kind: string; submitted_at: string | null; round: number };
  evidence: { form: FieldView[]; verdict: Evidence | null };
  materials: MaterialView[];
}

export interface QueueQuery {
  status?: 'open' | 'decided' | 'all';
  page?: number;
  page_size?: number;
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
    const out: ReviewEntry[] = [];
    for (const s of rows.rows) {
      const app = await getApplication(q, s.application_id);
      const key = `${app.item_id}@${app.item_version}`;
      if (!items.has(key)) items.set(key, await loadItem(q, app.item_id, app.item_version));
      const item = items.get(key)!;
      const ent = (await q.query<{ display_name: string | null }>('SELECT display_name FROM entities WHERE id = $1', [app.entity_id])).rows[0];
      const name = ent?.display_name ?? '';
      out.push({
        step: stepView(s, names, today, cal),
        application: {
          id: app.id, status: app.status, status_label: STATUS_LABEL[app.status], item_id: app.item_id, item_title: item.title,
          applicant: app.entity_kind === 'person' ? maskName(name) : name, applicant_kind: app.entity_kind, submitted_at: iso(app.submitted_at), round: app.round,
        },
        evidence: { form: formView(ctx, item, app.entity_kind, app.form, iso(app.submitted_at)?.slice(0, 10) ?? today), verdict: (app.evidence as Evidence | null) ?? null },
        materials: materialViews(ctx, app, await currentMaterials(q, app.id)),
      });
    }
    if (out.length)
      await appendAudit(q, { actor: actorOf(by), action: 'review.queue.read', subject: `department:${by.department}`, detail: { applications: [...new Set(out.map((e) => e.application.id))] } });
    return { total: Number(total.rows[0].n), items: out };
  });
}
