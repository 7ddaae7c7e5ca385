// fast-check generators of well-typed rules and of entities with unknown facts, over
// TEST_DICT. The four evaluators are compared on what these produce.
import fc from 'fast-check';
import type { CmpOp, Expr, FnName } from '../src/index.ts';
import { parseDate, type Facts, type Value } from '../src/index.ts';

const f = (name: string): Expr => ({ op: 'field', name });
const n = (v: string, pct = false): Expr => ({ op: 'lit', value: pct ? { num: v, pct: true } : { num: v } });
const d = (v: string): Expr => ({ op: 'lit', value: { date: v } });
const s = (v: string): Expr => ({ op: 'lit', value: v });

const INT_FIELDS = ['employees', 'ui_paid_months', 'disability_grade'];
const DEC_FIELDS = ['revenue', 'rd_expense', 'layoff_rate', 'income_pc'];
const DATE_FIELDS = ['registered_on', 'birth_date'];
const REGIONS = ['371500', '371502', '371522', '371502008', '371502001', '371523', 'LC-JKQ', '370000', '370102'];
const SIZES = ['large', 'medium', 'small', 'micro'];
const QUALS = ['zjtx', 'xjr', 'gxjs', 'kjxzx'];
const CREDIT = ['good', 'normal', 'dishonest', 'serious'];
const DIVS = ['13', '26', '34', '36', '39', '65'];

const cmpOp = fc.constantFrom<CmpOp>('=', '!=', '<', '<=', '>', '>=');
const intLit = fc.integer({ min: -2, max: 120 }).map((x) => n(String(x)));
const decText = fc.tuple(fc.integer({ min: -50, max: 5000 }), fc.integer({ min: 0, max: 3 })).map(([m, p]) => (m / 10 ** p).toFixed(p));
const decLit = fc.oneof(decText.map((t) => n(t)), fc.integer({ min: 0, max: 100 }).map((x) => n(String(x / 100), true)));
const numLit = fc.oneof(intLit, decLit);
const dateText = fc.integer({ min: parseDate('1930-01-01')!, max: parseDate('2026-12-31')! }).map((day) => {
  const dt = new Date(day * 86400000);
  return dt.toISOString().slice(0, 10);
});
const subset = <T>(xs: T[]) => fc.subarray(xs, { minLength: 0, maxLength: xs.length });

/** A numeric value expression: fields, arithmetic, functions. */
const numExpr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...INT_FIELDS, ...DEC_FIELDS).map(f),
    numLit,
    fc.tuple(fc.constantFrom<'+' | '-' | '*' | '/'>('+', '-', '*', '/'), tie('e'), tie('e')).map(([a, l, r]) => ({ op: 'arith', arith: a, left: l, right: r }) as Expr),
    fc.tuple(fc.constantFrom<FnName>('min', 'max'), fc.array(tie('e'), { minLength: 1, maxLength: 3 })).map(([fn, args]) => ({ op: 'call', fn, args }) as Expr),
    fc.tuple(tie('e'), fc.integer({ min: 0, max: 3 })).map(([x, p]) => ({ op: 'call', fn: 'round', args: [x, n(String(p))] }) as Expr),
    fc.constantFrom<FnName>('age', 'years_since', 'months_since', 'days_since').chain((fn) =>
      fc.constantFrom(...DATE_FIELDS).map((df) => ({ op: 'call', fn, args: [f(df)] }) as Expr)),
    fc.constant({ op: 'call', fn: 'count', args: [f('qualifications')] } as Expr),
  ),
})).e;

/** Leaf conditions: the shapes real policies use, plus some the fast paths must fall back on. */
const leaf: fc.Arbitrary<Expr> = fc.oneof(
  // field against a constant (the dominant shape)
  fc.tuple(cmpOp, fc.constantFrom(...INT_FIELDS, ...DEC_FIELDS), numLit).map(([c, fl, v]) => ({ op: 'cmp', cmp: c, left: f(fl), right: v }) as Expr),
  fc.tuple(cmpOp, fc.constantFrom(...DATE_FIELDS), dateText).map(([c, fl, v]) => ({ op: 'cmp', cmp: c, left: f(fl), right: d(v) }) as Expr),
  fc.tuple(cmpOp, fc.constantFrom<FnName>('age', 'years_since', 'months_since'), fc.constantFrom(...DATE_FIELDS), fc.integer({ min: 0, max: 100 })).map(
    ([c, fn, df, k]) => ({ op: 'cmp', cmp: c, left: { op: 'call', fn, args: [f(df)] }, right: n(String(k)) }) as Expr),
  fc.tuple(fc.constantFrom(...INT_FIELDS, ...DEC_FIELDS), numLit, numLit).map(([fl, a, b]) => ({ op: 'between', value: f(fl), low: a, high: b }) as Expr),
  fc.tuple(fc.constantFrom(...DATE_FIELDS), dateText, dateText).map(([fl, a, b]) => ({ op: 'between', value: f(fl), low: d(a), high: d(b) }) as Expr),
  // enums, sets, regions, booleans, known
  fc.tuple(fc.constantFrom<CmpOp>('=', '!='), fc.constantFrom(...SIZES)).map(([c, v]) => ({ op: 'cmp', cmp: c, left: f('size_class'), right: s(v) }) as Expr),
  fc.tuple(subset(CREDIT), fc.boolean()).map(([l, neg]) => ({ op: 'in', value: f('credit_status'), list: { op: 'lit', value: { list: l } }, negate: neg }) as Expr),
  fc.tuple(subset(DIVS), fc.boolean()).map(([l, neg]) => ({ op: 'in', value: f('industry_division'), list: { op: 'lit', value: { list: l } }, negate: neg }) as Expr),
  fc.tuple(fc.constantFrom<'any' | 'all' | 'none'>('any', 'all', 'none'), subset(QUALS)).map(([m, l]) => ({ op: 'contains', mode: m, set: f('qualifications'), list: { op: 'lit', value: { list: l } } }) as Expr),
  fc.tuple(fc.subarray(REGIONS, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([r, neg]) => ({ op: 'within', value: f('region'), regions: r, negate: neg }) as Expr),
  fc.constantFrom('ui_insured_local', 'dibao').map(f),
  fc.tuple(fc.constantFrom('ui_insured_local', 'dibao'), fc.boolean()).map(([fl, b]) => ({ op: 'cmp', cmp: '=', left: f(fl), right: { op: 'lit', value: b } }) as Expr),
  fc.tuple(fc.constantFrom(...INT_FIELDS, ...DEC_FIELDS, ...DATE_FIELDS, 'size_class', 'region', 'qualifications'), fc.boolean()).map(([fl, neg]) => ({ op: 'known', value: f(fl), negate: neg }) as Expr),
  // general numeric comparisons (arithmetic, two fields, functions): the fallback paths
  fc.tuple(cmpOp, numExpr, numExpr).map(([c, l, r]) => ({ op: 'cmp', cmp: c, left: l, right: r }) as Expr),
);

export const arbRule: fc.Arbitrary<Expr> = fc.letrec<{ b: Expr }>((tie) => ({
  b: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('b'), { minLength: 1, maxLength: 4 }).map((args) => ({ op: 'and', args }) as Expr),
    fc.array(tie('b'), { minLength: 1, maxLength: 4 }).map((args) => ({ op: 'or', args }) as Expr),
    tie('b').map((arg) => ({ op: 'not', arg }) as Expr),
    fc.array(tie('b'), { minLength: 1, maxLength: 4 }).chain((args) => fc.integer({ min: 0, max: args.length }).map((k) => ({ op: 'atleast', n: k, args }) as Expr)),
  ),
})).b;

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

// Regions around the zone LC-JKQ (towns 371502008/009/010/116 of 东昌府区): a `within` over the
// zone or one of its towns, asked of a coarser region (东昌府区, 聊城市, 山东省, the zone itself)
// that holds some of the zone's towns, is unknown — the "maybe" buckets of the columnar
// evaluator and the NULL branch of the SQL CASE. arbFacts meets them by chance; these meet them often.
const ZONE_TARGETS = ['LC-JKQ', '371502008', '371502009', '371502'];
const COARSE = ['371502', '371500', '370000', 'LC-JKQ'];

/** A `within` that names the zone or one of its towns (and maybe other regions). */
export const arbZoneLeaf: fc.Arbitrary<Expr> = fc
  .tuple(fc.constantFrom(...ZONE_TARGETS), fc.subarray(REGIONS, { maxLength: 2 }), fc.boolean())
  .map(([r, more, neg]) => ({ op: 'within', value: f('region'), regions: [...new Set([r, ...more])], negate: neg }) as Expr);

/** Rules in which such a `within` is combined with other conditions (and, or, not, at least). */
export const arbZoneRule: fc.Arbitrary<Expr> = fc.oneof(
  arbZoneLeaf,
  fc.tuple(arbZoneLeaf, arbRule).map(([z, r]) => ({ op: 'and', args: [z, r] }) as Expr),
  fc.tuple(arbRule, arbZoneLeaf).map(([r, z]) => ({ op: 'or', args: [r, z] }) as Expr),
  arbZoneLeaf.map((z) => ({ op: 'not', arg: z }) as Expr),
  fc.tuple(arbZoneLeaf, arbZoneLeaf, arbRule).map(([a, b, r]) => ({ op: 'atleast', n: 2, args: [a, b, r] }) as Expr),
);

/** One entity's facts; about a quarter of the facts are unknown. */
export const arbFacts: fc.Arbitrary<Facts> = fc
  .record({
    region: maybe(fc.constantFrom(...REGIONS, '371502009', '371526', '110101')),
    employees: maybe(fc.integer({ min: 0, max: 120 })),
    ui_paid_months: maybe(fc.integer({ min: 0, max: 12 })),
    disability_grade: maybe(fc.integer({ min: 1, max: 4 })),
    revenue: maybe(decText.map(Number)),
    rd_expense: maybe(decText.map(Number)),
    layoff_rate: maybe(fc.integer({ min: 0, max: 100 }).map((x) => x / 100)),
    income_pc: maybe(decText.map(Number)),
    registered_on: maybe(dateText.map((t) => parseDate(t)!)),
    birth_date: maybe(fc.oneof(dateText, fc.constantFrom('2000-02-29', '1964-02-29', '1996-02-29')).map((t) => parseDate(t)!)),
    size_class: maybe(fc.constantFrom(...SIZES)),
    credit_status: maybe(fc.constantFrom(...CREDIT)),
    industry_division: maybe(fc.constantFrom(...DIVS)),
    qualifications: maybe(subset(QUALS).map((x) => [...x].sort())),
    ui_insured_local: maybe(fc.boolean()),
    dibao: maybe(fc.boolean()),
  })
  .map((r) => {
    const facts: Facts = { entity_kind: 'enterprise' };
    for (const [k, v] of Object.entries(r)) if (v !== undefined) facts[k] = v as Value;
    return facts;
  });

/** Facts whose region is mostly coarser than the zone's towns, sometimes one of them or beside them. */
export const arbCoarseFacts: fc.Arbitrary<Facts> = fc
  .tuple(arbFacts, fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...COARSE) }, fc.constantFrom('371502009', '371502116', '371502001', '371502008001', '371522')))
  .map(([facts, region]) => ({ ...facts, region }));

/** Evaluation dates, including 29 Feb and month ends, where date arithmetic is delicate. */
export const arbDay = fc.oneof(
  fc.constantFrom('2024-02-29', '2025-02-28', '2025-03-01', '2025-12-31', '2026-01-31').map((t) => parseDate(t)!),
  dateText.filter((t) => t >= '2000-01-01').map((t) => parseDate(t)!),
);
