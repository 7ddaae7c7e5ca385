// The SQL evaluator joins the agreement of the four evaluators: random well-typed rules,
// each on a random date, against random populations with unknown facts, must get the
// reference interpreter's verdict from PostgreSQL, and random amount formulas its exact
// amount. One statement per batch.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Expr, FnName } from '../ast/ast.ts';
import { evalBool, evalNumber } from '../evaluate/interpret.ts';
import { resolveParams } from '../params/resolve.ts';
import { printExpr } from '../syntax/printer.ts';
import { formatDate } from '../values/dates.ts';
import type { Entity, Facts } from '../values/facts.ts';
import { arbCoarseFacts, arbDay, arbFacts, arbRule, arbZoneRule } from '../../test/arbitraries.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { runProbes, TEST_DATABASES, TEST_ZONES, uniqueTable, type OpenDatabase } from '../../test/sql/databases.ts';
import type { SqlContext } from './compile.ts';
import { createTableSql, insertEntitiesSql } from './testing.ts';
import { decodeNumber } from './verdict.ts';

describe.each(TEST_DATABASES)('SQL agrees with the interpreter on $name', (database) => {
  let db: OpenDatabase;
  const table = uniqueTable('agree');
  beforeAll(async () => {
    db = await database.open();
    await db.query(createTableSql(TEST_DICT, table, { temporary: true }));
  });
  afterAll(() => db.close());

  /** Loads the population, runs every rule in one statement; returns the disagreements and how many
   *  `within` leaves were unknown for a known region (unknown by overlap). */
  async function compareVerdicts(rules: [Expr, number][], population: Facts[]): Promise<{ disagreements: string[]; overlaps: number }> {
    const entities: Entity[] = population.map((facts, i) => ({ id: `e${String(i).padStart(2, '0')}`, kind: 'enterprise', facts }));
    await db.query(`DELETE FROM "${table}"`);
    for (const stmt of insertEntitiesSql(TEST_DICT, table, entities)) await db.query(stmt.sql, stmt.params);
    const ctxs: SqlContext[] = rules.map(([, day]) => ({ dict: TEST_DICT, params: new Map(), day, zones: TEST_ZONES }));
    const got = await runProbes(db, rules.map(([expr], k) => ({ expr, ctx: ctxs[k] })), table);
    const disagreements: string[] = [];
    let overlaps = 0;
    for (const [k, [expr]] of rules.entries())
      for (const e of entities) {
        const want = evalBool(expr, e.facts, ctxs[k]);
        const sql = got.get(e.id!)![k];
        if (want === 'U' && expr.op === 'within' && e.facts.region !== undefined) overlaps++;
        if (sql !== want) disagreements.push(`${printExpr(expr)} on ${formatDate(ctxs[k].day)} for ${JSON.stringify(e.facts)}: SQL ${sql}, interpreter ${want}`);
      }
    return { disagreements, overlaps };
  }

  it('same verdict for every rule, entity and date (property)', async () => {
    const batch = fc.record({
      rules: fc.array(fc.tuple(arbRule, arbDay), { minLength: 5, maxLength: 25 }),
      population: fc.array(arbFacts, { minLength: 1, maxLength: 15 }),
    });
    await fc.assert(
      fc.asyncProperty(batch, async ({ rules, population }) => {
        expect((await compareVerdicts(rules, population)).disagreements).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('same verdict where the region is coarser than a zone the rule names: NULL on overlap (property)', async () => {
    let overlaps = 0;
    const batch = fc.record({
      rules: fc.array(fc.tuple(arbZoneRule, arbDay), { minLength: 5, maxLength: 25 }),
      population: fc.array(fc.oneof(arbCoarseFacts, arbFacts), { minLength: 1, maxLength: 15 }),
    });
    await fc.assert(
      fc.asyncProperty(batch, async ({ rules, population }) => {
        const r = await compareVerdicts(rules, population);
        expect(r.disagreements).toEqual([]);
        overlaps += r.overlaps;
      }),
      { numRuns: 60 },
    );
    expect(overlaps).toBeGreaterThan(20);
  });

  it('same amount for every formula, entity and date, to the last decimal (property)', async () => {
    const ctx = (day: number): SqlContext => ({ dict: TEST_DICT, params: AMOUNT_PARAMS, day, zones: TEST_ZONES });
    const batch = fc.record({
      formulas: fc.array(fc.tuple(arbAmount, arbDay), { minLength: 5, maxLength: 25 }),
      population: fc.array(arbFacts, { minLength: 1, maxLength: 15 }),
    });
    await fc.assert(
      fc.asyncProperty(batch, async ({ formulas, population }) => {
        const entities: Entity[] = population.map((facts, i) => ({ id: `e${String(i).padStart(2, '0')}`, kind: 'enterprise', facts }));
        await db.query(`DELETE FROM "${table}"`);
        for (const stmt of insertEntitiesSql(TEST_DICT, table, entities)) await db.query(stmt.sql, stmt.params);
        const got = await runProbes(db, formulas.map(([expr, day]) => ({ expr, ctx: ctx(day), as: 'value' as const })), table);
        const disagreements: string[] = [];
        for (const [k, [expr, day]] of formulas.entries())
          for (const e of entities) {
            const want = evalNumber(expr, e.facts, ctx(day));
            const sql = decodeNumber(got.get(e.id!)![k]);
            if (want === undefined ? sql !== undefined : !sql?.eq(want))
              disagreements.push(`${printExpr(expr)} on ${formatDate(day)} for ${JSON.stringify(e.facts)}: SQL ${sql}, interpreter ${want}`);
          }
        expect(disagreements).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

const AMOUNT_PARAMS = resolveParams(
  [
    { name: 'bands', type: 'tiers', versions: [{ from: '1900-01-01', value: { kind: 'tiers', rows: [
      { max: '10', value: '100' }, { min: '10', max: '50.5', value: '250.25' }, { min: '80', value: '-1' } ] } }] },
    { name: 'by_size', type: 'map', versions: [{ from: '1900-01-01', value: { kind: 'map', entries: { small: '0.6', micro: '0.8' }, default: '0.3' } }] },
    { name: 'by_grade', type: 'map', versions: [{ from: '1900-01-01', value: { kind: 'map', entries: { '1': '193', '2': '161' } } }] },
  ],
  0,
);

const num = (v: string): Expr => ({ op: 'lit', value: { num: v } });
const fieldE = (name: string): Expr => ({ op: 'field', name });
/** Amount formulas: arithmetic (÷ 0 included), rounding, extremes, conditions, tiers, lookups. */
const arbAmount: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('employees', 'ui_paid_months', 'disability_grade', 'revenue', 'rd_expense', 'layoff_rate', 'income_pc').map(fieldE),
    fc.constantFrom('0', '1', '3', '-7', '0.055', '12.5', '100000', '-0.3').map(num),
    fc.tuple(fc.constantFrom<'+' | '-' | '*' | '/'>('+', '-', '*', '/'), tie('e'), tie('e')).map(([a, l, r]) => ({ op: 'arith', arith: a, left: l, right: r }) as Expr),
    tie('e').map((arg) => ({ op: 'neg', arg }) as Expr),
    fc.tuple(fc.constantFrom<FnName>('min', 'max'), fc.array(tie('e'), { minLength: 1, maxLength: 3 })).map(([fn, args]) => ({ op: 'call', fn, args }) as Expr),
    fc.tuple(tie('e'), fc.integer({ min: 0, max: 10 })).map(([x, p]) => ({ op: 'call', fn: 'round', args: [x, num(String(p))] }) as Expr),
    fc.tuple(fc.constantFrom<FnName>('floor', 'ceil', 'abs'), tie('e')).map(([fn, x]) => ({ op: 'call', fn, args: [x] }) as Expr),
    fc.tuple(arbRule, tie('e'), tie('e')).map(([cond, a, b]) => ({ op: 'if', cond, then: a, else: b }) as Expr),
    tie('e').map((value) => ({ op: 'tier', value, table: 'bands' }) as Expr),
    fc.constantFrom<Expr>(
      { op: 'lookup', value: fieldE('size_class'), table: 'by_size' },
      { op: 'lookup', value: fieldE('disability_grade'), table: 'by_grade' },
      { op: 'call', fn: 'count', args: [fieldE('qualifications')] },
      { op: 'call', fn: 'months_since', args: [fieldE('registered_on')] },
    ),
  ),
})).e;
