// Every operator of the language as SQL, run on PGlite (and PostgreSQL when
// DATABASE_URL is set) against hand-computed verdicts for four entities.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeFacts, parseDate, resolveParams, type Entity, type Expr, type ParamDef } from '../index.ts';
import { parseExpr } from '../syntax/parser.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { runProbes, TEST_DATABASES, TEST_ZONES, uniqueTable, type OpenDatabase } from '../../test/sql/databases.ts';
import { compileRuleToSql, compileValueToSql, type SqlContext } from './compile.ts';
import { loadEntities } from './testing.ts';

const PARAMS: ParamDef[] = [
  { name: 'min', type: 'int', versions: [{ from: '2020-01-01', value: { kind: 'num', value: '5' } }] },
  { name: 'codes', type: 'list', versions: [{ from: '2020-01-01', value: { kind: 'list', value: ['small'] } }] },
  { name: 'bands', type: 'tiers', versions: [{ from: '2020-01-01', value: { kind: 'tiers', rows: [
    { max: '5', value: '1' }, { min: '5', max: '20', value: '2' }, { min: '20', value: '3' } ] } }] },
  { name: 'gap', type: 'tiers', versions: [{ from: '2020-01-01', value: { kind: 'tiers', rows: [{ min: '100', value: '9' }] } }] },
  { name: 'by_size', type: 'map', versions: [{ from: '2020-01-01', value: { kind: 'map', entries: { small: '100', large: '200' } } }] },
  { name: 'by_grade', type: 'map', versions: [{ from: '2020-01-01', value: { kind: 'map', entries: { '1': '193', '2': '161' }, default: '7' } }] },
];
const DAY = parseDate('2025-02-28')!;
const CTX: SqlContext = { dict: TEST_DICT, params: resolveParams(PARAMS, DAY), day: DAY, zones: TEST_ZONES };

const entity = (id: string, kind: Entity['kind'], json: Record<string, unknown>): Entity => {
  const { entity: e, errors } = normalizeFacts(TEST_DICT, kind, json);
  if (errors.length) throw new Error(errors.map((x) => x.message).join('; '));
  return { ...e, id };
};

// Order of the expected strings below: e0, e1, e2, p3.
const ENTITIES: Entity[] = [
  entity('e0', 'enterprise', {}),
  entity('e1', 'enterprise', {
    employees: 10, revenue: 12.5, rd_expense: 2.5, layoff_rate: 0.05, ui_paid_months: 12, registered_on: '2020-02-29',
    size_class: 'small', qualifications: ['zjtx', 'xjr'], ui_insured_local: true, name: 'O\'Brien "x" \\',
    region: '371502008', credit_status: 'good',
  }),
  entity('e2', 'enterprise', {
    employees: 0, revenue: -3.25, rd_expense: 0, qualifications: [], ui_insured_local: false, region: 'LC-JKQ',
    size_class: 'large', name: 'x', registered_on: '2024-12-31',
  }),
  entity('p3', 'person', { birth_date: '2000-02-29', income_pc: 1234.5, region: '371523', sex: 'f', disability_grade: 2, dibao: true }),
];

const CASES: [rule: string, expected: string][] = [
  // comparisons: unknown in → unknown out
  ['employees > 5', 'UTFU'],
  ['employees = 0', 'UFTU'],
  ['employees != 10', 'UFTU'],
  ['employees > 9.5', 'UTFU'],
  ['10.0 = employees', 'UTFU'],
  ['employees between -0.5 and 0.5', 'UFTU'],
  ['employees in [10, 0.5]', 'UTFU'],
  ['employees in [999999999999999, -999999999999999]', 'UFFU'],
  ['revenue <= 12.5', 'UTTU'],
  ['revenue < -3.25', 'UFFU'],
  ['registered_on before 2021-01-01', 'UTFU'],
  ['registered_on after 2024-12-30', 'UFTU'],
  ['registered_on >= 2024-12-31', 'UFTU'],
  ['size_class = "small"', 'UTFU'],
  ['ui_insured_local = true', 'UTFU'],
  ['ui_insured_local', 'UTFU'],
  ['name = "O\'Brien \\"x\\" \\\\"', 'UTFU'],
  ['entity_kind = "person"', 'FFFT'],
  // between: an unknown bound is unknown even where the other bound decides
  ['employees between 1 and 10', 'UTFU'],
  ['employees between 0 and rd_expense', 'UFTU'],
  ['employees between 1 and layoff_rate', 'UFUU'],
  // membership
  ['size_class in ["small", "medium"]', 'UTFU'],
  ['size_class not in ["small"]', 'UFTU'],
  ['size_class in []', 'UFFU'],
  ['size_class not in []', 'UTTU'],
  ['employees in [0, 10.0]', 'UTTU'],
  ['registered_on in [2020-02-29]', 'UTFU'],
  ['ui_insured_local in [false]', 'UFTU'],
  ['size_class in $codes', 'UTFU'],
  // sets
  ['qualifications contains any ["zjtx", "gxjs"]', 'UTFU'],
  ['qualifications contains all ["zjtx", "xjr"]', 'UTFU'],
  ['qualifications contains all []', 'UTTU'],
  ['qualifications contains none ["xjr"]', 'UFTU'],
  ['qualifications contains any []', 'UFFU'],
  ['count(qualifications) = 0', 'UFTU'],
  ['count(qualifications) = 2', 'UTFU'],
  // regions: towns, a zone code as a fact, the historical county 371523
  ['region within ["371500"]', 'UTTT'],
  ['region within ["370000"]', 'UTTT'],
  ['region within ["LC-JKQ"]', 'UTTF'],
  ['region within ["371502001"]', 'UFFF'],
  ['region not within ["370100"]', 'UTTT'],
  ['region within ["371523", "370100"]', 'UFFT'],
  // known
  ['employees is known', 'FTTF'],
  ['employees is missing', 'TFFT'],
  ['revenue / employees is known', 'FTFF'],
  // logic
  ['not (employees > 5)', 'UFTU'],
  ['employees > 5 and revenue > 0', 'UTFU'],
  ['ui_insured_local or employees > 5', 'UTFU'],
  ['at least 2 of (employees > 5, revenue > 0, ui_insured_local)', 'UTFU'],
  ['at least 1 of (employees > 5, dibao)', 'UTUT'],
  // arithmetic: exact, division truncated at 10 places, ÷ 0 unknown
  ['employees + revenue = 22.5', 'UTFU'],
  ['employees * revenue = 125', 'UTFU'],
  ['revenue / employees = 1.25', 'UTUU'],
  ['10 / 3 = 3.3333333333', 'TTTT'],
  ['-10 / 3 = -3.3333333333', 'TTTT'],
  ['2 / 3 = 0.6666666666', 'TTTT'],
  ['-revenue = -12.5', 'UTFU'],
  ['- -revenue = revenue', 'UTTU'],
  ['employees - 10 = 0', 'UTFU'],
  // functions
  ['round(revenue, 0) = 13', 'UTFU'],
  ['round(revenue, 1) = -3.3', 'UFTU'],
  ['round(-2.5, 0) = -3', 'TTTT'],
  ['round(2.345, 2) = 2.35', 'TTTT'],
  ['floor(revenue) = -4', 'UFTU'],
  ['ceil(revenue) = 13', 'UTFU'],
  ['abs(revenue) = 3.25', 'UFTU'],
  ['min(employees, revenue) = 10', 'UTFU'],
  ['min(employees, layoff_rate) is known', 'FTFF'],
  ['max(employees, 100) = 100', 'UTTU'],
  ['age(birth_date) = 24', 'UUUT'],
  ['years_since(registered_on) = 4', 'UTFU'],
  ['months_since(registered_on) = 59', 'UTFU'],
  ['days_since(registered_on) = 59', 'UFTU'],
  ['add_days(registered_on, 1) = 2025-01-01', 'UFTU'],
  ['add_months(registered_on, 2) = 2025-02-28', 'UFTU'],
  ['add_months(registered_on, employees) = 2020-12-29', 'UTFU'],
  ['add_years(registered_on, 1) = 2021-02-28', 'UTFU'],
  ['registered_on before today', 'UTTU'],
  // conditional, tiers, lookups
  ['(if size_class = "small" then employees else revenue) > 5', 'UTFU'],
  ['(if ui_insured_local then 1 else 2) = 2', 'UFTU'],
  ['tier(employees, $bands) = 2', 'UTFU'],
  ['tier(employees, $gap) = 0', 'UTTU'],
  ['lookup(size_class, $by_size) = 200', 'UFTU'],
  ['lookup(disability_grade, $by_grade) = 161', 'UUUT'],
  ['lookup(sex, $by_grade) = 7', 'UUUT'],
  ['employees > $min', 'UTFU'],
];

describe.each(TEST_DATABASES)('SQL evaluator on $name', (database) => {
  let db: OpenDatabase;
  const table = uniqueTable('ops');
  beforeAll(async () => {
    db = await database.open();
    await loadEntities(db, TEST_DICT, table, ENTITIES, { temporary: true });
  });
  afterAll(() => db.close());

  it('gives the hand-computed verdict of every operator for every entity', async () => {
    const results = await runProbes(db, CASES.map(([rule]) => ({ expr: parseExpr(rule), ctx: CTX })), table);
    const got = CASES.map((_, i) => [...results.values()].map((r) => r[i]).join(''));
    expect(CASES.map(([rule], i) => `${rule} → ${got[i]}`)).toEqual(CASES.map(([rule, want]) => `${rule} → ${want}`));
  });

  it('computes amount formulas exactly, and unknown as NULL', async () => {
    const formulas: [string, (string | null)[]][] = [
      ['revenue * 0.6 + employees / 3', [null, '10.8333333333', '-1.95', null]],
      ['tier(employees, $bands) * 100', [null, '200', '100', null]],
      ['lookup(size_class, $by_size)', [null, '100', '200', null]],
      ['count(qualifications)', [null, '2', '0', null]],
    ];
    for (const [text, want] of formulas) {
      const q = compileValueToSql(parseExpr(text), CTX);
      const { rows } = await db.query(`SELECT (${q.sql})::text AS v FROM "${table}" ORDER BY id`, q.params);
      expect(rows.map((r) => (r.v === null ? null : String(Number(r.v))))).toEqual(want.map((w) => (w === null ? null : String(Number(w)))));
    }
  });

  it('sends injection attempts in enum and text literals as parameters, never as SQL', async () => {
    const evil = [`x'); DROP TABLE "${table}"; --`, `\\'; SELECT 1; --`, `"},{"small`, `NULL`, `a$1b`, `O'Brien "x" \\`];
    for (const s of evil) {
      const rule = {
        op: 'or' as const,
        args: [
          { op: 'cmp' as const, cmp: '=' as const, left: { op: 'field' as const, name: 'name' }, right: { op: 'lit' as const, value: s } },
          { op: 'in' as const, value: { op: 'field' as const, name: 'size_class' }, list: { op: 'lit' as const, value: { list: [s, 'nope'] } } },
          { op: 'contains' as const, mode: 'any' as const, set: { op: 'field' as const, name: 'qualifications' }, list: { op: 'lit' as const, value: { list: [s] } } },
        ],
      };
      const q = compileRuleToSql(rule, CTX);
      expect(q.sql).not.toContain(s);
      expect(q.sql).not.toMatch(/'/);
      const { rows } = await db.query(`SELECT id, (${q.sql}) AS r FROM "${table}" ORDER BY id`, q.params);
      // Only e1's name equals the last string; nobody else matches anything.
      expect(rows.map((r) => r.r)).toEqual(s === `O'Brien "x" \\` ? [null, true, false, null] : [null, false, false, null]);
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${table}"`);
    expect(rows[0].n).toBe(4);
  });
});

describe('generated text', () => {
  it('holds no constants, only $n placeholders with explicit casts, numbered from the offset', () => {
    const q = compileRuleToSql(parseExpr('employees >= 12 and revenue < 12 and registered_on before 2024-01-01 and size_class in ["small"]'), CTX, {
      paramOffset: 3,
    });
    expect(q.sql).not.toMatch(/\b12\b|2024|small/);
    // An integer constant against an integer column goes as bigint (indexable); else numeric.
    expect(q.params).toEqual(['12', '12', '2024-01-01', '{"small"}']);
    expect(q.sql).toBe('(("employees" >= $4::bigint) AND ("revenue" < $5::numeric) AND ("registered_on" < $6::date) AND ("size_class" = ANY($7::text[])))');
  });

  it('sends integers beyond bigint as numeric', () => {
    const big = (v: string) => ({ op: 'cmp' as const, cmp: '=' as const, left: { op: 'field' as const, name: 'employees' }, right: { op: 'lit' as const, value: { num: v } } });
    expect(compileRuleToSql(big('9223372036854775807'), CTX).sql).toContain('::bigint');
    expect(compileRuleToSql(big('9223372036854775808'), CTX).sql).toContain('::numeric');
    expect(compileRuleToSql(big('-9223372036854775809'), CTX).sql).toContain('::numeric');
  });

  it('quotes columns and uses the given column mapping', () => {
    const q = compileRuleToSql(parseExpr('employees > 1'), CTX, { column: (f) => `t.${f}` });
    expect(q.sql).toBe('((t.employees) > $1::bigint)');
    expect(compileRuleToSql(parseExpr('employees > 1.5'), CTX).sql).toBe('("employees" > $1::numeric)');
  });

  it('spells a condition once per if, and stops hostile nesting with LIMIT instead of exhausting memory', () => {
    let nestedIf: Expr = parseExpr('employees > 1');
    for (let i = 0; i < 150; i++) nestedIf = { op: 'if', cond: nestedIf, then: { op: 'lit', value: true }, else: { op: 'lit', value: false } };
    expect(compileRuleToSql(nestedIf, CTX).sql.length).toBeLessThan(20_000);
    let nestedAtLeast: Expr = parseExpr('employees > 1');
    for (let i = 0; i < 60; i++) nestedAtLeast = { op: 'atleast', n: 1, args: [nestedAtLeast] };
    expect(() => compileRuleToSql(nestedAtLeast, CTX)).toThrow(/SQL 超过 .* \/ the rule's SQL exceeds/);
  });

  it('refuses unknown fields with a bilingual message', () => {
    expect(() => compileRuleToSql(parseExpr('nope > 1'), CTX)).toThrow(/未知字段 "nope" \/ unknown field "nope"/);
  });

  it('takes the functional zones from the region tree when the context gives none', () => {
    const { sql, params } = compileRuleToSql(parseExpr('region within ["LC-JKQ"]'), { ...CTX, zones: undefined });
    expect(sql).toContain('region');
    expect(params.join(' ')).toContain('371502008');
  });
});
