import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDate, parseDate } from '@kx/engine';
import { CHINA_HOLIDAYS, addWorkingDays, isWorkingDay, weekday, workCalendar, workingDaysBetween } from './calendar.ts';

const cal = workCalendar(CHINA_HOLIDAYS);
const plain = workCalendar([]);
const working = (s: string) => isWorkingDay(parseDate(s)!, cal);

describe('the 2025 and 2026 tables follow the State Council notices', () => {
  it.each([
    // day, working?, why
    ['2025-01-01', false, '元旦'],
    ['2025-01-26', true, '春节调休（周日上班）'],
    ['2025-01-27', true, '春节前的周一'],
    ['2025-01-28', false, '除夕'],
    ['2025-02-04', false, '春节最后一天'],
    ['2025-02-05', true, '春节后第一个工作日'],
    ['2025-02-08', true, '春节调休（周六上班）'],
    ['2025-04-04', false, '清明'],
    ['2025-04-27', true, '劳动节调休（周日上班）'],
    ['2025-05-05', false, '劳动节'],
    ['2025-06-02', false, '端午'],
    ['2025-09-28', true, '国庆调休（周日上班）'],
    ['2025-10-08', false, '国庆中秋最后一天'],
    ['2025-10-09', true, '国庆后第一个工作日'],
    ['2025-10-11', true, '国庆调休（周六上班）'],
    ['2025-10-12', false, '普通周日'],
    ['2026-01-02', false, '元旦'],
    ['2026-01-04', true, '元旦调休（周日上班）'],
    ['2026-02-14', true, '春节调休（周六上班）'],
    ['2026-02-23', false, '春节最后一天（周一）'],
    ['2026-02-28', true, '春节调休（周六上班）'],
    ['2026-05-09', true, '劳动节调休（周六上班）'],
    ['2026-09-20', true, '国庆调休（周日上班）'],
    ['2026-09-25', false, '中秋'],
    ['2026-10-07', false, '国庆最后一天'],
    ['2026-10-10', true, '国庆调休（周六上班）'],
  ])('%s working = %s (%s)', (day, want) => {
    expect(working(day)).toBe(want);
  });

  it('has the length of each holiday the notices give (days off in a row)', () => {
    const run = (from: string) => {
      let n = 0;
      for (let d = parseDate(from)!; !isWorkingDay(d, cal); d++) n++;
      return n;
    };
    expect([run('2025-01-28'), run('2025-05-01'), run('2025-10-01')]).toEqual([8, 5, 8]);
    expect([run('2026-02-15'), run('2026-05-01'), run('2026-10-01')]).toEqual([9, 5, 7]);
  });

  it('lists every 调休 working day on a weekend, every holiday entry as a day off', () => {
    for (const d of CHINA_HOLIDAYS) {
      const w = weekday(parseDate(d.day)!);
      if (d.working) expect([0, 6], d.day).toContain(w);
      expect(d.note, d.day).not.toBe('');
    }
  });
});

describe('addWorkingDays', () => {
  it('does not count the start day (民法典 §201)', () => {
    expect(addWorkingDays('2025-06-30', 1, plain)).toBe('2025-07-01');
    expect(addWorkingDays('2025-06-27', 1, plain)).toBe('2025-06-30'); // Friday → Monday
  });

  it('puts a 国庆 deadline after the holiday: 5 working days from 2025-09-29 end on 2025-10-13', () => {
    // 9-30 (1); 10-1…10-8 off; 10-9 (2), 10-10 (3), 10-11 Saturday worked (4), 10-13 (5)
    expect(addWorkingDays('2025-09-29', 5, cal)).toBe('2025-10-13');
    // Without the holiday table it would have been the Monday of the holiday.
    expect(addWorkingDays('2025-09-29', 5, plain)).toBe('2025-10-06');
  });

  it('puts a 春节 deadline after the holiday and counts the 调休 Saturday', () => {
    // From 2025-01-24 (Fri): 1-26 Sunday worked (1), 1-27 (2); 1-28…2-4 off; 2-5 (3), 2-6 (4), 2-7 (5), 2-8 Saturday worked (6)
    expect(addWorkingDays('2025-01-24', 6, cal)).toBe('2025-02-08');
    expect(addWorkingDays('2026-02-13', 3, cal)).toBe('2026-02-25'); // 2-14 Sat worked, then 2-24, 2-25
  });

  it('goes backwards for a negative count and stays put for zero', () => {
    expect(addWorkingDays('2025-10-13', -2, cal)).toBe('2025-10-10');
    expect(addWorkingDays('2025-10-09', -1, cal)).toBe('2025-09-30');
    expect(addWorkingDays('2025-10-03', 0, cal)).toBe('2025-10-03');
  });

  it('refuses a bad date or a fractional count, naming the value', () => {
    expect(() => addWorkingDays('2025-02-30', 1, cal)).toThrow(/2025-02-30/);
    expect(() => addWorkingDays('2025-02-03', 1.5, cal)).toThrow(/1\.5/);
  });

  it('refuses a calendar with no working days instead of looping forever', () => {
    const never = workCalendar(Array.from({ length: 4000 }, (_, i) => ({ day: formatDate(parseDate('2025-01-01')! + i), working: false })));
    expect(() => addWorkingDays('2025-01-01', 1, never)).toThrow(/working days/);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days of the 国庆 window', () => {
    expect(workingDaysBetween('2025-09-29', '2025-10-13', cal)).toBe(5);
    expect(workingDaysBetween('2025-09-29', '2025-10-08', cal)).toBe(1);
    expect(workingDaysBetween('2025-10-13', '2025-10-13', cal)).toBe(0);
    expect(workingDaysBetween('2025-10-14', '2025-10-13', cal)).toBe(-1);
  });

  const days = fc.integer({ min: parseDate('2024-12-01')!, max: parseDate('2027-01-31')! }).map(formatDate);
  it('is the inverse of addWorkingDays for any start and count (property)', () => {
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 60 }), (start, n) => {
        const end = addWorkingDays(start, n, cal);
        expect(workingDaysBetween(start, end, cal)).toBe(n);
        // the deadline itself is a working day, so nothing earlier would do
        if (n > 0) expect(working(end)).toBe(true);
      }),
    );
  });

  it('is additive over any three days (property)', () => {
    fc.assert(
      fc.property(days, days, days, (a, b, c) => {
        expect(workingDaysBetween(a, b, cal) + workingDaysBetween(b, c, cal)).toBe(workingDaysBetween(a, c, cal));
      }),
    );
  });
});
