// Applications from the applicant's side: start one from a match, complete the form,
// submit (and resubmit after a return), withdraw; read it with its timeline. Reviews are in
// review.ts, materials in materials.ts, deadlines in deadlines.ts.
import { conditionsOf, evaluateItem, parseDate, type PolicyItem } from '@kx/engine';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { badInput, DomainError, notFound } from '../../errors.ts';
import { actorOf, type Principal } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';
import { periodKey } from '../grants/period.ts';
import { DECLARED, declare, entityOf, prefill, type StoredEntity } from './form.ts';
import { eventKey, notifyApplicant } from './events.ts';
import { getApplication, haltSteps, iso, listSteps, loadItem, saveForm, setStatus, type AppRow, type FormField } from './repo.ts';
import { guarded, isApplicant, requireApplicant, requireReader } from './rules.ts';
import { applicationView, STATUS_LABEL, remainingText, type ApplicationView } from './view.ts';
import { loadCalendar } from './calendar.ts';

export { submitApplication } from './submit.ts';

const subject = (id: string) => `application:${id}`;

/** The published version of an online item, or why it cannot be applied for today. */
async function applicableItem(q: Queryable, itemId: string, today: string): Promise<{ item: PolicyItem; department: string }> {
  const r = await q.query<{ department: string; body: PolicyItem }>(
    `SELECT i.department, v.body FROM items i JOIN item_versions v ON v.item_id = i.id AND v.version = i.published_version WHERE i.id = $1`,
    [itemId],
  );
  const row = r.rows[0];
  if (!row) throw notFound('已发布的政策事项', itemId);
  const item = row.body;
  if (item.mode === 'auto') throw badInput('item_id', `「${item.title}」为免申即享事项，符合条件的主体无需申请`, `"${item.title}" is granted without application`);
  if (item.mode !== 'online') throw badInput('item_id', `「${item.title}」须线下办理，不能网上申请`, `"${item.title}" is applied for in person, not online`);
  const w = item.window;
  if (w && (today < w.from || (w.to !== undefined && today > w.to)))
    throw badInput('item_id', `「${item.title}」的申报时间为 ${w.from} 至 ${w.to ?? '长期'}，今天（${today}）不在申报期内`, `"${item.title}" takes applications from ${w.from} to ${w.to ?? 'open'}; today (${today}) is outside`);
  return { item, department: row.department };
}

/**
 * Starts (or, for a repeated request, finds) the entity's application for an item: allowed
 * when the entity's verdict on its current profile is eligible or undetermined.
 */
export async function startApplication(ctx: Ctx, by: Principal, itemId: string): Promise<{ view: ApplicationView; created: boolean }> {
  const entityId = by.entityId;
  if (!entityId) throw new DomainError('FORBIDDEN', '只有企业或个人用户可以申请', 'only enterprise and resident users apply');
  return guarded(ctx, by, 'application.create', `item:${itemId}`, async (q) => {
    const today = ctx.today();
    const now = ctx.now();
    const { item, department } = await applicableItem(q, itemId, today);
    const period = periodKey(item.period, today);
    const existing = async () => {
      const found = await q.query<{ id: string }>(
        `SELECT id::text AS id FROM applications WHERE entity_id = $1 AND item_id = $2 AND period = $3 AND status NOT IN ('rejected', 'withdrawn')`,
        [entityId, itemId, period],
      );
      if (!found.rows[0]) return undefined;
      const app = await getApplication(q, found.rows[0].id);
      return { view: await applicationView(ctx, q, await followProfile(ctx, q, app, await loadItem(q, app.item_id, app.item_version))), created: false };
    };
    const before = await existing();
    if (before) return before;
    const e = (await q.query<StoredEntity>('SELECT kind, facts, provenance FROM entities WHERE id = $1', [entityId])).rows[0];
    if (!e) throw notFound('主体', entityId);
    const verdict = evaluateItem(item, entityOf(ctx, e), ctx.dict, parseDate(today)!, { counterfactuals: false });
    if (verdict.verdict === 'ineligible') {
      const failed = verdict.reason ? [verdict.reason.zh] : verdict.explanation ? conditionsOf(verdict.explanation).filter((c) => c.result === 'F').map((c) => c.text.zh) : [];
      throw badInput('item_id', `按您当前的档案，不符合「${item.title}」的条件：${failed.join('；')}`, `your profile does not meet the conditions of "${item.title}"`, { failed_conditions: failed });
    }
    const { form, materials } = prefill(ctx, e, item);
    const r = await q.query<{ id: string }>(
      `INSERT INTO applications (entity_id, item_id, item_version, department, period, status, form, materials, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $9)
       ON CONFLICT (entity_id, item_id, period) WHERE status NOT IN ('rejected', 'withdrawn') DO NOTHING
       RETURNING id::text AS id`,
      [entityId, itemId, item.version, department, period, JSON.stringify(form), JSON.stringify(materials), by.userId, now],
    );
    const id = r.rows[0]?.id;
    if (!id) {
      // The same request twice at once (a double click, a page mounted twice): the other one
      // created it a moment ago — this one finds it, as a repeated request does.
      const raced = await existing();
      if (raced) return raced;
      throw new DomainError('CONFLICT', '同一事项本期已有申请，请刷新后查看', 'an application for this item and period already exists; reload it');
    }
    await appendAudit(q, {
      actor: actorOf(by), action: 'application.create', subject: subject(id),
      detail: { item: `${itemId}@${item.version}`, verdict: verdict.verdict, fields_read: Object.keys(form.fields) },
    });
    return { view: await applicationView(ctx, q, await getApplication(q, id), { item }), created: true };
  });
}

const sameFields = (a: Record<string, FormField>, b: Record<string, FormField>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => JSON.stringify(v) === JSON.stringify(b[k]));

/**
 * A draft follows the profile: the prefilled facts the applicant has not declared or corrected on
 * the form take the profile's current values (facts declared to the profile since included), and
 * the materials their current 零材料 sources; what the applicant entered stays.
 */
export async function followProfile(ctx: Ctx, q: Queryable, app: AppRow, item: PolicyItem): Promise<AppRow> {
  if (app.status !== 'draft') return app;
  const e = (await q.query<StoredEntity>('SELECT kind, facts, provenance FROM entities WHERE id = $1', [app.entity_id])).rows[0];
  if (!e) return app;
  const now = prefill(ctx, e, item);
  const fields = { ...now.form.fields };
  for (const [f, v] of Object.entries(app.form.fields)) if (v.declared_at) fields[f] = v;
  const materials = [...now.materials, ...app.materials.filter((m) => m.supplementary)];
  if (sameFields(fields, app.form.fields) && JSON.stringify(materials) === JSON.stringify(app.materials)) return app;
  await q.query('UPDATE applications SET form = $2, materials = $3 WHERE id = $1', [app.id, JSON.stringify({ fields }), JSON.stringify(materials)]);
  return getApplication(q, app.id);
}

/**
 * Fills or corrects declared facts. In a draft the applicant declares what no source holds; after
 * a return also the facts the reviewer asked to correct. null removes a declaration.
 */
export async function updateForm(ctx: Ctx, by: Principal, id: string, values: Record<string, unknown>): Promise<ApplicationView> {
  return guarded(ctx, by, 'application.form', subject(id), async (q) => {
    const locked = await getApplication(q, id, true);
    requireApplicant(by, locked);
    const item = await loadItem(q, locked.item_id, locked.item_version);
    const app = await followProfile(ctx, q, locked, item);
    if (app.status !== 'draft' && app.status !== 'returned')
      throw new DomainError('INVALID_STATE', `申请当前状态为「${STATUS_LABEL[app.status]}」，不能修改申请表`, `the form can be changed only in a draft or after a return (status: ${app.status})`);
    const steps = await listSteps(q, id);
    const asked = new Set(steps.filter((s) => s.status === 'returned').flatMap((s) => s.corrections?.fields ?? []));
    const now = ctx.now();
    const fields = { ...app.form.fields };
    for (const [f, raw] of Object.entries(values)) {
      const current = fields[f];
      if (current && current.source !== DECLARED && !asked.has(f))
        throw badInput(`fields.${f}`, `「${ctx.dict.fields.get(f)?.label.zh ?? f}」由${ctx.dict.sources.get(current.source)?.label.zh ?? current.source}提供，不能自行修改`, `"${ctx.dict.fields.get(f)?.label.en ?? f}" comes from the source system ${ctx.dict.sources.get(current.source)?.label.en ?? current.source} and cannot be changed by the applicant`);
      if (raw === null) delete fields[f];
      else fields[f] = declare(ctx, item, app.entity_kind, f, raw, now);
    }
    await saveForm(q, id, { fields }, now);
    await appendAudit(q, { actor: actorOf(by), action: 'application.form', subject: subject(id), detail: { fields: Object.keys(values) } });
    return applicationView(ctx, q, await getApplication(q, id), { item, steps });
  });
}

export async function withdrawApplication(ctx: Ctx, by: Principal, id: string): Promise<ApplicationView> {
  return guarded(ctx, by, 'application.withdraw', subject(id), async (q) => {
    const app = await getApplication(q, id, true);
    requireApplicant(by, app);
    if (app.status === 'withdrawn') return applicationView(ctx, q, app);
    if (!['draft', 'submitted', 'in_review', 'returned'].includes(app.status))
      throw new DomainError('INVALID_STATE', `申请已「${STATUS_LABEL[app.status]}」，不能撤回`, `an application that is ${app.status} cannot be withdrawn`);
    const now = ctx.now();
    await haltSteps(q, id, 'cancelled');
    await setStatus(q, id, 'withdrawn', now, { decided: true });
    await notifyApplicant(q, app, { kind: 'application.withdrawn', title: '申请已撤回', body: `您已撤回申请（编号 ${id}）。`, causeKey: eventKey(id, 'withdrawn') }, now);
    await appendAudit(q, { actor: actorOf(by), action: 'application.withdraw', subject: subject(id) });
    return applicationView(ctx, q, await getApplication(q, id));
  });
}

/** One application with its timeline, for the applicant or a reviewing department (audited: it shows personal facts, masked). */
export async function readApplication(ctx: Ctx, by: Principal, id: string): Promise<ApplicationView> {
  return guarded(ctx, by, 'application.read', subject(id), async (q) => {
    const found = await getApplication(q, id);
    const steps = await listSteps(q, id);
    await requireReader(q, by, found, steps);
    const app = isApplicant(by, found) ? await followProfile(ctx, q, found, await loadItem(q, found.item_id, found.item_version)) : found;
    const personal = Object.keys(app.form.fields).filter((f) => ctx.dict.fields.get(f)?.sensitive);
    await appendAudit(q, { actor: actorOf(by), action: 'application.read', subject: subject(id), detail: { personal_fields: personal } });
    return applicationView(ctx, q, app, { steps });
  });
}

export interface ApplicationSummary {
  id: string;
  item_id: string;
  item_title: string;
  period: string;
  status: AppRow['status'];
  status_label: string;
  amount: string | null;
  submitted_at: string | null;
  decided_at: string | null;
  open_steps: { name: string; deadline: string | null; remaining_text: string | null }[];
}

export async function myApplications(ctx: Ctx, by: Principal): Promise<ApplicationSummary[]> {
  if (!by.entityId) return [];
  const q = ctx.db;
  const r = await q.query<{ id: string; item_id: string; title: string; period: string; status: AppRow['status']; amount: string | null; submitted_at: Date | null; decided_at: Date | null }>(
    `SELECT a.id::text AS id, a.item_id, v.title, a.period, a.status, a.amount::text AS amount, a.submitted_at, a.decided_at
       FROM applications a JOIN item_versions v ON v.item_id = a.item_id AND v.version = a.item_version
      WHERE a.entity_id = $1 ORDER BY a.created_at DESC, a.id DESC`,
    [by.entityId],
  );
  const open = await q.query<{ application_id: string; name: string; deadline: string | null }>(
    `SELECT s.application_id::text AS application_id, s.name, s.deadline::text AS deadline FROM application_steps s JOIN applications a ON a.id = s.application_id
      WHERE a.entity_id = $1 AND s.status = 'open' ORDER BY s.seq`,
    [by.entityId],
  );
  const cal = await loadCalendar(q);
  const today = ctx.today();
  return r.rows.map((a) => ({
    id: a.id, item_id: a.item_id, item_title: a.title, period: a.period, status: a.status, status_label: STATUS_LABEL[a.status], amount: a.amount,
    submitted_at: iso(a.submitted_at), decided_at: iso(a.decided_at),
    open_steps: open.rows.filter((s) => s.application_id === a.id).map((s) => ({ name: s.name, deadline: s.deadline, remaining_text: s.deadline ? remainingText(today, s.deadline, cal) : null })),
  }));
}
