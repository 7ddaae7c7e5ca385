// Three-valued logic is SQL's NULL logic: truth tables of and/or/not/at least/if over
// every combination of true, false and unknown; then the whole-query helpers (verdicts,
// counts, batches) and the table helper used by tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Expr } from '../ast/ast.ts';
import type { Entity } from '../values/facts.ts';
import { parseDate } from '../values/dates.ts';
import { parseExpr } from '../syntax/parser.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { runProbes, TEST_DATABASES, TEST_ZONES, uniqueTable, type OpenDatabase } from '../../test/sql/databases.ts';
import type { SqlContext } from './compile.ts';
import { createTableSql, insertEntitiesSql, loadEntities } from './testing.ts';
import { decodeNumber, itemVerdictCountSql, itemVerdictSql, verdictCountSql, verdictSql } from './verdict.ts';
import { evaluateItem, itemContext } from '../evaluate/item.ts';
import type { PolicyItem } from '../policy/types.ts';

type Tri = 'T' | 'F' | 'U';
const TRI: Tri[] = ['T', 'F', 'U'];
const ctx: SqlContext = { dict: TEST_DICT, params: new Map(), day: parseDate('2025-06-01')!, zones: TEST_ZONES };

// Condition i is `<field_i> > 0`: true for 1, false for 0, unknown when the fact is absent.
const FIELDS = ['employees', 'ui_paid_months', 'revenue'];
const conds: Expr[] = FIELDS.map((f) => parseExpr(`${f} > 0`));
const combos: Tri[][] = TRI.flatMap((a) => TRI.flatMap((b) => TRI.map((c) => [a, b, c])));
const truthEntities: Entity[] = combos.map((combo, i) => {
  const facts: Entity['facts'] = { entity_kind: 'enterprise' };
  combo.forEach((t, k) => {
    if (t !== 'U') facts[FIELDS[k]] = t === 'T' ? 1 : 0;
  });
  return { id: `c${String(i).padStart(2, '0')}`, kind: 'enterprise', facts };
});

// The language's definitions (docs/rule-language.md), written out for the tables.
const kAnd = (xs: Tri[]): Tri => (xs.includes('F') ? 'F' : xs.includes('U') ? 'U' : 'T');
const kOr = (xs: Tri[]): Tri => (xs.includes('T') ? 'T' : xs.includes('U') ? 'U' : 'F');
const kNot = (x: Tri): Tri => (x === 'T' ? 'F' : x === 'F' ? 'T' : 'U');
const kAtLeast = (n: number, xs: Tri[]): Tri => {
  const t = xs.filter((x) => x === 'T').length;
  const u = xs.filter((x) => x === 'U').length;
  return t >= n ? 'T' : t + u < n ? 'F' : 'U';
};

describe.each(TEST_DATABASES)('query helpers on $name', (database) => {
  let db: OpenDatabase;
  const truth = uniqueTable('truth');
  beforeAll(async () => {
    db = await database.open();
    await loadEntities(db, TEST_DICT, truth, truthEntities, { temporary: true });
  });
  afterAll(() => db.close());

  it('maps Kleene and/or/not/at least/if onto SQL NULL for every combination', async () => {
    const [a, b, c] = conds;
    const table: [string, Expr, (x: Tri[]) => Tri][] = [
      ['a and b', { op: 'and', args: [a, b] }, (x) => kAnd([x[0], x[1]])],
      ['a or b', { op: 'or', args: [a, b] }, (x) => kOr([x[0], x[1]])],
      ['not a', { op: 'not', arg: a }, (x) => kNot(x[0])],
      ['a and b and c', { op: 'and', args: [a, b, c] }, kAnd],
      ['a or b or c', { op: 'or', args: [a, b, c] }, kOr],
      ['not (a and not b) or c', { op: 'or', args: [{ op: 'not', arg: { op: 'and', args: [a, { op: 'not', arg: b }] } }, c] }, (x) => kOr([kNot(kAnd([x[0], kNot(x[1])])), x[2]])],
      ...[0, 1, 2, 3, 4].map((n): [string, Expr, (x: Tri[]) => Tri] => [`at least ${n} of (a, b, c)`, { op: 'atleast', n, args: [a, b, c] }, (x) => kAtLeast(n, x)]),
      ['if a then b else c', { op: 'if', cond: a, then: b, else: c }, (x) => (x[0] === 'U' ? 'U' : x[0] === 'T' ? x[1] : x[2])],
      ['a is known', { op: 'known', value: a }, (x) => (x[0] === 'U' ? 'F' : 'T')],
      ['a is missing', { op: 'known', value: a, negate: true }, (x) => (x[0] === 'U' ? 'T' : 'F')],
    ];
    const got = await runProbes(db, table.map(([, expr]) => ({ expr, ctx })), truth);
    for (const [k, [name, , ref]] of table.entries()) {
      const want = combos.map((x) => `${x.join('')}→${ref(x)}`);
      expect({ name, rows: combos.map((x, i) => `${x.join('')}→${got.get(truthEntities[i].id!)![k]}`) }).toEqual({ name, rows: want });
    }
  });

  it('answers verdicts per entity and counts per verdict for an effective item rule', async () => {
    const rule = parseExpr('entity_kind = "enterprise" and region within ["371500"] and employees > 5 and revenue is known');
    const table = uniqueTable('verdicts');
    const ents: Entity[] = [
      { id: 'a', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: '371502', employees: 9, revenue: 1 } },
      { id: 'b', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: '370102', employees: 9, revenue: 1 } },
      { id: 'c', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: 'LC-JKQ', employees: 9 } },
      { id: 'd', kind: 'enterprise', facts: { entity_kind: 'enterprise', employees: 9, revenue: 1 } },
      { id: 'e', kind: 'person', facts: { entity_kind: 'person', region: '371502' } },
      { id: 'f', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: '371523', employees: 3, revenue: 1 } },
    ];
    await loadEntities(db, TEST_DICT, table, ents, { temporary: true });
    const q = verdictSql(rule, ctx, { table });
    const { rows } = await db.query(`${q.sql} ORDER BY id`, q.params);
    // c: revenue missing is still decided by "is known" → ineligible; d: region unknown → undetermined.
    expect(rows).toEqual([
      { id: 'a', verdict: 'eligible' }, { id: 'b', verdict: 'ineligible' }, { id: 'c', verdict: 'ineligible' },
      { id: 'd', verdict: 'undetermined' }, { id: 'e', verdict: 'ineligible' }, { id: 'f', verdict: 'ineligible' },
    ]);
    const n = verdictCountSql(rule, ctx, { table });
    const counts = await db.query(`SELECT verdict, n::int AS n FROM (${n.sql}) c ORDER BY verdict`, n.params);
    expect(counts.rows).toEqual([{ verdict: 'eligible', n: 1 }, { verdict: 'ineligible', n: 4 }, { verdict: 'undetermined', n: 1 }]);
  });

  it('evaluates many rules and values, each with its own date, in one statement', async () => {
    const table = uniqueTable('batch');
    await loadEntities(db, TEST_DICT, table, [
      { id: 'p', kind: 'person', facts: { entity_kind: 'person', birth_date: parseDate('2007-06-02')!, income_pc: 1000 } },
      { id: 'q', kind: 'person', facts: { entity_kind: 'person' } },
    ], { temporary: true });
    const on = (d: string): SqlContext => ({ ...ctx, day: parseDate(d)! });
    const got = await runProbes(db, [
      { expr: parseExpr('age(birth_date) >= 18'), ctx: on('2025-06-01') },
      { expr: parseExpr('age(birth_date) >= 18'), ctx: on('2025-06-02') },
      { expr: parseExpr('income_pc / 3'), ctx, as: 'value' },
      { expr: parseExpr('age(birth_date)'), ctx: on('2030-01-01'), as: 'value' },
    ], table);
    expect(got.get('p')!.slice(0, 2)).toEqual(['F', 'T']);
    expect(decodeNumber(got.get('p')![2])!.toFixed()).toBe('333.3333333333');
    expect(decodeNumber(got.get('p')![3])!.toFixed()).toBe('22');
    expect(got.get('q')!.map((x) => (x === null ? undefined : x)).map((x, i) => (i < 2 ? x : decodeNumber(x)))).toEqual(['U', 'U', undefined, undefined]);
  });

  it('creates a typed table and inserts facts of every type, in batches below the parameter limit', async () => {
    const table = uniqueTable('types');
    expect(createTableSql(TEST_DICT, table)).toMatch(/"employees" bigint, "revenue" numeric,.*"registered_on" date.*"qualifications" text\[\].*"ui_insured_local" boolean/);
    const many: Entity[] = Array.from({ length: 4000 }, (_, i) => ({
      id: `m${i}`, kind: 'enterprise',
      facts: { entity_kind: 'enterprise', employees: i, revenue: i / 8, registered_on: i, qualifications: i % 2 ? ['xjr', 'zjtx'] : [], ui_insured_local: i % 3 === 0, name: `名称 "${i}"` },
    }));
    const stmts = insertEntitiesSql(TEST_DICT, table, many);
    expect(stmts.length).toBe(2);
    expect(Math.max(...stmts.map((s) => s.params.length))).toBeLessThanOrEqual(65_535);
    await loadEntities(db, TEST_DICT, table, many, { temporary: true });
    const { rows } = await db.query(
      `SELECT id, employees::text AS e, revenue::text AS r, registered_on::text AS d, qualifications AS q, ui_insured_local AS b, name, region
         FROM "${table}" WHERE id IN ('m0', 'm3999')  ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'm0', e: '0', r: '0', d: '1970-01-01', q: [], b: true, name: '名称 "0"', region: null },
      { id: 'm3999', e: '3999', r: '499.875', d: '1980-12-13', q: ['xjr', 'zjtx'], b: true, name: '名称 "3999"', region: null },
    ]);
  });
});

describe.each(TEST_DATABASES)('item verdicts on $name', (database) => {
  let db: OpenDatabase;
  const table = uniqueTable('items');
  const entities: Entity[] = [
    { id: 'a', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: '371502008', employees: 30, revenue: 1000.555 } },
    { id: 'b', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: '371502008', employees: 30 } },
    { id: 'c', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: '370102', employees: 30, revenue: 5 } },
    { id: 'd', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: '371526', revenue: 5 } },
    { id: 'e', kind: 'person', facts: { entity_kind: 'person', region: '371502' } },
    { id: 'f', kind: 'enterprise', facts: { entity_kind: 'enterprise', region: 'LC-JKQ', employees: 2, revenue: -9.99 } },
  ];
  const item: PolicyItem = {
    id: 'test-item', version: 1, title: '测试事项', document_id: 'doc', department: 'dept', region_scope: ['371500'],
    audience: 'enterprise', mode: 'auto', valid_from: '2025-01-01', valid_to: '2025-12-31',
    eligibility: parseExpr('employees >= $min'), amount: parseExpr('revenue * $rate'),
    params: [
      { name: 'min', type: 'int', versions: [{ from: '2024-01-01', value: { kind: 'num', value: '10' } }, { from: '2025-07-01', value: { kind: 'num', value: '2' } }] },
      { name: 'rate', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'num', value: '0.333' } }] },
    ],
    materials: [], review_steps: [], statutory_days: 5, cases: [],
  };
  beforeAll(async () => {
    db = await database.open();
    await loadEntities(db, TEST_DICT, table, entities, { temporary: true });
  });
  afterAll(() => db.close());

  it('agrees with evaluateItem on verdict and amount, inside and outside the validity', async () => {
    for (const date of ['2024-12-31', '2025-03-01', '2025-07-01', '2026-01-01']) {
      const day = parseDate(date)!;
      const ctx: SqlContext = { ...itemContext(item, TEST_DICT, day), zones: TEST_ZONES };
      const q = itemVerdictSql(item, ctx, { table });
      const { rows } = await db.query(`SELECT id, verdict, amount::text AS amount FROM (${q.sql}) v ORDER BY id`, q.params);
      const want = entities.map((e) => {
        const v = evaluateItem(item, e, TEST_DICT, day, { explain: false, counterfactuals: false });
        return { id: e.id, verdict: v.verdict, amount: v.amount?.value ?? null };
      });
      expect({ date, rows: rows.map((r) => ({ ...r, amount: r.amount === null ? null : decodeNumber(r.amount as string)!.toFixed() })) }).toEqual({ date, rows: want });
      const c = itemVerdictCountSql(item, ctx, { table });
      const counts = await db.query(`SELECT verdict, n::int AS n FROM (${c.sql}) c`, c.params);
      const tally = new Map(counts.rows.map((r) => [r.verdict, r.n]));
      for (const verdict of ['eligible', 'ineligible', 'undetermined']) expect(tally.get(verdict) ?? 0).toBe(want.filter((w) => w.verdict === verdict).length);
    }
  });
});
