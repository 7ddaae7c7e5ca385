// The working-day calendar in the database (calendar_days): seeded from the State Council
// notices in @kx/data, corrected or extended by admins year by year. Deadlines are computed
// from this copy, so a new year's notice is entered here, not in code.
import { CHINA_HOLIDAYS, type CalendarDay, type WorkCalendar, workCalendar, weekday } from '@kx/data';
import { parseDate } from '@kx/engine';
import type { Queryable } from '../../db/db.ts';
import { badInput } from '../../errors.ts';
import type { Principal } from '../../http/access.ts';
import { actorOf } from '../../http/access.ts';
import { appendAudit } from '../audit/audit.ts';

export async function loadCalendar(q: Queryable): Promise<WorkCalendar> {
  const r = await q.query<{ day: string; working: boolean }>('SELECT day::text AS day, working FROM calendar_days');
  return workCalendar(r.rows);
}

/** Loads the built-in table; days an admin already entered are kept. Returns how many were new. */
export async function seedCalendar(q: Queryable, days: readonly CalendarDay[] = CHINA_HOLIDAYS): Promise<number> {
  let n = 0;
  for (const d of days) {
    const r = await q.query('INSERT INTO calendar_days (day, working, note) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING', [d.day, d.working, d.note]);
    n += r.rowCount;
  }
  return n;
}

export async function calendarYear(q: Queryable, year: number): Promise<CalendarDay[]> {
  const r = await q.query<CalendarDay>(
    'SELECT day::text AS day, working, note FROM calendar_days WHERE day BETWEEN $1::date AND $2::date ORDER BY calendar_days.day',
    [`${year}-01-01`, `${year}-12-31`],
  );
  return r.rows;
}

/**
 * Replaces the listed days of one year. A day listed as working must be a weekend day (调休),
 * since weekdays work anyway; the year's deadlines already set keep their dates (a deadline is
 * fixed when its step starts).
 */
export async function replaceCalendarYear(q: Queryable, year: number, days: CalendarDay[], by: Principal): Promise<CalendarDay[]> {
  const seen = new Set<string>();
  days.forEach((d, i) => {
    const n = parseDate(d.day);
    if (n === undefined || !d.day.startsWith(`${year}-`))
      throw badInput(`days[${i}].day`, `日期 ${JSON.stringify(d.day)} 无效或不在 ${year} 年内`, `${JSON.stringify(d.day)} is not a date of ${year}`);
    if (seen.has(d.day)) throw badInput(`days[${i}].day`, `日期 ${d.day} 重复`, `${d.day} is listed twice`);
    seen.add(d.day);
    const w = weekday(n);
    if (d.working && w !== 0 && w !== 6)
      throw badInput(`days[${i}].working`, `${d.day} 是工作日（周一至周五），无需列为调休上班`, `${d.day} is a weekday; only weekend days can be listed as make-up working days`);
  });
  await q.query('DELETE FROM calendar_days WHERE day BETWEEN $1::date AND $2::date', [`${year}-01-01`, `${year}-12-31`]);
  for (const d of days) await q.query('INSERT INTO calendar_days (day, working, note) VALUES ($1, $2, $3)', [d.day, d.working, d.note ?? '']);
  await appendAudit(q, { actor: actorOf(by), action: 'calendar.update', subject: `calendar:${year}`, detail: { days: days.length, holidays: days.filter((d) => !d.working).length, workdays: days.filter((d) => d.working).length } });
  return calendarYear(q, year);
}
