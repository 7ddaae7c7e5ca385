// Hand-computed verdicts, one letter per entity (T eligible, F ineligible, U
// undetermined), for every operator of the language on a small TEST_DICT population.
import { describe, expect, it } from 'vitest';
import { evalBool, normalizeFacts, parseDate, parseExpr, type Entity, type EntityKind, type Expr } from '../index.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { columnarCounts, columnarVerdicts } from './evaluate.ts';
import { compileRules } from './plan.ts';
import { buildPopulation } from './population.ts';

const LETTER = { eligible: 'T', ineligible: 'F', undetermined: 'U' } as const;

export function entity(kind: EntityKind, json: Record<string, unknown>): Entity {
  const r = normalizeFacts(TEST_DICT, kind, json);
  if (r.errors.length) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.entity;
}

/** Verdict letters per rule, one per entity, from the columnar evaluator. */
export function letters(rules: string[], entities: Entity[], day: number, blockWords = 256): string[] {
  const plan = compileRules(TEST_DICT, rules.map((r, i) => ({ id: String(i), rule: parseExpr(r) })), day);
  const v = columnarVerdicts(plan, buildPopulation(TEST_DICT, entities), { blockWords });
  return rules.map((_, i) => entities.map((_, row) => LETTER[v.verdict(i, row)]).join(''));
}

const DAY = parseDate('2025-06-01')!;
const POPULATION = [
  entity('enterprise', { region: '371502008', employees: 10, revenue: '100', rd_expense: 5, layoff_rate: '0.055', ui_paid_months: 12,
    registered_on: '2020-01-01', size_class: 'small', industry_division: '13', credit_status: 'good', qualifications: ['zjtx', 'xjr'],
    ui_insured_local: true, name: '甲公司' }),
  entity('enterprise', { region: '371523', employees: 0, revenue: 0, layoff_rate: 0.2, ui_paid_months: 6, registered_on: '2025-06-01',
    size_class: 'micro', industry_division: '65', credit_status: 'serious', qualifications: [], ui_insured_local: false, name: '乙' }),
  entity('enterprise', {}),
  entity('person', { region: '371502001', birth_date: '2000-02-29', sex: 'f', income_pc: '800.5', disability_grade: 2, dibao: true, credit_status: 'normal' }),
  entity('person', { region: '370102', birth_date: '2007-06-02', sex: 'm', dibao: false }),
];

//   rule                                                  E0 E1 E2 P3 P4
const TABLE: [string, string][] = [
  ['employees >= 10', 'TFUUU'],
  ['employees > 10', 'FFUUU'],
  ['employees < 10', 'FTUUU'],
  ['employees <= 0', 'FTUUU'],
  ['employees = 0', 'FTUUU'],
  ['employees != 0', 'TFUUU'],
  ['10 <= employees', 'TFUUU'],
  ['revenue between 0 and 100', 'TTUUU'],
  ['revenue between 100 and 0', 'FFUUU'],
  ['layoff_rate <= 5.5%', 'TFUUU'],
  ['layoff_rate < 5.5%', 'FFUUU'],
  ['layoff_rate = 0.055', 'TFUUU'],
  ['employees in [0, 10]', 'TTUUU'],
  ['employees not in [0, 10]', 'FFUUU'],
  ['registered_on before 2025-06-01', 'TFUUU'],
  ['registered_on after 2020-01-01', 'FTUUU'],
  ['registered_on = 2020-01-01', 'TFUUU'],
  ['years_since(registered_on) >= 5', 'TFUUU'],
  ['days_since(registered_on) = 0', 'FTUUU'],
  ['months_since(registered_on) >= 65', 'TFUUU'],
  ['months_since(registered_on) > 65', 'FFUUU'],
  ['add_days(registered_on, 30) <= 2020-01-31', 'TFUUU'],
  ['age(birth_date) >= 25', 'UUUTF'],
  ['age(birth_date) between 16 and 17', 'UUUFT'],
  ['age(birth_date) < 18', 'UUUFT'],
  ['size_class = "small"', 'TFUUU'],
  ['size_class != "small"', 'FTUUU'],
  ['size_class in ["small", "micro"]', 'TTUUU'],
  ['size_class in []', 'FFUUU'],
  ['size_class not in []', 'TTUUU'],
  ['credit_status not in ["serious", "dishonest"]', 'TFUTU'],
  ['qualifications contains any ["zjtx", "gxjs"]', 'TFUUU'],
  ['qualifications contains all ["zjtx", "xjr"]', 'TFUUU'],
  ['qualifications contains all []', 'TTUUU'],
  ['qualifications contains none ["zjtx"]', 'FTUUU'],
  ['not (qualifications contains all ["zjtx", "kjxzx"])', 'TTUUU'],
  ['region within ["LC-JKQ"]', 'TFUFF'],
  ['region within ["371500"]', 'TTUTF'],
  ['region not within ["371502"]', 'FTUFT'],
  ['region = "371523"', 'FTUFF'],
  ['region within ["370000"]', 'TTUTT'],
  ['ui_insured_local', 'TFUUU'],
  ['ui_insured_local = false', 'FTUUU'],
  ['dibao', 'UUUTF'],
  ['not dibao', 'UUUFT'],
  ['employees is known', 'TTFFF'],
  ['employees is missing', 'FFTTT'],
  ['age(birth_date) is known', 'FFFTT'],
  ['name = "甲公司"', 'TFUUU'],
  ['name != "甲公司"', 'FTUUU'],
  ['entity_kind = "person"', 'FFFTT'],
  ['employees >= 10 and revenue >= 50', 'TFUUU'],
  ['employees >= 10 or dibao', 'TUUTU'],
  ['not (employees >= 10 or dibao)', 'FUUFU'],
  ['at least 2 of (employees >= 10, ui_insured_local, dibao)', 'TFUUU'],
  ['at least 0 of (employees >= 10)', 'TTTTT'],
  ['at least 3 of (employees >= 10, dibao)', 'FFFFF'],
  ['not (at least 2 of (employees >= 10, ui_insured_local, dibao))', 'FTUUU'],
  ['rd_expense / revenue >= 5%', 'TUUUU'],
  ['revenue / employees > 1', 'TUUUU'],
  ['employees * 10 >= revenue', 'TTUUU'],
  ['employees >= revenue', 'FTUUU'],
  ['count(qualifications) >= 2', 'TFUUU'],
  ['(if ui_insured_local then employees else 0) >= 5', 'TFUUU'],
  ['true', 'TTTTT'],
  ['false', 'FFFFF'],
  ['1 > 2 or employees > 5', 'TFUUU'],
  ['income_pc <= 800.5', 'UUUTU'],
  ['income_pc < 800.5', 'UUUFU'],
  ['disability_grade in [1, 2]', 'UUUTU'],
  ['sex = "f" and age(birth_date) >= 25', 'UUUTF'],
];

describe('columnar verdicts, hand-computed', () => {
  const got = letters(TABLE.map(([r]) => r), POPULATION, DAY);
  it.each(TABLE.map(([rule, want], i) => [rule, want, i] as const))('%s → %s', (rule, want, i) => {
    expect(got[i]).toBe(want);
    // and the reference interpreter says the same
    const ref = POPULATION.map((e) => evalBool(parseExpr(rule), e.facts, { dict: TEST_DICT, params: new Map(), day: DAY })).join('');
    expect(ref).toBe(want);
  });

  it('counts agree with the verdicts', () => {
    const rules = TABLE.map(([r]) => r);
    const plan = compileRules(TEST_DICT, rules.map((r, i) => ({ id: String(i), rule: parseExpr(r) })), DAY);
    const counts = columnarCounts(plan, buildPopulation(TEST_DICT, POPULATION));
    TABLE.forEach(([, want], i) => {
      expect(counts.eligible[i]).toBe([...want].filter((c) => c === 'T').length);
      expect(counts.undetermined[i]).toBe([...want].filter((c) => c === 'U').length);
    });
  });
});

describe('constants with more digits than a double holds (a derived parameter can have them)', () => {
  it.each([
    ['layoff_rate', '=', '0.0550000000000000001', 'FFUUU'],
    ['revenue', '>=', '99.99999999999999999', 'TFUUU'],
    ['revenue', '>', '100.00000000000000001', 'FFUUU'],
    ['revenue', '<=', '-0.000000000000000001', 'FFUUU'],
  ] as const)('%s %s %s → %s', (f, c, v, want) => {
    const rule: Expr = { op: 'cmp', cmp: c, left: { op: 'field', name: f }, right: { op: 'lit', value: { num: v } } };
    const plan = compileRules(TEST_DICT, [{ id: 'x', rule }], DAY);
    const v2 = columnarVerdicts(plan, buildPopulation(TEST_DICT, POPULATION));
    expect(POPULATION.map((_, row) => LETTER[v2.verdict(0, row)]).join('')).toBe(want);
    expect(POPULATION.map((e) => evalBool(rule, e.facts, { dict: TEST_DICT, params: new Map(), day: DAY })).join('')).toBe(want);
  });
});

describe('unknown is never zero, false or the empty set', () => {
  const blank = [entity('enterprise', {}), entity('person', {})];
  it.each([
    'employees < 1', 'employees = 0', 'not (employees >= 1)', 'revenue <= 0', 'ui_insured_local = false', 'not ui_insured_local',
    'qualifications contains none ["zjtx"]', 'qualifications contains all []', 'size_class not in ["large"]', 'region not within ["371500"]',
    'count(qualifications) = 0', 'registered_on before 2100-01-01', 'name != "x"', 'rd_expense / revenue >= 0',
  ])('%s is undetermined when its facts are missing', (rule) => {
    expect(letters([rule], blank, DAY)).toEqual(['UU']);
  });
});

describe('ages and months around 29 February', () => {
  const born = (d: string) => entity('person', { birth_date: d });
  const people = [born('2000-02-29'), born('2006-02-28'), born('2006-03-01'), born('2004-02-29')];
  it.each([
    // day          ages of the four people
    ['2024-02-28', [23, 18, 17, 19]],
    ['2024-02-29', [24, 18, 17, 20]],
    ['2025-02-28', [24, 19, 18, 20]],
    ['2025-03-01', [25, 19, 19, 21]],
    ['2022-02-28', [21, 16, 15, 17]],
    ['2022-03-01', [22, 16, 16, 18]],
  ] as const)('on %s', (day, ages) => {
    const d = parseDate(day)!;
    const rules = ages.flatMap((a) => [`age(birth_date) = ${a}`, `age(birth_date) >= ${a + 1}`, `years_since(birth_date) between ${a} and ${a}`]);
    const got = letters(rules, people, d);
    ages.forEach((_, p) => {
      expect(got[3 * p][p]).toBe('T');
      expect(got[3 * p + 1][p]).toBe('F');
      expect(got[3 * p + 2][p]).toBe('T');
    });
  });

  it('months_since counts full months, clamped at month ends', () => {
    const firms = ['2025-01-31', '2024-02-29', '2025-02-28'].map((d) => entity('enterprise', { registered_on: d }));
    const at = (day: string, rule: string) => letters([rule], firms, parseDate(day)!)[0];
    expect(at('2025-02-28', 'months_since(registered_on) >= 1')).toBe('FTF');
    expect(at('2025-03-01', 'months_since(registered_on) >= 1')).toBe('TTF');
    expect(at('2025-03-31', 'months_since(registered_on) = 2')).toBe('TFF');
    expect(at('2025-02-28', 'months_since(registered_on) = 11')).toBe('FTF');
  });
});

describe('region within: prefixes, functional zones, historical codes', () => {
  const at = (region: string) => entity('person', { region });
  // 北城街道 (a zone member), 古楼街道, the zone itself, 茌平县 (historical) and one of its towns, 历下区
  const people = ['371502008', '371502001', 'LC-JKQ', '371523', '371523101', '370102'].map(at);
  it.each([
    ['region within ["LC-JKQ"]', 'TFTFFF'],
    ['region within ["371502"]', 'TTTFFF'],
    ['region within ["371500"]', 'TTTTTF'],
    ['region within ["371523"]', 'FFFTTF'],
    ['region within ["370000"]', 'TTTTTT'],
    // The zone LC-JKQ holds 北城街道 and other towns: someone known only to be in the zone may or may not be there.
    ['region within ["371502008"]', 'TFUFFF'],
    ['region within ["LC-JKQ", "370102"]', 'TFTFFT'],
    ['region not within ["LC-JKQ"]', 'FTFTTT'],
    ['region in ["371523", "LC-JKQ"]', 'FFTTFF'],
  ])('%s → %s', (rule, want) => {
    expect(letters([rule], people, DAY)).toEqual([want]);
  });
});
