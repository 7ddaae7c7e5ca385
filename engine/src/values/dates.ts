// Dates are whole days since 1970-01-01 (UTC, no time zone, no clock). The engine
// never reads the current time: the evaluation date is always an argument.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const MIN_DATE = '1800-01-01';
export const MAX_DATE = '2200-12-31';
const MIN_DAY = -62091; // 1800-01-01
const MAX_DAY = 84370; // 2200-12-31

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Days since epoch for a civil date (proleptic Gregorian). */
export function dayFromYmd(y: number, m: number, d: number): number {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function ymdFromDay(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? y + 1 : y, m, d];
}

/** Parses YYYY-MM-DD; returns undefined when malformed or not a real day or out of 1800..2200. */
export function parseDate(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const y = +m[1];
  const mo = +m[2];
  const d = +m[3];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  const day = dayFromYmd(y, mo, d);
  return day < MIN_DAY || day > MAX_DAY ? undefined : day;
}

export function formatDate(day: number): string {
  const [y, m, d] = ymdFromDay(day);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Full years from `from` to `to` (age on `to`). Someone born on 29 Feb has a birthday on 1 Mar in common years. */
export function fullYears(from: number, to: number): number {
  const [y1, m1, d1] = ymdFromDay(from);
  const [y2, m2, d2] = ymdFromDay(to);
  return y2 - y1 - (m2 < m1 || (m2 === m1 && d2 < d1) ? 1 : 0);
}

/** Full months from `from` to `to`. */
export function fullMonths(from: number, to: number): number {
  const [y1, m1, d1] = ymdFromDay(from);
  const [y2, m2, d2] = ymdFromDay(to);
  return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
}

/** Adds months, clamping to the end of the month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: number, n: number): number {
  const [y, m, d] = ymdFromDay(day);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return dayFromYmd(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

export function addYears(day: number, n: number): number {
  return addMonths(day, 12 * n);
}

/**
 * The latest birth date (inclusive) at which a person is at least `years` old on `on`.
 * age(b, on) ≥ years  ⇔  b ≤ latestBirthForAge(on, years). Used by the fast paths.
 */
export function latestBirthForAge(on: number, years: number): number {
  const [y, m, d] = ymdFromDay(on);
  const ty = y - years;
  // Born on 29 Feb of ty when ty is common does not exist; the day before 1 Mar is the bound.
  if (m === 2 && d === 29 && !isLeap(ty)) return dayFromYmd(ty, 2, 28);
  return dayFromYmd(ty, m, d);
}

/** The latest start date at which full months from start to `on` is ≥ n. */
export function latestStartForMonths(on: number, n: number): number {
  const [y, m, d] = ymdFromDay(on);
  const total = y * 12 + (m - 1) - n;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12 + 1;
  // fullMonths(s, on) ≥ n ⇔ (s's y,m) < target month, or same month and s.d ≤ d.
  return dayFromYmd(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}
