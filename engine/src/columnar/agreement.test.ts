// The columnar evaluator agrees with the reference interpreter: random well-typed rules
// (many at once, so that leaves and subtrees are shared) over random populations with
// unknown facts, on delicate dates, with blocks small enough that populations span
// several blocks and end mid-word.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalBool, type CmpOp, type Expr, type Facts } from '../index.ts';
import { arbCoarseFacts, arbDay, arbFacts, arbRule, arbZoneLeaf, arbZoneRule } from '../../test/arbitraries.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { columnarVerdicts } from './evaluate.ts';
import { sortForLocality } from './locality.ts';
import { compileRules } from './plan.ts';
import { buildPopulation } from './population.ts';

const VERDICT = { T: 'eligible', F: 'ineligible', U: 'undetermined' } as const;

// `if` inside conditions and values: lifted into bitset logic, except under `is known`.
const num = fc.integer({ min: -2, max: 120 }).map((x): Expr => ({ op: 'lit', value: { num: String(x) } }));
const field = fc.constantFrom('employees', 'revenue', 'layoff_rate', 'ui_paid_months').map((name): Expr => ({ op: 'field', name }));
const cmpOp = fc.constantFrom<CmpOp>('=', '!=', '<', '<=', '>', '>=');
const ifValue = fc.tuple(arbRule, fc.oneof(num, field), fc.oneof(num, field)).map(([cond, then, els]): Expr => ({ op: 'if', cond, then, else: els }));
const arbIfRule: fc.Arbitrary<Expr> = fc.oneof(
  fc.tuple(cmpOp, field, ifValue).map(([c, left, right]): Expr => ({ op: 'cmp', cmp: c, left, right })),
  fc.tuple(cmpOp, field, field, ifValue).map(([c, a, b, v]): Expr => ({ op: 'cmp', cmp: c, left: a, right: { op: 'arith', arith: '*', left: b, right: v } })),
  fc.tuple(field, ifValue, ifValue).map(([value, low, high]): Expr => ({ op: 'between', value, low, high })),
  fc.tuple(arbRule, arbRule, arbRule).map(([cond, then, els]): Expr => ({ op: 'if', cond, then, else: els })),
  fc.tuple(ifValue, fc.boolean()).map(([value, negate]): Expr => ({ op: 'known', value, negate })),
  fc.tuple(arbRule, cmpOp, field, ifValue).map(([r, c, left, right]): Expr => ({ op: 'not', arg: { op: 'and', args: [r, { op: 'cmp', cmp: c, left, right }] } })),
);

/** Checks every verdict against the interpreter; returns how many were unknown. */
function check(rules: Expr[], population: Facts[], day: number, blockWords: number, sorted: boolean): number {
  const plan = compileRules(TEST_DICT, rules.map((rule, i) => ({ id: `r${i}`, rule })), day);
  const built = buildPopulation(TEST_DICT, population.map((facts) => ({ kind: 'enterprise' as const, facts })));
  const pop = sorted ? sortForLocality(built) : built;
  const v = columnarVerdicts(plan, pop, { blockWords });
  let unknown = 0;
  rules.forEach((rule, i) => {
    for (let row = 0; row < pop.size; row++) {
      const facts = population[pop.sourceRow ? pop.sourceRow[row] : row];
      const want = VERDICT[evalBool(rule, facts, { dict: TEST_DICT, params: new Map(), day })];
      if (v.verdict(i, row) !== want) expect({ rule, facts, got: v.verdict(i, row) }).toEqual({ rule, facts, got: want });
      if (want === 'undetermined') unknown++;
    }
  });
  return unknown;
}

describe('columnar evaluator agrees with the interpreter', () => {
  it('one rule, a few entities', () => {
    fc.assert(
      fc.property(arbRule, fc.array(arbFacts, { minLength: 1, maxLength: 6 }), arbDay, (rule, pop, day) => void check([rule], pop, day, 1, false)),
      { numRuns: 1200 },
    );
  });

  it('rules with `if` in their conditions and values', () => {
    fc.assert(
      fc.property(fc.array(arbIfRule, { minLength: 1, maxLength: 4 }), fc.array(arbFacts, { minLength: 1, maxLength: 40 }), arbDay, (rules, pop, day) =>
        void check(rules, pop, day, 1, false),
      ),
      { numRuns: 600 },
    );
  });

  it('many rules sharing leaves, populations across blocks, sorted or not', () => {
    fc.assert(
      fc.property(
        fc.array(arbRule, { minLength: 1, maxLength: 12 }),
        fc.array(arbFacts, { minLength: 1, maxLength: 140 }),
        arbDay,
        fc.constantFrom(1, 2, 3),
        fc.boolean(),
        (rules, pop, day, words, sorted) => void check([...rules, ...rules.slice(0, 3)], pop, day, words, sorted),
      ),
      { numRuns: 150 },
    );
  });

  it('regions coarser than a zone the rule names: the "maybe" buckets, in bucketed and exact leaves', () => {
    // Bare `within` leaves over entities whose region is known: every unknown among them is an overlap.
    let overlaps = 0;
    // `known (if c then … else …)` stays an exact leaf: its `within` is decided by regionPairs/regionOverlaps.
    const exact = fc.tuple(arbZoneRule, fc.boolean()).map(([cond, negate]): Expr => ({
      op: 'known', negate, value: { op: 'if', cond, then: { op: 'field', name: 'employees' }, else: { op: 'lit', value: { num: '1' } } },
    }));
    fc.assert(
      fc.property(
        fc.array(arbZoneLeaf, { minLength: 1, maxLength: 4 }),
        fc.array(fc.oneof(arbZoneRule, exact), { minLength: 1, maxLength: 6 }),
        fc.array(fc.oneof(arbCoarseFacts, arbFacts), { minLength: 1, maxLength: 70 }),
        arbDay,
        fc.constantFrom(1, 2),
        fc.boolean(),
        (leaves, rules, pop, day, words, sorted) => {
          const known = pop.filter((f) => f.region !== undefined);
          if (known.length) overlaps += check(leaves, known, day, words, sorted);
          check([...rules, ...leaves], pop, day, words, sorted);
        },
      ),
      { numRuns: 150 },
    );
    expect(overlaps).toBeGreaterThan(100);
  });
});
