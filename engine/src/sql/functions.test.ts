// Decimal and date functions in SQL against the engine's own definitions
// (values/decimal.ts, values/dates.ts): hand-picked edge cases, then property tests
// with many random inputs per query.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, addYears, dayFromYmd, formatDate, fullMonths, fullYears, isLeap, parseDate } from '../values/dates.ts';
import { dec, decToString, divide, roundHalfAway } from '../values/decimal.ts';
import { parseExpr } from '../syntax/parser.ts';
import { TEST_DATABASES, type OpenDatabase } from '../../test/sql/databases.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { compileValueToSql } from './compile.ts';
import { addDaysSql, addMonthsSql, daysBetweenSql, divSql, fullMonthsSql, fullYearsSql, roundSql } from './functions.ts';
import { arrayLiteral } from './params.ts';

const MIN_DAY = dayFromYmd(1800, 1, 1);
const MAX_DAY = dayFromYmd(2200, 12, 31);

/** Decimals as facts and constants are: at most 15 significant digits, any sign and scale. */
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), fc.integer({ min: 0, max: 12 }))
  .map(([neg, digits, scale]) => {
    const s = digits.toString().padStart(scale + 1, '0');
    const text = scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
    return decToString(dec((neg ? '-' : '') + text));
  });
/** Divisors: often small, sometimes zero. */
const divisorText = fc.oneof(decimalText, fc.constantFrom('0', '3', '-3', '7', '0.3', '-0.07', '1'));

const day = fc.integer({ min: MIN_DAY, max: MAX_DAY });
/** Days near 29 Feb and month ends, where full-year and month arithmetic is delicate. */
const delicateDay = fc
  .tuple(fc.integer({ min: 1801, max: 2199 }), fc.constantFrom([2, 28], [2, 29], [3, 1], [1, 31], [3, 31], [12, 31], [4, 30]))
  .map(([y, [m, d]]) => dayFromYmd(y, m, m === 2 && d === 29 && !isLeap(y) ? 28 : d));
const anyDay = fc.oneof(day, delicateDay);

describe.each(TEST_DATABASES)('functions on $name', (database) => {
  let db: OpenDatabase;
  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(() => db.close());

  /** Evaluates `expr(a, b)` over many numeric pairs in one query; results as text (null = NULL). */
  async function numericPairs(expr: (a: string, b: string) => string, pairs: [string, string][], bCast = 'numeric'): Promise<(string | null)[]> {
    const { rows } = await db.query(
      `SELECT (${expr('t.a', 't.b')})::text AS r FROM unnest($1::numeric[], $2::${bCast}[]) WITH ORDINALITY AS t(a, b, i) ORDER BY t.i`,
      [arrayLiteral(pairs.map((p) => p[0])), arrayLiteral(pairs.map((p) => p[1]))],
    );
    return rows.map((r) => r.r as string | null);
  }
  const same = (got: string | null, want: string | undefined) => (want === undefined ? got === null : got !== null && dec(got).eq(dec(want)));

  it('divides truncating toward zero at 10 places, and ÷ 0 is unknown', async () => {
    const cases: [string, string, string | null][] = [
      ['1', '3', '0.3333333333'], ['-1', '3', '-0.3333333333'], ['2', '3', '0.6666666666'], ['-2', '3', '-0.6666666666'],
      ['2', '-3', '-0.6666666666'], ['-2', '-3', '0.6666666666'], ['10', '4', '2.5'], ['0', '5', '0'], ['5', '0', null],
      ['0', '0', null], ['0.00000000001', '1', '0'], ['-0.00000000009', '1', '0'], ['999999999999999', '0.000001', '999999999999999000000'],
      ['0.9999999999999', '1', '0.9999999999'], ['1', '0.0000000003', '3333333333.3333333333'],
    ];
    const got = await numericPairs(divSql, cases.map(([a, b]) => [a, b]));
    expect(got.map((g, i) => same(g, cases[i][2] ?? undefined))).toEqual(cases.map(() => true));
  });

  it('agrees with decimal.js division on random decimals (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(decimalText, divisorText), { minLength: 50, maxLength: 200 }), async (pairs) => {
        const got = await numericPairs(divSql, pairs);
        const bad = pairs.filter(([a, b], i) => !same(got[i], divide(dec(a), dec(b))?.toFixed()));
        expect(bad).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('rounds half away from zero, like roundHalfAway (edge cases and property)', async () => {
    const cases: [string, string, string][] = [
      ['2.5', '0', '3'], ['-2.5', '0', '-3'], ['0.005', '2', '0.01'], ['-0.005', '2', '-0.01'], ['1.2345', '3', '1.235'],
      ['1.2344999', '3', '1.234'], ['-0.5', '0', '-1'], ['0.49999999999', '0', '0'], ['123.45', '10', '123.45'],
    ];
    const got = await numericPairs((a, b) => roundSql(a, b), cases.map(([a, n]) => [a, n]), 'int');
    expect(got.map((g, i) => same(g, cases[i][2]))).toEqual(cases.map(() => true));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(decimalText, fc.integer({ min: 0, max: 10 })), { minLength: 50, maxLength: 200 }), async (pairs) => {
        const got2 = await numericPairs((a, b) => roundSql(a, b), pairs.map(([a, n]) => [a, String(n)]), 'int');
        const bad = pairs.filter(([a, n], i) => !same(got2[i], roundHalfAway(dec(a), n).toFixed()));
        expect(bad).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  /** Evaluates date builders over many (from, to, n) rows in one query. */
  async function dateRows(rows: [number, number, number][]) {
    const { rows: out } = await db.query(
      `SELECT ${fullYearsSql('t.a', 't.b')} AS y, ${fullMonthsSql('t.a', 't.b')} AS m, ${daysBetweenSql('t.a', 't.b')} AS d,
              ${addMonthsSql('t.a', 't.n')}::text AS am, ${addMonthsSql('t.a', 't.n::int * 12')}::text AS ay, ${addDaysSql('t.a', 't.n')}::text AS ad
         FROM unnest($1::date[], $2::date[], $3::int[]) WITH ORDINALITY AS t(a, b, n, i) ORDER BY t.i`,
      [arrayLiteral(rows.map((r) => formatDate(r[0]))), arrayLiteral(rows.map((r) => formatDate(r[1]))), arrayLiteral(rows.map((r) => String(r[2])))],
    );
    return out.map((r) => ({ y: Number(r.y), m: Number(r.m), d: Number(r.d), am: r.am as string, ay: r.ay as string, ad: r.ad as string }));
  }
  const expected = ([a, b, n]: [number, number, number]) => ({
    y: fullYears(a, b), m: fullMonths(a, b), d: b - a,
    am: formatDate(addMonths(a, n)), ay: formatDate(addYears(a, n)), ad: formatDate(a + n),
  });

  it('counts full years from 29 Feb to 1 Mar in common years, and clamps month ends', async () => {
    const d = (s: string) => parseDate(s)!;
    const rows: [number, number, number][] = [
      [d('2000-02-29'), d('2001-02-28'), 12], // 0 years; +12 months → 2001-02-28
      [d('2000-02-29'), d('2001-03-01'), 1], // 1 year; +1 month → 2000-03-29
      [d('2000-02-29'), d('2004-02-29'), 48], // 4 years
      [d('2024-01-31'), d('2024-02-29'), 1], // 0 full months; +1 month → 2024-02-29
      [d('2023-01-31'), d('2023-03-01'), 1], // 1 full month; +1 month → 2023-02-28
      [d('2024-03-31'), d('2020-01-01'), -1], // backwards: -5 years; -1 month → 2024-02-29
    ];
    const got = await dateRows(rows);
    expect(got).toEqual(rows.map(expected));
    expect(got[0]).toMatchObject({ y: 0, am: '2001-02-28', ay: '2012-02-29' });
    expect(got[1]).toMatchObject({ y: 1, am: '2000-03-29' });
  });

  it('agrees with dates.ts on random dates, Feb 29 included (property)', async () => {
    const row = fc.tuple(anyDay, anyDay, fc.integer({ min: -1200, max: 1200 }));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 100, maxLength: 300 }), async (rows) => {
        const got = await dateRows(rows);
        const bad = rows.filter((r, i) => JSON.stringify(got[i]) !== JSON.stringify(expected(r)));
        expect(bad.map((r) => [r.map(String), got[rows.indexOf(r)], expected(r)])).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('compiles age, months_since and days_since against the evaluation date (property)', async () => {
    const exprs = ['age(birth_date)', 'months_since(birth_date)', 'days_since(birth_date)'].map((t) => parseExpr(t));
    await fc.assert(
      fc.asyncProperty(anyDay, fc.array(anyDay, { minLength: 50, maxLength: 150 }), async (today, births) => {
        const ctx = { dict: TEST_DICT, params: new Map(), day: today };
        const compiled = exprs.map((e) => compileValueToSql(e, ctx, { column: () => 't.b' }));
        // Each compiled expression numbers its own parameters from $1; the births come last.
        for (const [k, q] of compiled.entries()) {
          const { rows } = await db.query(
            `SELECT (${q.sql})::text AS v FROM unnest($${q.params.length + 1}::date[]) WITH ORDINALITY AS t(b, i) ORDER BY t.i`,
            [...q.params, arrayLiteral(births.map(formatDate))],
          );
          const want = births.map((b) => String([fullYears(b, today), fullMonths(b, today), today - b][k]));
          expect(rows.map((r) => r.v)).toEqual(want);
        }
      }),
      { numRuns: 15 },
    );
  });
});
