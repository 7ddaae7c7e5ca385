import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbCoarseFacts, arbDay, arbFacts, arbRule, arbZoneRule } from '../../test/arbitraries.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import type { PolicyItem } from '../policy/types.ts';
import { formatDate } from '../values/dates.ts';
import { evaluateItem } from './item.ts';
import { CatalogueMatcher } from './matcher.ts';

const CODE = { ineligible: 0, eligible: 1, undetermined: 2 } as const;

const arbItem = fc.record({
  rule: fc.oneof({ weight: 3, arbitrary: arbRule }, arbZoneRule),
  audience: fc.constantFrom<'enterprise' | 'person'>('enterprise', 'person'),
  // Zone scopes and town scopes, which a coarser region overlaps without lying within.
  scope: fc.subarray(['371500', '371502', '371522', 'LC-JKQ', '370000', '371502009', '371502001'], { maxLength: 2 }),
  from: fc.constantFrom('2000-01-01', '2025-01-01'),
  to: fc.constantFrom(undefined, '2025-12-31'),
});

describe('the catalogue matcher (all items for one entity)', () => {
  it('gives the verdict of evaluateItem for every item, entity and date', () => {
    fc.assert(
      fc.property(fc.array(arbItem, { minLength: 1, maxLength: 12 }), fc.array(fc.oneof(arbFacts, arbCoarseFacts), { minLength: 1, maxLength: 6 }), arbDay, (specs, people, day) => {
        const items: PolicyItem[] = specs.map((s, i) => ({
          id: `i${i}`, version: 1, title: 't', document_id: 'd', department: 'x', region_scope: s.scope, audience: s.audience, mode: 'auto',
          valid_from: s.from, ...(s.to ? { valid_to: s.to } : {}), eligibility: s.rule, params: [], materials: [], review_steps: [], statutory_days: 1, cases: [],
        }));
        const m = new CatalogueMatcher(items, TEST_DICT, day);
        for (const facts of people)
          for (const kind of ['enterprise', 'person'] as const) {
            const entity = { kind, facts: { ...facts, entity_kind: kind } };
            const got = m.evaluate(entity);
            items.forEach((it, i) => {
              const want = evaluateItem(it, entity, TEST_DICT, day, { explain: false, counterfactuals: false }).verdict;
              expect([it.id, formatDate(day), got[i]]).toEqual([it.id, formatDate(day), CODE[want]]);
            });
          }
      }),
      { numRuns: 300 },
    );
  });
});
