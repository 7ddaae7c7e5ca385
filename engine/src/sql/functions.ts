// SQL for the language's arithmetic and date functions, written so that PostgreSQL's
// answer equals the interpreter's for every input (engine/src/values/{decimal,dates}.ts).
// Each builder takes SQL fragments that are already self-delimiting (parenthesised
// or atomic) and returns one. Only built-in functions: the output must run on Citus.

/**
 * a ÷ b truncated toward zero at 10 places, NULL for b = 0. `div` is PostgreSQL's exact
 * integer quotient (truncated toward zero, also for negatives); `/` would round at a
 * scale of its own choosing first. Multiplying by 1e-10 is exact, dividing by 1e10 is not.
 */
export function divSql(a: string, b: string): string {
  return `(div(${a} * 10000000000, NULLIF(${b}, 0)) * 0.0000000001)`;
}

/** round half away from zero: PostgreSQL's round(numeric, int) does exactly that. */
export function roundSql(x: string, places: string): string {
  return `round(${x}, ${places})`;
}

/**
 * min/max of the language are unknown when any argument is; LEAST/GREATEST skip NULLs,
 * so a guard restores the rule. `nullable` marks arguments that can be NULL at all.
 */
export function extremeSql(fn: 'LEAST' | 'GREATEST', args: readonly string[], nullable: readonly boolean[]): string {
  const call = `${fn}(${args.join(', ')})`;
  const guards = args.filter((_, i) => nullable[i]).map((a) => `${a} IS NULL`);
  return guards.length ? `(CASE WHEN ${guards.join(' OR ')} THEN NULL ELSE ${call} END)` : call;
}

const part = (field: 'year' | 'month' | 'day', d: string) => `extract(${field} from ${d})::int`;

/**
 * Full years from `from` to `to` (fullYears in dates.ts): the year difference, less one
 * while (month, day) of `to` is before that of `from`. A 29 Feb birthday is therefore
 * reached on 1 Mar in common years. PostgreSQL's age() borrows days differently.
 */
export function fullYearsSql(from: string, to: string): string {
  return (
    `(${part('year', to)} - ${part('year', from)}` +
    ` - CASE WHEN (${part('month', to)}, ${part('day', to)}) < (${part('month', from)}, ${part('day', from)}) THEN 1 ELSE 0 END)`
  );
}

/** Full months from `from` to `to` (fullMonths in dates.ts). */
export function fullMonthsSql(from: string, to: string): string {
  return (
    `((${part('year', to)} - ${part('year', from)}) * 12 + ${part('month', to)} - ${part('month', from)}` +
    ` - CASE WHEN ${part('day', to)} < ${part('day', from)} THEN 1 ELSE 0 END)`
  );
}

/** Days from `from` to `to`: date minus date is an integer in PostgreSQL. */
export function daysBetweenSql(from: string, to: string): string {
  return `(${to} - ${from})`;
}

export function addDaysSql(d: string, n: string): string {
  return `(${d} + (${n})::int)`;
}

/**
 * Adding an interval of months clamps to the month's end (31 Jan + 1 month = 29 Feb
 * 2024), as addMonths does; the timestamp it yields has no time zone, so ::date is exact.
 */
export function addMonthsSql(d: string, months: string): string {
  return `((${d} + (${months})::int * interval '1 month')::date)`;
}
