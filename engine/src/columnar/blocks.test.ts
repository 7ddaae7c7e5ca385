// Block and word boundaries: populations that are not multiples of 32 or of the block,
// blocks of one word, the last partial word, and the locality sort's permutation.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDictionary, createRegionTree, ENTITY_KIND_FIELD, evalBool, parseExpr, type Facts } from '../index.ts';
import { arbDay, arbFacts, arbRule } from '../../test/arbitraries.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { columnarCounts, columnarVerdicts } from './evaluate.ts';
import { sortForLocality } from './locality.ts';
import { compileRules } from './plan.ts';
import { buildPopulation } from './population.ts';

const LETTER = { T: 'eligible', F: 'ineligible', U: 'undetermined' } as const;
const RULES = fc.sample(arbRule, { seed: 42, numRuns: 40 });
const DAY = fc.sample(arbDay, { seed: 3, numRuns: 1 })[0];

function populationOf(n: number, seed: number): Facts[] {
  return fc.sample(arbFacts, { seed, numRuns: n }).map((f, i) => ({ ...f, [ENTITY_KIND_FIELD]: i % 3 === 0 ? 'person' : 'enterprise' }));
}

describe('populations across block and word boundaries', () => {
  const plan = compileRules(TEST_DICT, RULES.map((rule, i) => ({ id: `r${i}`, rule })), DAY);
  it.each([1, 31, 32, 33, 63, 64, 65, 97, 200])('%i entities, blocks of 1, 2 and 256 words', (n) => {
    const facts = populationOf(n, n);
    const pop = buildPopulation(TEST_DICT, facts.map((f) => ({ kind: f.entity_kind as 'person', facts: f })));
    for (const words of [1, 2, 256]) {
      const v = columnarVerdicts(plan, pop, { blockWords: words });
      const counts = columnarCounts(plan, pop, { blockWords: words });
      RULES.forEach((rule, i) => {
        const want = facts.map((f) => LETTER[evalBool(rule, f, { dict: TEST_DICT, params: new Map(), day: DAY })]);
        expect(facts.map((_, r) => v.verdict(i, r))).toEqual(want);
        expect(counts.eligible[i]).toBe(want.filter((x) => x === 'eligible').length);
        expect(counts.undetermined[i]).toBe(want.filter((x) => x === 'undetermined').length);
        // nothing is reported past the last entity
        expect(v.rows(i, 'eligible').every((r) => r < n)).toBe(true);
        expect(v.rows(i, 'undetermined').every((r) => r < n)).toBe(true);
      });
    }
  });
});

describe('sortForLocality', () => {
  const facts = populationOf(300, 9);
  const ids = facts.map((_, i) => `e${i}`);
  const built = buildPopulation(TEST_DICT, facts.map((f, i) => ({ id: ids[i], kind: f.entity_kind as 'person', facts: f })));
  const sorted = sortForLocality(built);

  it('is a permutation that groups entities by kind, then region', () => {
    expect([...sorted.sourceRow!].sort((a, b) => a - b)).toEqual(facts.map((_, i) => i));
    const keys = [...sorted.sourceRow!].map((s) => `${facts[s].entity_kind}|${facts[s].region ?? '\uffff'}`);
    expect(keys).toEqual([...keys].sort());
    expect(sorted.ids).toEqual([...sorted.sourceRow!].map((s) => ids[s]));
  });

  it('gives every entity the verdict it had before sorting', () => {
    const plan = compileRules(TEST_DICT, RULES.map((rule, i) => ({ id: `r${i}`, rule })), DAY);
    const a = columnarVerdicts(plan, built, { blockWords: 1 });
    const b = columnarVerdicts(plan, sorted, { blockWords: 1 });
    RULES.forEach((_, i) => {
      for (let r = 0; r < sorted.size; r++) expect(b.verdict(i, r)).toBe(a.verdict(i, sorted.sourceRow![r]));
    });
  });

  it('composes when a sorted snapshot is sorted again', () => {
    const again = sortForLocality(sorted);
    expect([...again.sourceRow!]).toEqual([...sorted.sourceRow!]);
  });
});

describe('edges of the snapshot', () => {
  it('an empty population: every count is zero, in one thread or several', async () => {
    const plan = compileRules(TEST_DICT, RULES.slice(0, 5).map((rule, i) => ({ id: `r${i}`, rule })), DAY);
    const pop = buildPopulation(TEST_DICT, []);
    expect([...columnarCounts(plan, pop).eligible]).toEqual([0, 0, 0, 0, 0]);
    const { evaluateColumnar } = await import('./parallel.ts');
    expect([...(await evaluateColumnar(plan, pop, { threads: 2 })).undetermined]).toEqual([0, 0, 0, 0, 0]);
  });

  it('a set field of more than 32 codes spans several words per entity', () => {
    const codes = Array.from({ length: 70 }, (_, i) => `c${i}`);
    const dict = createDictionary({
      enums: [{ name: 'tag', label: { zh: '标签', en: 'Tag' }, values: codes.map((c) => ({ code: c, zh: c, en: c })) }],
      fields: [{ key: 'tags', type: 'set', enum: 'tag', label: { zh: '标签', en: 'tags' }, source: 's', kinds: ['person'] }],
      sources: [{ id: 's', label: { zh: 's', en: 's' } }],
      regions: createRegionTree({ names: {} }),
    });
    const people = [['c0'], ['c31', 'c32'], ['c69'], [], undefined, ['c1', 'c40', 'c64', 'c69']];
    const pop = buildPopulation(dict, people.map((tags) => ({ kind: 'person' as const, facts: { entity_kind: 'person', ...(tags ? { tags: [...tags].sort() } : {}) } })));
    const rules = ['tags contains any ["c32", "c69"]', 'tags contains all ["c40", "c69"]', 'tags contains none ["c0", "c31"]', 'count(tags) >= 2'];
    const plan = compileRules(dict, rules.map((r, i) => ({ id: `r${i}`, rule: parseExpr(r) })), DAY);
    const v = columnarVerdicts(plan, pop, { blockWords: 1 });
    const letters = rules.map((_, i) => people.map((_, row) => v.verdict(i, row)[0]).join(''));
    // e eligible, i ineligible, u undetermined; one letter per person
    expect(letters).toEqual(['ieeiue', 'iiiiue', 'iieeue', 'ieiiue']);
  });
});
