// SQL of applications, their steps and materials. Every function takes the caller's
// Queryable so that it joins the caller's transaction; a transition first locks its
// application row (lockApplication), which serialises concurrent decisions on one case.
import type { EntityKind, PolicyItem } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';
import { notFound } from '../../errors.ts';

export type AppStatus = 'draft' | 'submitted' | 'in_review' | 'returned' | 'approved' | 'rejected' | 'withdrawn' | 'batched' | 'paid' | 'payment_failed';
export type StepStatus = 'waiting' | 'open' | 'approved' | 'returned' | 'rejected' | 'cancelled';

/** One fact of the form, in its stored shape (personal values sealed as in entities.facts). */
export interface FormField {
  value?: unknown;
  enc?: string;
  /** source system id, or 'declared' (申请人填报) */
  source: string;
  as_of?: string;
  /** ISO time the applicant declared or corrected it */
  declared_at?: string;
}

export interface Form {
  fields: Record<string, FormField>;
}

/** A material of the item, and whether a source system holds it (零材料). */
export interface MaterialSlot {
  name: string;
  required: boolean;
  provided_by?: string;
  /** set when provided_by is known for the entity: the source that holds it */
  provided_by_source?: string;
  /** 补充材料: not in the item's list, asked for by a return for correction */
  supplementary?: boolean;
}

export interface Corrections {
  fields: string[];
  materials: string[];
}

export interface AppRow {
  id: string;
  entity_id: string;
  entity_kind: EntityKind;
  item_id: string;
  item_version: number;
  department: string;
  period: string;
  status: AppStatus;
  form: Form;
  evidence: Record<string, unknown> | null;
  materials: MaterialSlot[];
  amount: string | null;
  round: number;
  submitted_at: Date | null;
  decided_at: Date | null;
  reason: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface StepRow {
  id: string;
  application_id: string;
  seq: number;
  stage: number;
  name: string;
  department: string;
  days: number;
  status: StepStatus;
  round: number;
  started_at: Date | null;
  started_on: string | null;
  deadline: string | null;
  remind_on: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  decision_note: string | null;
  corrections: Corrections | null;
}

const APP_COLS = `a.id::text AS id, a.entity_id::text AS entity_id, e.kind AS entity_kind, a.item_id, a.item_version, a.department, a.period, a.status,
  a.form, a.evidence, a.materials, a.amount::text AS amount, a.round, a.submitted_at, a.decided_at, a.reason, a.created_by::text AS created_by,
  a.created_at, a.updated_at`;

export const STEP_COLS = `s.id::text AS id, s.application_id::text AS application_id, s.seq, s.stage, s.name, s.department, s.days, s.status, s.round,
  s.started_at, s.started_on::text AS started_on, s.deadline::text AS deadline, s.remind_on::text AS remind_on, s.decided_at,
  s.decided_by::text AS decided_by, s.decision_note, s.corrections`;

export async function findApplication(q: Queryable, id: string, lock = false): Promise<AppRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const r = await q.query<AppRow>(`SELECT ${APP_COLS} FROM applications a JOIN entities e ON e.id = a.entity_id WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`, [id]);
  return r.rows[0];
}

export async function getApplication(q: Queryable, id: string, lock = false): Promise<AppRow> {
  const a = await findApplication(q, id, lock);
  if (!a) throw notFound('申请', id);
  return a;
}

export async function listSteps(q: Queryable, appId: string): Promise<StepRow[]> {
  return (await q.query<StepRow>(`SELECT ${STEP_COLS} FROM application_steps s WHERE s.application_id = $1 ORDER BY s.seq`, [appId])).rows;
}

/** The step and the id of its application (not locked: lock the application next). */
export async function findStep(q: Queryable, stepId: string): Promise<StepRow | undefined> {
  if (!/^\d{1,18}$/.test(stepId)) return undefined;
  return (await q.query<StepRow>(`SELECT ${STEP_COLS} FROM application_steps s WHERE s.id = $1`, [stepId])).rows[0];
}

export async function loadItem(q: Queryable, id: string, version: number): Promise<PolicyItem> {
  const r = await q.query<{ body: PolicyItem }>('SELECT body FROM item_versions WHERE item_id = $1 AND version = $2', [id, version]);
  if (!r.rows[0]) throw notFound('政策事项版本', `${id}@${version}`);
  return r.rows[0].body;
}

export async function saveForm(q: Queryable, id: string, form: Form, now: Date): Promise<void> {
  await q.query('UPDATE applications SET form = $2, updated_at = $3 WHERE id = $1', [id, JSON.stringify(form), now]);
}

export async function setStatus(q: Queryable, id: string, status: AppStatus, now: Date, extra: { reason?: string | null; decided?: boolean; amount?: string | null } = {}): Promise<void> {
  await q.query(
    `UPDATE applications SET status = $2, updated_at = $3,
            reason = CASE WHEN $4::boolean THEN $5 ELSE reason END,
            decided_at = CASE WHEN $6::boolean THEN $3 ELSE decided_at END,
            amount = CASE WHEN $7::boolean THEN $8::numeric ELSE amount END
      WHERE id = $1`,
    [id, status, now, extra.reason !== undefined, extra.reason ?? null, extra.decided === true, extra.amount !== undefined, extra.amount ?? null],
  );
}

export async function openStep(q: Queryable, stepId: string, now: Date, startedOn: string, deadline: string, remindOn: string): Promise<void> {
  await q.query(
    `UPDATE application_steps SET status = 'open', round = round + 1, started_at = $2, started_on = $3, deadline = $4, remind_on = $5,
            decided_at = NULL, decided_by = NULL, decision_note = NULL, corrections = NULL
      WHERE id = $1`,
    [stepId, now, startedOn, deadline, remindOn],
  );
}

export async function decideStep(q: Queryable, stepId: string, status: StepStatus, by: string, now: Date, note: string | null, corrections: Corrections | null = null): Promise<void> {
  await q.query('UPDATE application_steps SET status = $2, decided_by = $3, decided_at = $4, decision_note = $5, corrections = $6 WHERE id = $1', [
    stepId, status, by, now, note, corrections ? JSON.stringify(corrections) : null,
  ]);
}

/** Steps still running or waiting stop: paused by a return ('waiting') or ended ('cancelled'). */
export async function haltSteps(q: Queryable, appId: string, to: 'waiting' | 'cancelled', exceptId?: string): Promise<void> {
  await q.query(
    `UPDATE application_steps SET status = $2, deadline = CASE WHEN status = 'open' THEN NULL ELSE deadline END,
            remind_on = CASE WHEN status = 'open' THEN NULL ELSE remind_on END
      WHERE application_id = $1 AND status IN ('open', 'waiting') AND id <> COALESCE($3::bigint, 0)`,
    [appId, to, exceptId ?? null],
  );
}

export interface MaterialRow {
  id: string;
  material: string;
  filename: string;
  file_type: string;
  size: number;
  sha256: string;
  uploaded_at: Date;
}

/** The current upload of each material (replaced ones are history). */
export async function currentMaterials(q: Queryable, appId: string): Promise<MaterialRow[]> {
  const r = await q.query<MaterialRow>(
    `SELECT m.id::text AS id, m.material, m.filename, m.file_type, m.size, m.sha256, m.uploaded_at
       FROM application_materials m WHERE m.application_id = $1 AND m.replaced_at IS NULL ORDER BY m.id`,
    [appId],
  );
  return r.rows;
}

export const iso = (v: Date | string | null | undefined): string | null => (v === null || v === undefined ? null : new Date(v).toISOString());
