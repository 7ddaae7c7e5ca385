// Statutory deadlines of review steps (承诺时限): a scan finds open steps whose reminder day
// has come and steps past their deadline; a reminder goes to the step's department once per
// deadline (cause_key remind:<step>:<deadline>), an escalation to the department's approvers
// and to its parent — for a city bureau, the city's big-data bureau that runs the platform —
// once per deadline, with a case event. Scheduled as a daily job ('deadline.scan') which
// enqueues one 'deadline.remind' / 'deadline.escalate' job per step; the admin route runs the
// same work at once. Every write is keyed by its cause, so any number of scans and workers
// write each notice once.
import { workingDaysBetween } from '@kx/data';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { enqueue, type JobHandler } from '../jobs/queue.ts';
import { appendAudit } from '../audit/audit.ts';
import { loadCalendar } from './calendar.ts';
import { eventKey, notifyDepartment, recordEvent } from './events.ts';
import { DEADLINE_QUEUES, scheduleDeadlineScan } from './flow.ts';
export { DEADLINE_QUEUES, scheduleDeadlineScan };
import { findStep, getApplication, loadItem, type AppRow, type StepRow } from './repo.ts';
import { remainingText } from './view.ts';

export const remindKey = (stepId: string, deadline: string) => `remind:${stepId}:${deadline}`;
export const escalateKey = (stepId: string, deadline: string) => `escalate:${stepId}:${deadline}`;

interface Due {
  step_id: string;
  deadline: string;
}

/** Open steps due a reminder (reminder day reached, deadline not passed) or an escalation (deadline passed), not yet sent. */
export async function dueSteps(q: Queryable, today: string): Promise<{ remind: Due[]; escalate: Due[] }> {
  const remind = await q.query<Due>(
    `SELECT s.id::text AS step_id, s.deadline::text AS deadline FROM application_steps s
      WHERE s.status = 'open' AND s.remind_on <= $1::date AND s.deadline >= $1::date
        AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.cause_key = 'remind:' || s.id::text || ':' || s.deadline::text)
      ORDER BY s.deadline, s.id`,
    [today],
  );
  const escalate = await q.query<Due>(
    `SELECT s.id::text AS step_id, s.deadline::text AS deadline FROM application_steps s
      WHERE s.status = 'open' AND s.deadline < $1::date
        AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.cause_key = 'escalate:' || s.id::text || ':' || s.deadline::text)
      ORDER BY s.deadline, s.id`,
    [today],
  );
  return { remind: remind.rows, escalate: escalate.rows };
}

/** The step, locked through its application, if it is still open with this deadline. */
async function stillDue(q: Queryable, stepId: string, deadline: string): Promise<{ app: AppRow; step: StepRow } | undefined> {
  const s = await findStep(q, stepId);
  if (!s) return undefined;
  const app = await getApplication(q, s.application_id, true);
  const step = (await findStep(q, stepId))!;
  return step.status === 'open' && step.deadline === deadline ? { app, step } : undefined;
}

/** Reminds the step's department once; false when not due (decided meanwhile, or already reminded). */
export async function remindStep(ctx: Ctx, stepId: string, deadline: string): Promise<boolean> {
  return ctx.db.tx(async (q) => {
    const today = ctx.today();
    const due = await stillDue(q, stepId, deadline);
    if (!due || today > deadline) return false;
    const { app, step } = due;
    const item = await loadItem(q, app.item_id, app.item_version);
    return notifyDepartment(q, step.department, app, {
      kind: 'deadline.remind',
      title: `审核即将到期：${item.title}`,
      body: `申请（编号 ${app.id}）的审核环节「${step.name}」应于 ${deadline} 前办结，${remainingText(today, deadline, await loadCalendar(q))}。`,
      causeKey: remindKey(step.id, deadline),
    }, ctx.now());
  });
}

/** The department a step's escalation also goes to: its parent, else the city's big-data bureau. */
async function supervisorOf(q: Queryable, department: string): Promise<string | undefined> {
  const p = await q.query<{ parent: string | null }>('SELECT parent FROM departments WHERE code = $1', [department]);
  if (p.rows[0]?.parent) return p.rows[0].parent;
  const b = await q.query<{ code: string }>(`SELECT code FROM departments WHERE kind = 'big_data' AND level = 'city' ORDER BY code LIMIT 1`);
  const code = b.rows[0]?.code;
  return code && code !== department ? code : undefined;
}

/** Escalates an overdue step once; false when not overdue any more or already escalated. */
export async function escalateStep(ctx: Ctx, stepId: string, deadline: string): Promise<boolean> {
  return ctx.db.tx(async (q) => {
    const today = ctx.today();
    const due = await stillDue(q, stepId, deadline);
    if (!due || today <= deadline) return false;
    const { app, step } = due;
    const now = ctx.now();
    const item = await loadItem(q, app.item_id, app.item_version);
    const cal = await loadCalendar(q);
    const overdue = -workingDaysBetween(today, deadline, cal);
    const supervisor = await supervisorOf(q, step.department);
    const body = `申请（编号 ${app.id}，${item.title}）的审核环节「${step.name}」承诺时限 ${step.days} 个工作日，应于 ${deadline} 前办结，现${remainingText(today, deadline, cal)}。`;
    const first = await notifyDepartment(q, step.department, app, { kind: 'deadline.escalate', title: `【超期督办】${step.name}`, body: `${body}请审核人督促办理。`, causeKey: escalateKey(step.id, deadline) }, now);
    if (!first) return false;
    if (supervisor)
      await notifyDepartment(q, supervisor, app, { kind: 'deadline.escalate', title: `【下级超期】${step.name}（${step.department}）`, body: `${body}请督办。`, causeKey: `${escalateKey(step.id, deadline)}:${supervisor}` }, now);
    await recordEvent(q, app, 'escalated', eventKey(app.id, 'step', step.seq, 'escalated', deadline), now, {
      step: step.name, department: step.department, detail: { step_id: step.id, deadline, overdue_working_days: overdue, notified: [step.department, ...(supervisor ? [supervisor] : [])] },
    });
    await appendAudit(q, { actor: 'system:deadlines', action: 'application.step.escalate', subject: `application:${app.id}`, detail: { step: step.id, deadline, supervisor: supervisor ?? null } });
    return true;
  });
}

export interface ScanResult {
  date: string;
  reminded: number;
  escalated: number;
  enqueued: number;
}

/** inline: does the work now (admin route); enqueue: one job per step for the workers (scheduled scan). */
export async function scanDeadlines(ctx: Ctx, mode: 'inline' | 'enqueue'): Promise<ScanResult> {
  const today = ctx.today();
  const due = await dueSteps(ctx.db, today);
  const out: ScanResult = { date: today, reminded: 0, escalated: 0, enqueued: 0 };
  if (mode === 'enqueue') {
    await ctx.db.tx(async (q) => {
      for (const d of due.remind) await enqueue(q, DEADLINE_QUEUES.remind, { ...d }, { key: remindKey(d.step_id, d.deadline) });
      for (const d of due.escalate) await enqueue(q, DEADLINE_QUEUES.escalate, { ...d }, { key: escalateKey(d.step_id, d.deadline) });
    });
    out.enqueued = due.remind.length + due.escalate.length;
    return out;
  }
  for (const d of due.remind) if (await remindStep(ctx, d.step_id, d.deadline)) out.reminded++;
  for (const d of due.escalate) if (await escalateStep(ctx, d.step_id, d.deadline)) out.escalated++;
  return out;
}

/** Job handlers for `kx worker`: register with one line, like catalogueJobs(ctx). */
export function applicationJobs(ctx: Ctx): Record<string, JobHandler> {
  return {
    [DEADLINE_QUEUES.scan]: async () => {
      const r = await scanDeadlines(ctx, 'enqueue');
      // The chain goes on while steps are open; the next step to open starts it again.
      const open = await ctx.db.query(`SELECT 1 FROM application_steps WHERE status = 'open' LIMIT 1`);
      if (open.rows.length) await scheduleDeadlineScan(ctx.db, ctx.now());
      return r;
    },
    [DEADLINE_QUEUES.remind]: async (job) => ({ reminded: await remindStep(ctx, String(job.payload.step_id), String(job.payload.deadline)) }),
    [DEADLINE_QUEUES.escalate]: async (job) => ({ escalated: await escalateStep(ctx, String(job.payload.step_id), String(job.payload.deadline)) }),
  };
}

