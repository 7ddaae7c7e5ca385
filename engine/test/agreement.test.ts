// The four evaluators must agree. Random well-typed rules and random entities (with
// unknown facts) are evaluated by the reference interpreter and by the compiled
// per-entity path; the columnar and SQL evaluators join in their own agreement tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkExpr, compileBool, evalBool, type EvalContext } from '../src/index.ts';
import { arbCoarseFacts, arbDay, arbFacts, arbRule, arbZoneLeaf, arbZoneRule } from './arbitraries.ts';
import { TEST_DICT } from './fixtures.ts';

const TRI = ['F', 'T', 'U'] as const;

describe('interpreter and compiled evaluator agree', () => {
  it('generated rules are well-typed (the generator is honest)', () => {
    fc.assert(
      fc.property(arbRule, (rule) => {
        expect(checkExpr(rule, 'bool', { dict: TEST_DICT }).map((e) => e.message)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('same verdict for every rule, entity and date', () => {
    fc.assert(
      fc.property(arbRule, fc.array(arbFacts, { minLength: 1, maxLength: 8 }), arbDay, (rule, population, day) => {
        const ctx: EvalContext = { dict: TEST_DICT, params: new Map(), day };
        const compiled = compileBool(rule, ctx);
        for (const facts of population) expect(TRI[compiled(facts)]).toBe(evalBool(rule, facts, ctx));
      }),
      { numRuns: 1500 },
    );
  });

  it('same verdict where the region is coarser than a zone the rule names (unknown, not false)', () => {
    let unknownWithin = 0;
    fc.assert(
      fc.property(arbZoneRule, arbZoneLeaf, fc.array(arbCoarseFacts, { minLength: 1, maxLength: 8 }), arbDay, (rule, leaf, population, day) => {
        const ctx: EvalContext = { dict: TEST_DICT, params: new Map(), day };
        const compiled = compileBool(rule, ctx);
        const compiledLeaf = compileBool(leaf, ctx);
        for (const facts of population) {
          expect(TRI[compiled(facts)]).toBe(evalBool(rule, facts, ctx));
          const want = evalBool(leaf, facts, ctx);
          expect(TRI[compiledLeaf(facts)]).toBe(want);
          if (want === 'U') unknownWithin++; // the region is known here: unknown only by overlap
        }
      }),
      { numRuns: 500 },
    );
    expect(unknownWithin).toBeGreaterThan(100);
  });
});
