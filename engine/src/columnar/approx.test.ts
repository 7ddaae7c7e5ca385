// The certified double-precision shortcut for arithmetic comparisons must never differ
// from exact decimals: values are drawn so that ties and near-ties are common (0.1 +
// 0.2 = 0.3, 1 / 3 × 3 against 1, ratios on the threshold), and where it answers, the
// answer is the interpreter's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalBool, type CmpOp, type Expr, type Facts } from '../index.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { compileApprox } from './approx.ts';
import { buildPopulation } from './population.ts';

const FIELDS = ['employees', 'revenue', 'rd_expense', 'layoff_rate'];
const TYPES: Record<string, string> = { employees: 'int', revenue: 'dec', rd_expense: 'dec', layoff_rate: 'dec' };
const VALUES = ['0', '0.1', '0.2', '0.3', '1', '3', '0.03', '33.33', '100', '-0.1', '0.0000000001', '999999999999999', '0.333333333333333', '7', '1.1'];

const lit = fc.constantFrom(...VALUES).map((v): Expr => ({ op: 'lit', value: { num: v } }));
const num: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...FIELDS).map((name): Expr => ({ op: 'field', name })),
    lit,
    tie('e').map((arg): Expr => ({ op: 'neg', arg })),
    fc.tuple(fc.constantFrom<'+' | '-' | '*' | '/'>('+', '-', '*', '/'), tie('e'), tie('e')).map(([arith, left, right]): Expr => ({ op: 'arith', arith, left, right })),
  ),
})).e;
const cond = fc.oneof(
  fc.tuple(fc.constantFrom<CmpOp>('=', '!=', '<', '<=', '>', '>='), num, num).map(([c, left, right]): Expr => ({ op: 'cmp', cmp: c, left, right })),
  fc.tuple(num, num, num).map(([value, low, high]): Expr => ({ op: 'between', value, low, high })),
);
const facts = fc.record({
  employees: fc.option(fc.constantFrom(0, 1, 3, 7, 100), { nil: undefined }),
  revenue: fc.option(fc.constantFrom(...VALUES.map(Number)), { nil: undefined }),
  rd_expense: fc.option(fc.constantFrom(...VALUES.map(Number)), { nil: undefined }),
  layoff_rate: fc.option(fc.constantFrom(...VALUES.map(Number)), { nil: undefined }),
});

describe('certified arithmetic comparisons', () => {
  it('agree with exact decimals whenever they answer', () => {
    let answered = 0;
    let asked = 0;
    fc.assert(
      fc.property(cond, fc.array(facts, { minLength: 1, maxLength: 10 }), (e, rows) => {
        const all: Facts[] = rows.map((r) => {
          const f: Facts = { entity_kind: 'enterprise' };
          for (const [k, v] of Object.entries(r)) if (v !== undefined) f[k] = v;
          return f;
        });
        const pop = buildPopulation(TEST_DICT, all.map((f) => ({ kind: 'enterprise' as const, facts: f })), { fields: FIELDS });
        const approx = compileApprox(e, pop, TYPES)!;
        all.forEach((f, row) => {
          const got = approx(row);
          asked++;
          if (got === null) return;
          answered++;
          expect({ e, f, got }).toEqual({ e, f, got: evalBool(e, f, { dict: TEST_DICT, params: new Map(), day: 0 }) });
        });
      }),
      { numRuns: 3000 },
    );
    expect(answered / asked).toBeGreaterThan(0.7); // and it does answer most of the time
  });

  it('leaves true ties to exact decimals: 0.1 + 0.2 = 0.3 and 1 / 3 × 3 < 1', () => {
    const pop = buildPopulation(TEST_DICT, [{ kind: 'enterprise', facts: { entity_kind: 'enterprise', revenue: 0.1, rd_expense: 0.2, layoff_rate: 0.3, employees: 3 } }], { fields: FIELDS });
    const f = (name: string): Expr => ({ op: 'field', name });
    const sum: Expr = { op: 'cmp', cmp: '=', left: { op: 'arith', arith: '+', left: f('revenue'), right: f('rd_expense') }, right: f('layoff_rate') };
    expect(compileApprox(sum, pop, TYPES)!(0)).toBeNull();
    const third: Expr = { op: 'arith', arith: '*', left: { op: 'arith', arith: '/', left: { op: 'lit', value: { num: '1' } }, right: f('employees') }, right: f('employees') };
    expect(compileApprox({ op: 'cmp', cmp: '<', left: third, right: { op: 'lit', value: { num: '1' } } }, pop, TYPES)!(0)).toBeNull();
    expect(compileApprox({ op: 'cmp', cmp: '<', left: third, right: { op: 'lit', value: { num: '2' } } }, pop, TYPES)!(0)).toBe('T');
  });

  it('a zero divisor is unknown, not an error and not false', () => {
    const pop = buildPopulation(TEST_DICT, [{ kind: 'enterprise', facts: { entity_kind: 'enterprise', revenue: 0, rd_expense: 5 } }], { fields: FIELDS });
    const ratio: Expr = { op: 'cmp', cmp: '>=', left: { op: 'arith', arith: '/', left: { op: 'field', name: 'rd_expense' }, right: { op: 'field', name: 'revenue' } }, right: { op: 'lit', value: { num: '0.03' } } };
    expect(compileApprox(ratio, pop, TYPES)!(0)).toBe('U');
  });
});
