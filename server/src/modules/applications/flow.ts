// The review route of an application: the item's review_steps become stages — a step with
// no parallel_group is a stage of its own, steps sharing a group form one stage (placed where
// the group first appears) and all of them must approve before the next stage opens. Each
// opened step gets its statutory deadline in working days from the day it opens.
import { addWorkingDays, type WorkCalendar } from '@kx/data';
import type { PolicyItem } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';
import { enqueue } from '../jobs/queue.ts';
import { eventKey, recordEvent, type CaseRef } from './events.ts';
import { openStep, type StepRow } from './repo.ts';

/** Working days before the deadline from which the department is reminded. */
export const REMIND_BEFORE = 2;
/** An item with no review steps is reviewed by its department within its statutory days (or this). */
export const DEFAULT_REVIEW_DAYS = 20;

export interface PlannedStep {
  seq: number;
  stage: number;
  name: string;
  department: string;
  days: number;
}

/**
 * The steps of an item as stages. `countyOf` names the county counterpart of a department in
 * the applicant's county, for the steps done there (属地办理, step.county).
 */
export function planSteps(item: Pick<PolicyItem, 'review_steps' | 'statutory_days'>, itemDepartment: string, countyOf: (department: string) => string | undefined = () => undefined): PlannedStep[] {
  if (!item.review_steps.length) return [{ seq: 0, stage: 0, name: '部门审核', department: itemDepartment, days: item.statutory_days || DEFAULT_REVIEW_DAYS }];
  const groupStage = new Map<string, number>();
  let next = 0;
  return item.review_steps.map((s, seq) => {
    let stage: number;
    if (s.parallel_group === undefined) stage = next++;
    else {
      stage = groupStage.get(s.parallel_group) ?? next++;
      groupStage.set(s.parallel_group, stage);
    }
    const department = s.department ?? itemDepartment;
    return { seq, stage, name: s.name, department: (s.county && countyOf(department)) || department, days: s.days };
  });
}

/**
 * The county counterparts (child departments seated in the applicant's county) of the departments
 * of an item's 属地 steps. The county is the first six digits of the region code (乡镇 codes are longer).
 */
export async function countyDepartments(q: Queryable, item: Pick<PolicyItem, 'review_steps'>, itemDepartment: string, region: string | undefined): Promise<(d: string) => string | undefined> {
  const wanted = [...new Set(item.review_steps.filter((s) => s.county).map((s) => s.department ?? itemDepartment))];
  if (!wanted.length || !region || region.length < 6) return () => undefined;
  const r = await q.query<{ parent: string; code: string }>('SELECT parent, code FROM departments WHERE parent = ANY($1) AND region = $2 ORDER BY code', [wanted, region.slice(0, 6)]);
  const by = new Map(r.rows.map((x) => [x.parent, x.code]));
  return (d) => by.get(d);
}

export async function insertSteps(q: Queryable, appId: string, plan: PlannedStep[]): Promise<void> {
  for (const s of plan)
    await q.query('INSERT INTO application_steps (application_id, seq, stage, name, department, days) VALUES ($1, $2, $3, $4, $5, $6)', [
      appId, s.seq, s.stage, s.name, s.department, s.days,
    ]);
}

export function deadlineOf(startedOn: string, days: number, cal: WorkCalendar): { deadline: string; remindOn: string } {
  const deadline = addWorkingDays(startedOn, days, cal);
  const before = addWorkingDays(deadline, -REMIND_BEFORE, cal);
  return { deadline, remindOn: before < startedOn ? startedOn : before };
}

/**
 * Opens the steps of a stage that have not approved yet (after a return, the approved ones of
 * the stage stay approved); each opening is a step_started event of its round.
 */
export async function openStage(q: Queryable, app: CaseRef, steps: StepRow[], stage: number, cal: WorkCalendar, now: Date, today: string): Promise<StepRow[]> {
  const opened: StepRow[] = [];
  for (const s of steps) {
    if (s.stage !== stage || s.status === 'approved' || s.status === 'open') continue;
    const { deadline, remindOn } = deadlineOf(today, s.days, cal);
    await openStep(q, s.id, now, today, deadline, remindOn);
    const round = s.round + 1;
    await recordEvent(q, app, 'step_started', eventKey(app.id, 'step', s.seq, 'started', round), now, {
      step: s.name,
      department: s.department,
      detail: { step_id: s.id, seq: s.seq, round, deadline, days: s.days },
    });
    opened.push({ ...s, status: 'open', round, started_on: today, deadline, remind_on: remindOn });
  }
  if (opened.length) await scheduleDeadlineScan(q, now);
  return opened;
}

export const DEADLINE_QUEUES = { scan: 'deadline.scan', remind: 'deadline.remind', escalate: 'deadline.escalate' } as const;

/**
 * Enqueues the next daily deadline scan (01:00 China time), keyed by its date so that any number
 * of callers enqueue it once. Opening a step calls it, so the scan runs while steps are open.
 */
export async function scheduleDeadlineScan(q: Queryable, now: Date): Promise<string> {
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 17, 0, 0));
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  return enqueue(q, DEADLINE_QUEUES.scan, {}, { key: `${DEADLINE_QUEUES.scan}:${next.toISOString().slice(0, 10)}`, runAt: next });
}

export const lastStage = (steps: StepRow[]) => Math.max(...steps.map((s) => s.stage));
