// The working-day calendar of statutory time limits (承诺时限): Monday to Friday are working
// days, except the public holidays the State Council announces each year, and a weekend day is
// a working day when the notice makes it one (调休上班). Dates are civil dates YYYY-MM-DD.
//
// Counting follows 民法典 §201 (期间按日计算的，开始的当日不计入): a step that starts on a day
// and has n working days ends on the n-th working day after that day, whatever the start is.
//
// Sources: 国务院办公厅关于2025年部分节假日安排的通知 (2024-11-12) and 国务院办公厅关于2026年
// 部分节假日安排的通知 (2025-11-04, as 新华社 published it). The table is only the seed:
// the server loads it into calendar_days, where an admin corrects or extends it (PUT
// /api/v1/calendar); deadlines are computed from the database copy. 2026 以国务院办公厅通知为准.
import { formatDate, parseDate } from '@kx/engine';

export interface CalendarDay {
  day: string;
  /** true: a weekend day worked (调休上班); false: a day off (holiday, or a weekend inside one). */
  working: boolean;
  note: string;
}

function off(from: string, to: string, note: string): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (let d = parseDate(from)!; d <= parseDate(to)!; d++) out.push({ day: formatDate(d), working: false, note });
  return out;
}
const work = (day: string, note: string): CalendarDay => ({ day, working: true, note: `${note}调休上班` });

export const CHINA_HOLIDAYS_2025: CalendarDay[] = [
  ...off('2025-01-01', '2025-01-01', '元旦'),
  work('2025-01-26', '春节'),
  ...off('2025-01-28', '2025-02-04', '春节'),
  work('2025-02-08', '春节'),
  ...off('2025-04-04', '2025-04-06', '清明节'),
  work('2025-04-27', '劳动节'),
  ...off('2025-05-01', '2025-05-05', '劳动节'),
  ...off('2025-05-31', '2025-06-02', '端午节'),
  work('2025-09-28', '国庆节、中秋节'),
  ...off('2025-10-01', '2025-10-08', '国庆节、中秋节'),
  work('2025-10-11', '国庆节、中秋节'),
];

export const CHINA_HOLIDAYS_2026: CalendarDay[] = [
  ...off('2026-01-01', '2026-01-03', '元旦'),
  work('2026-01-04', '元旦'),
  work('2026-02-14', '春节'),
  ...off('2026-02-15', '2026-02-23', '春节'),
  work('2026-02-28', '春节'),
  ...off('2026-04-04', '2026-04-06', '清明节'),
  ...off('2026-05-01', '2026-05-05', '劳动节'),
  work('2026-05-09', '劳动节'),
  ...off('2026-06-19', '2026-06-21', '端午节'),
  work('2026-09-20', '国庆节'),
  ...off('2026-09-25', '2026-09-27', '中秋节'),
  ...off('2026-10-01', '2026-10-07', '国庆节'),
  work('2026-10-10', '国庆节'),
];

export const CHINA_HOLIDAYS: CalendarDay[] = [...CHINA_HOLIDAYS_2025, ...CHINA_HOLIDAYS_2026];

/** The listed exceptions to the Monday–Friday week: day number → working? */
export interface WorkCalendar {
  readonly exceptions: ReadonlyMap<number, boolean>;
}

export function workCalendar(days: readonly Pick<CalendarDay, 'day' | 'working'>[]): WorkCalendar {
  const exceptions = new Map<number, boolean>();
  for (const d of days) {
    const n = parseDate(d.day);
    if (n === undefined) throw new Error(`日历日期无效：${JSON.stringify(d.day)}，应为 YYYY-MM-DD / invalid calendar date ${JSON.stringify(d.day)}, expected YYYY-MM-DD`);
    exceptions.set(n, d.working);
  }
  return { exceptions };
}

/** 0 = Sunday … 6 = Saturday (1970-01-01, day 0, was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWorkingDay(day: number, cal: WorkCalendar): boolean {
  const listed = cal.exceptions.get(day);
  if (listed !== undefined) return listed;
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

// No calendar has a year without working days; a table that says otherwise is an error, not a
// reason to loop forever.
const MAX_SPAN = 3660;

function toDay(s: string, what: string): number {
  const d = parseDate(s);
  if (d === undefined) throw new Error(`${what}日期无效：${JSON.stringify(s)}，应为 YYYY-MM-DD / invalid ${what} date ${JSON.stringify(s)}, expected YYYY-MM-DD`);
  return d;
}

/**
 * The n-th working day after `start` (start itself not counted); for n < 0 the |n|-th working
 * day before it; for n = 0 the start itself.
 */
export function addWorkingDays(start: string, n: number, cal: WorkCalendar): string {
  if (!Number.isInteger(n)) throw new Error(`工作日数应为整数，实际为 ${n} / working days must be an integer, got ${n}`);
  let d = toDay(start, '起始');
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  for (let walked = 0; left > 0; walked++) {
    if (walked > MAX_SPAN + Math.abs(n)) throw new Error(`日历中 ${start} 之后十年内没有足够的工作日 / no ${n} working days within ten years of ${start}`);
    d += step;
    if (isWorkingDay(d, cal)) left--;
  }
  return formatDate(d);
}

/**
 * Working days in (from, to]: how many working days after `from` up to and including `to`;
 * when `to` is before `from`, minus the working days in (to, from]. For n ≥ 0,
 * addWorkingDays(a, n) = b implies workingDaysBetween(a, b) = n.
 */
export function workingDaysBetween(from: string, to: string, cal: WorkCalendar): number {
  const a = toDay(from, '起始');
  const b = toDay(to, '截止');
  if (b === a) return 0;
  const [lo, hi, sign] = b > a ? [a, b, 1] : [b, a, -1];
  let n = 0;
  for (let d = lo + 1; d <= hi; d++) if (isWorkingDay(d, cal)) n++;
  // never -0: a caller comparing with 0 by Object.is, or printing it, must see 0
  return n === 0 ? 0 : sign * n;
}
