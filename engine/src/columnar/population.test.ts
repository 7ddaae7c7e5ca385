// The snapshot: one typed array per field on shared memory, unknown as a bitmap, rows
// appended one at a time, facts read back as they went in.
import { describe, expect, it } from 'vitest';
import { normalizeFacts, parseExpr, type Entity, type EntityKind } from '../index.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { bindPlan } from './bind.ts';
import { compileRules } from './plan.ts';
import { buildPopulation, populationBytes, PopulationBuilder, readFact } from './population.ts';

function entity(kind: EntityKind, json: Record<string, unknown>): Entity {
  return normalizeFacts(TEST_DICT, kind, json).entity;
}

const FIRM = entity('enterprise', {
  region: '371502008', employees: 12, revenue: '1234.56', registered_on: '2019-02-28', size_class: 'medium',
  qualifications: ['xjr', 'zjtx'], ui_insured_local: false, name: '东昌府区某公司', credit_status: 'good',
});
const PERSON = entity('person', { region: 'LC-JKQ', birth_date: '1990-12-31', dibao: true });

describe('PopulationBuilder', () => {
  it('reads every fact back as it was given, and unknown as undefined', () => {
    const pop = buildPopulation(TEST_DICT, [FIRM, PERSON]);
    for (const [row, e] of [FIRM, PERSON].entries())
      for (const key of TEST_DICT.fields.keys()) expect([key, readFact(TEST_DICT, pop, key, row)]).toEqual([key, e.facts[key]]);
  });

  it('grows past its capacity, row by row, keeping what it held', () => {
    const b = new PopulationBuilder(TEST_DICT, { capacity: 1 });
    for (let i = 0; i < 1000; i++) b.add(i % 2 ? PERSON : { ...FIRM, facts: { ...FIRM.facts, employees: i } });
    const pop = b.finish();
    expect(pop.size).toBe(1000);
    expect(readFact(TEST_DICT, pop, 'employees', 998)).toBe(998);
    expect(readFact(TEST_DICT, pop, 'employees', 999)).toBeUndefined();
    expect(readFact(TEST_DICT, pop, 'region', 999)).toBe('LC-JKQ');
    expect(readFact(TEST_DICT, pop, 'qualifications', 0)).toEqual(['xjr', 'zjtx']);
  });

  it('puts the columns on SharedArrayBuffer, unless told not to', () => {
    const shared = buildPopulation(TEST_DICT, [FIRM]);
    const own = buildPopulation(TEST_DICT, [FIRM], { shared: false });
    const emp = shared.columns.employees;
    expect(emp.kind === 'num' && emp.values.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(own.columns.employees.unknown.buffer instanceof SharedArrayBuffer).toBe(false);
  });

  it('builds only the fields asked for, and entity_kind always', () => {
    const pop = buildPopulation(TEST_DICT, [FIRM, PERSON], { fields: ['employees'] });
    expect(Object.keys(pop.columns).sort()).toEqual(['employees', 'entity_kind']);
    expect(readFact(TEST_DICT, pop, 'entity_kind', 1)).toBe('person');
  });

  it('reports its size in bytes: 8 per number, 4 per date, 2 per enum code, a bit per unknown', () => {
    const n = 64_000;
    const b = new PopulationBuilder(TEST_DICT, { fields: ['revenue', 'registered_on', 'size_class'], capacity: n });
    for (let i = 0; i < n; i++) b.addFacts({ entity_kind: 'enterprise', revenue: i, registered_on: i, size_class: 'small' });
    const bytes = populationBytes(b.finish());
    const unknownBits = (4 * n) / 8;
    expect(bytes).toBeGreaterThanOrEqual(8 * n + 4 * n + 2 * n + 2 * n + unknownBits);
    expect(bytes).toBeLessThan(8 * n + 4 * n + 2 * n + 2 * n + unknownBits + 1000);
  });

  it('refuses a value of the wrong type, naming the field', () => {
    const b = new PopulationBuilder(TEST_DICT);
    expect(() => b.addFacts({ entity_kind: 'enterprise', employees: 'many' as unknown as number })).toThrow(/employees/);
    expect(() => b.addFacts({ entity_kind: 'enterprise', size_class: 'huge' })).toThrow(/size_class.*huge/);
    expect(() => b.addFacts({ entity_kind: 'enterprise', qualifications: ['nope'] })).toThrow(/qualifications/);
    expect(() => new PopulationBuilder(TEST_DICT, { fields: ['no_such_field'] })).toThrow(/no_such_field/);
  });

  it('binding a plan to a snapshot without a column it needs names the field', () => {
    const pop = buildPopulation(TEST_DICT, [FIRM], { fields: ['employees'] });
    const plan = compileRules(TEST_DICT, [{ id: 'a', rule: parseExpr('revenue > 1') }], 20000);
    expect(() => bindPlan(plan, pop)).toThrow(/revenue/);
  });
});
