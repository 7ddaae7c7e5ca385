// Time to money (R7, issue point 4): for every grant and application, the days from first
// eligible → notified → applied → each review step → approved → paid, read from case_timeline
// alone, and per item or department the median and 90th percentile against the statutory
// days, with how many open cases are past their limit today.
//
// Conventions (docs/decisions/0013-payouts.md): a duration is the number of calendar days
// between the dates of two events (the platform's day, as ctx.today() reckons it); the
// percentile interpolates linearly between ranks (R-7, Excel PERCENTILE.INC), so the median of
// an even count is the mean of the middle two; a case belongs to the period of the day it was
// first eligible (or of its first event); overdue counts working days on the calendar_days
// calendar (holidays and 调休) from the day the clock started: first eligible for a grant,
// applied for an application.
import { addWorkingDays, workCalendar, type WorkCalendar } from '@kx/data';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError } from '../../errors.ts';
import type { Officer } from './officer.ts';
import type { TimeToMoneyGroup, TimeToMoneyQuery, TimeToMoneyReport } from './schema.ts';

const MILESTONES = ['first_eligible', 'notified', 'applied', 'approved', 'paid'] as const;
type Milestone = (typeof MILESTONES)[number];

export interface CaseTimes {
  case_type: 'grant' | 'application';
  case_id: string;
  item_id: string;
  department: string;
  /** Dates (YYYY-MM-DD) of each milestone the case reached. */
  at: Partial<Record<Milestone, string>>;
  /** Review steps: first start and last approval (a returned step is started again). */
  steps: { step: string; started?: string; done?: string }[];
  started: string;
  /** The case can still reach money (not paid, rejected, withdrawn, superseded …). */
  open: boolean;
  statutory_days: number | null;
}

const DAY = 86_400_000;
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);
const dateOf = (t: Date | string | null | undefined) => (t ? new Date(t).toISOString().slice(0, 10) : undefined);

/** Linear interpolation between closest ranks (R-7); undefined for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const v = lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
  return Math.round(v * 100) / 100;
}

/** The stages a case went through, in order: consecutive milestones it reached, and its review steps. */
export function caseStages(c: CaseTimes): { from: string; to: string; days: number }[] {
  const out: { from: string; to: string; days: number }[] = [];
  let prev: Milestone | undefined;
  for (const m of MILESTONES) {
    if (!c.at[m]) continue;
    if (prev) out.push({ from: prev, to: m, days: daysBetween(c.at[prev]!, c.at[m]!) });
    prev = m;
  }
  for (const s of c.steps) if (s.started && s.done) out.push({ from: `step:${s.step}`, to: `step:${s.step}:done`, days: daysBetween(s.started, s.done) });
  return out;
}

/** The day the statutory limit runs out: the clock starts at first eligible (grant) or applied (application). */
export function deadlineOf(c: CaseTimes, cal: WorkCalendar): string | undefined {
  const start = c.case_type === 'grant' ? c.at.first_eligible : c.at.applied;
  if (!start || c.statutory_days === null) return undefined;
  return addWorkingDays(start, c.statutory_days, cal);
}

export function summarise(key: string, cases: CaseTimes[], today: string, cal: WorkCalendar): TimeToMoneyGroup {
  const span = (a: Milestone, b: Milestone) => cases.filter((c) => c.at[a] && c.at[b]).map((c) => daysBetween(c.at[a]!, c.at[b]!));
  const e2p = span('first_eligible', 'paid');
  const a2a = span('applied', 'approved');
  const stageDays = new Map<string, { from: string; to: string; days: number[] }>();
  let within = 0;
  let open = 0;
  let overdue = 0;
  for (const c of cases) {
    for (const s of caseStages(c)) {
      const k = `${s.from}→${s.to}`;
      if (!stageDays.has(k)) stageDays.set(k, { from: s.from, to: s.to, days: [] });
      stageDays.get(k)!.days.push(s.days);
    }
    const deadline = deadlineOf(c, cal);
    if (c.at.paid && deadline && c.at.paid <= deadline) within++;
    const clockRuns = c.case_type === 'grant' ? c.at.first_eligible : c.at.applied;
    if (c.open && !c.at.paid && clockRuns) {
      open++;
      if (deadline && today > deadline) overdue++;
    }
  }
  const order = (s: string) => (s.startsWith('step:') ? MILESTONES.indexOf('applied') + 0.5 : MILESTONES.indexOf(s as Milestone));
  return {
    key,
    department: cases[0]?.department ?? key,
    cases: cases.length,
    paid: cases.filter((c) => c.at.paid).length,
    eligible_to_paid: { cases: e2p.length, median_days: percentile(e2p, 0.5), p90_days: percentile(e2p, 0.9) },
    applied_to_approved: { cases: a2a.length, median_days: percentile(a2a, 0.5), p90_days: percentile(a2a, 0.9) },
    statutory_days: [...new Set(cases.map((c) => c.statutory_days).filter((d): d is number => d !== null))].sort((a, b) => a - b),
    paid_within_statutory: within,
    open,
    overdue_now: overdue,
    stages: [...stageDays.values()]
      .sort((a, b) => order(a.from) - order(b.from) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
      .map((s) => ({ from: s.from, to: s.to, cases: s.days.length, median_days: percentile(s.days, 0.5), p90_days: percentile(s.days, 0.9) })),
  };
}

// Statuses in which a case can no longer reach money (the grants' and applications' own words).
const CLOSED = ['paid', 'rejected', 'withdrawn', 'cancelled', 'superseded', 'blocked_budget', 'blocked_quota'];

/** Every case of the cohort with its milestone dates, from case_timeline (stored events and the grants' own, migration 049). */
export async function loadCaseTimes(q: Queryable, opts: { from?: string; to?: string; department?: string }): Promise<CaseTimes[]> {
  const params: unknown[] = [opts.from ?? '0001-01-01', opts.to ?? '9999-12-31'];
  const dept = opts.department ? `AND COALESCE(g.department, a.department, ev.department) = $${params.push(opts.department)}` : '';
  const cohort = `
    WITH ev AS (
      SELECT e.case_type, e.case_id, min(e.item_id) AS item_id, min(e.item_version) AS item_version, min(e.department) AS department,
             min(e.at) AS started,
             ${MILESTONES.map((m) => `min(e.at) FILTER (WHERE e.event = '${m}') AS ${m}`).join(', ')},
             bool_or(e.event = 'rejected') AS rejected
        FROM case_timeline e GROUP BY e.case_type, e.case_id),
    cohort AS (
      SELECT ev.*, COALESCE(g.department, a.department, ev.department) AS paying_department, COALESCE(g.status, a.status) AS status
        FROM ev
        LEFT JOIN grants g ON ev.case_type = 'grant' AND g.id = ev.case_id
        LEFT JOIN applications a ON ev.case_type = 'application' AND a.id = ev.case_id
       WHERE (COALESCE(ev.first_eligible, ev.started) AT TIME ZONE 'UTC')::date BETWEEN $1::date AND $2::date ${dept})`;
  const r = await q.query<Record<string, unknown> & { case_type: 'grant' | 'application'; case_id: string; item_id: string; paying_department: string; status: string | null; rejected: boolean; statutory: string | null }>(
    `${cohort}
     SELECT c.case_type, c.case_id::text AS case_id, c.item_id, c.paying_department, c.status, c.rejected, c.started, ${MILESTONES.map((m) => `c.${m}`).join(', ')},
            iv.body ->> 'statutory_days' AS statutory
       FROM cohort c LEFT JOIN item_versions iv ON iv.item_id = c.item_id AND iv.version = c.item_version`,
    params,
  );
  const steps = await q.query<{ case_type: string; case_id: string; step: string; started: Date | null; done: Date | null }>(
    `${cohort}
     SELECT e.case_type, e.case_id::text AS case_id, e.step,
            min(e.at) FILTER (WHERE e.event = 'step_started') AS started, max(e.at) FILTER (WHERE e.event = 'step_done') AS done
       FROM case_timeline e JOIN cohort c ON c.case_type = e.case_type AND c.case_id = e.case_id
      WHERE e.event IN ('step_started', 'step_done') AND e.step IS NOT NULL
      GROUP BY e.case_type, e.case_id, e.step`,
    params,
  );
  const stepsOf = new Map<string, CaseTimes['steps']>();
  for (const s of steps.rows) {
    const k = `${s.case_type}:${s.case_id}`;
    if (!stepsOf.has(k)) stepsOf.set(k, []);
    stepsOf.get(k)!.push({ step: s.step, started: dateOf(s.started), done: dateOf(s.done) });
  }
  return r.rows.map((row) => {
    const at: CaseTimes['at'] = {};
    for (const m of MILESTONES) {
      const d = dateOf(row[m] as Date | null);
      if (d) at[m] = d;
    }
    const statutory = row.statutory === null ? null : Number(row.statutory);
    return {
      case_type: row.case_type, case_id: row.case_id, item_id: row.item_id, department: row.paying_department,
      at, steps: stepsOf.get(`${row.case_type}:${row.case_id}`) ?? [], started: dateOf(row.started as Date)!,
      open: !row.rejected && !CLOSED.includes(row.status ?? ''),
      statutory_days: Number.isInteger(statutory) ? statutory : null,
    };
  });
}

const STAFF = ['clerk', 'approver', 'payout'];

export async function timeToMoney(ctx: Ctx, by: Officer, query: TimeToMoneyQuery): Promise<TimeToMoneyReport> {
  let department = query.department;
  if (!by.operator && by.role && STAFF.includes(by.role)) {
    if (department && department !== by.department) throw new DomainError('FORBIDDEN', `只能查看本部门（${by.department}）的兑现时效`, `you may see the time to money of your own department (${by.department}) only`, 'department');
    department = by.department;
  } else if (!by.operator && by.role !== 'leader' && by.role !== 'admin') throw new DomainError('FORBIDDEN', '无权查看兑现时效报表', 'not allowed to see the time-to-money report');
  if (query.from && query.to && query.from > query.to) throw new DomainError('BAD_INPUT', `起始日期 ${query.from} 晚于截止日期 ${query.to}`, `from ${query.from} is after to ${query.to}`, 'from');
  const group = query.group ?? 'item';
  const cases = await loadCaseTimes(ctx.db, { from: query.from, to: query.to, department });
  const days = await ctx.db.query<{ day: string; working: boolean }>('SELECT day::text AS day, working FROM calendar_days');
  const cal = workCalendar(days.rows);
  const groups = new Map<string, CaseTimes[]>();
  for (const c of cases) {
    const k = group === 'item' ? c.item_id : c.department;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(c);
  }
  const today = ctx.today();
  return {
    group, from: query.from ?? null, to: query.to ?? null, as_of: today, calendar: 'working_days',
    groups: [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, cs]) => summarise(k, cs, today, cal)),
  };
}
