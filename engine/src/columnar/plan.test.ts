// Compiling a catalogue: items become one shared graph bound to the day. Verdicts must
// be the item-level verdicts of evaluateItem (validity, audience, region scope, dated
// parameters, tables inside conditions).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateItem, parseDate, parseExpr, type Entity, type ParamDef, type PolicyItem } from '../index.ts';
import { arbFacts } from '../../test/arbitraries.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { columnarVerdicts } from './evaluate.ts';
import { compileCatalogue, compileRules, planFields } from './plan.ts';
import { buildPopulation } from './population.ts';

function item(id: string, rule: string, over: Partial<PolicyItem> = {}): PolicyItem {
  return {
    id, version: 1, title: id, document_id: 'doc', department: 'lc-rsj', region_scope: ['371500'], audience: 'enterprise', mode: 'auto',
    valid_from: '2025-01-01', valid_to: '2025-12-31', eligibility: parseExpr(rule), params: [], materials: [], review_steps: [],
    statutory_days: 10, cases: [], ...over,
  };
}

const num = (v: string) => ({ kind: 'num' as const, value: v });
const PARAMS: ParamDef[] = [
  { name: 'cap', type: 'dec', versions: [{ from: '2023-01-01', to: '2024-12-31', value: num('0.05') }, { from: '2025-01-01', value: num('0.2') }] },
  { name: 'min_staff', type: 'int', versions: [{ from: '2020-01-01', value: num('10') }] },
  { name: 'size_weight', type: 'map', versions: [{ from: '2020-01-01', value: { kind: 'map', entries: { large: '3', medium: '2' }, default: '1' } }] },
  { name: 'staff_band', type: 'tiers', versions: [{ from: '2020-01-01', value: { kind: 'tiers', rows: [{ max: '10', value: '0' }, { min: '10', max: '50', value: '1' }, { min: '50', value: '2' }] } }] },
  { name: 'cut_off', type: 'date', versions: [{ from: '2020-01-01', value: { kind: 'date', value: '2022-01-01' } }] },
  { name: 'bad_divs', type: 'list', versions: [{ from: '2020-01-01', value: { kind: 'list', value: ['13', '26'] } }] },
];

const CATALOGUE: PolicyItem[] = [
  item('cap', 'layoff_rate <= $cap and employees >= $min_staff', { params: PARAMS }),
  item('tables', 'lookup(size_class, $size_weight) * tier(employees, $staff_band) >= 2', { params: PARAMS }),
  item('dated', 'registered_on before $cut_off and industry_division not in $bad_divs', { params: PARAMS }),
  item('county', 'employees >= 1', { region_scope: ['371502'] }),
  item('zone', 'revenue > 10', { region_scope: ['LC-JKQ', '370102'] }),
  item('nowhere', 'employees >= 1', { region_scope: [] }),
  item('people', 'dibao', { audience: 'person' }),
  item('expired', 'employees >= 0', { valid_from: '2020-01-01', valid_to: '2024-12-31' }),
  item('not-yet', 'employees >= 0', { valid_from: '2026-01-01', valid_to: undefined }),
  item('open-ended', 'employees >= 0', { valid_from: '2025-06-01', valid_to: undefined }),
];

describe('compileCatalogue', () => {
  it('gives every entity the verdict evaluateItem gives, item by item', () => {
    fc.assert(
      fc.property(fc.array(arbFacts, { minLength: 1, maxLength: 40 }), fc.constantFrom('2024-06-01', '2025-06-01', '2026-02-01'), (facts, date) => {
        const day = parseDate(date)!;
        const entities: Entity[] = facts.map((f, i) => (i % 5 === 4 ? { kind: 'person', facts: { ...f, entity_kind: 'person' } } : { kind: 'enterprise', facts: f }));
        const plan = compileCatalogue(TEST_DICT, CATALOGUE, day);
        const v = columnarVerdicts(plan, buildPopulation(TEST_DICT, entities), { blockWords: 1 });
        CATALOGUE.forEach((it, i) =>
          entities.forEach((e, row) => {
            const want = evaluateItem(it, e, TEST_DICT, day, { explain: false, counterfactuals: false }).verdict;
            if (v.verdict(i, row) !== want) expect({ item: it.id, date, facts: e.facts, got: v.verdict(i, row) }).toEqual({ item: it.id, date, facts: e.facts, got: want });
          }),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('items outside their validity are ineligible for everyone, without evaluation', () => {
    const plan = compileCatalogue(TEST_DICT, CATALOGUE, parseDate('2025-06-01')!);
    expect(plan.stats.items).toBe(CATALOGUE.length);
    expect(plan.stats.activeItems).toBe(CATALOGUE.length - 2);
    const i = plan.itemIds.indexOf('expired');
    expect(plan.nodes[plan.roots[i]]).toEqual({ op: 'const', value: 'F' });
  });

  it('a snapshot of only the fields the plan reads gives the same verdicts', () => {
    const day = parseDate('2025-06-01')!;
    const plan = compileCatalogue(TEST_DICT, CATALOGUE, day);
    const entities: Entity[] = fc.sample(arbFacts, { seed: 11, numRuns: 50 }).map((facts) => ({ kind: 'enterprise', facts }));
    const fields = planFields(plan);
    expect(fields).not.toContain('name');
    const slim = columnarVerdicts(plan, buildPopulation(TEST_DICT, entities, { fields }));
    const full = columnarVerdicts(plan, buildPopulation(TEST_DICT, entities));
    expect([...slim.t]).toEqual([...full.t]);
    expect([...slim.u]).toEqual([...full.u]);
  });

  it('names the item whose parameter has no value in force', () => {
    const broken = item('broken', 'employees >= $gone', { params: [{ name: 'gone', type: 'int', versions: [{ from: '2020-01-01', to: '2020-12-31', value: num('1') }] }] });
    expect(() => compileCatalogue(TEST_DICT, [broken], parseDate('2025-06-01')!)).toThrow(/broken.*gone/);
  });
});

describe('sharing', () => {
  const day = parseDate('2025-06-01')!;
  it('a condition written a thousand times is one leaf', () => {
    const rules = Array.from({ length: 1000 }, (_, i) => ({ id: `r${i}`, rule: parseExpr(`employees > 9 and size_class in ["small", "micro"] and revenue >= ${i % 10}`) }));
    const { stats } = compileRules(TEST_DICT, rules, day);
    expect(stats.leavesTotal).toBe(3000);
    expect(stats.leavesDistinct).toBe(12); // employees > 9, the size_class list, ten revenue thresholds
  });

  it('equal conditions meet whatever their spelling: > 9 is >= 10 on an integer field, not is pushed inside', () => {
    const rules = ['employees > 9', 'employees >= 10', 'not (employees < 10)', '10 <= employees', 'employees >= 9.5'].map((r, i) => ({ id: `r${i}`, rule: parseExpr(r) }));
    const plan = compileRules(TEST_DICT, rules, day);
    expect(plan.stats.leavesDistinct).toBe(1);
    expect(new Set(plan.roots).size).toBe(1);
  });

  it('equal subtrees are stored once and marked shared', () => {
    const sub = '(layoff_rate <= 0.05 or (employees <= 30 and layoff_rate <= 0.2))';
    const rules = [`${sub} and revenue > 1`, `credit_status != "serious" and ${sub}`].map((r, i) => ({ id: `r${i}`, rule: parseExpr(r) }));
    const plan = compileRules(TEST_DICT, rules, day);
    expect(plan.stats.sharedNodes).toBe(1);
  });

  it('counts the leaves that need entity-by-entity evaluation', () => {
    const rules = ['rd_expense / revenue >= 0.03', 'employees >= revenue', 'employees >= 3'].map((r, i) => ({ id: `r${i}`, rule: parseExpr(r) }));
    expect(compileRules(TEST_DICT, rules, day).stats.fallbackLeaves).toBe(2);
  });
});
