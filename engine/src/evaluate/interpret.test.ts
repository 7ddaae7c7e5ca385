import { describe, expect, it } from 'vitest';
import { TEST_DICT } from '../../test/fixtures.ts';
import { parseExpr } from '../syntax/parser.ts';
import { parseDate } from '../values/dates.ts';
import { normalizeFacts } from '../values/facts.ts';
import { evalBool, evalNumber } from './interpret.ts';
import { compileBool, compileNumber } from './compile.ts';

const ctx = (date = '2025-06-01') => ({ dict: TEST_DICT, params: new Map(), day: parseDate(date)! });
const facts = (json: Record<string, unknown>, kind: 'enterprise' | 'person' = 'enterprise') => {
  const { entity, errors } = normalizeFacts(TEST_DICT, kind, json);
  expect(errors).toEqual([]);
  return entity.facts;
};
const both = (rule: string, f: Record<string, unknown>, date?: string, kind?: 'enterprise' | 'person') => {
  const e = parseExpr(rule);
  const r1 = evalBool(e, facts(f, kind), ctx(date));
  const r2 = (['F', 'T', 'U'] as const)[compileBool(e, ctx(date))(facts(f, kind))];
  expect(r2).toBe(r1);
  return r1;
};
const num = (formula: string, f: Record<string, unknown>) => {
  const e = parseExpr(formula);
  const a = evalNumber(e, facts(f), ctx());
  const b = compileNumber(e, ctx())(facts(f));
  expect(b?.toFixed()).toBe(a?.toFixed());
  return a?.toFixed();
};

// rule ; facts ; expected (T / F / U) — three-valued truth tables in the language itself
const TABLE: [string, Record<string, unknown>, 'T' | 'F' | 'U'][] = [
  ['employees <= 300', {}, 'U'],
  ['not (employees > 300)', {}, 'U'],
  ['employees is missing', {}, 'T'],
  ['employees is known', {}, 'F'],
  ['employees > 5 and revenue > 1', { employees: 1 }, 'F'],
  ['employees > 5 and revenue > 1', { employees: 10 }, 'U'],
  ['employees > 5 or revenue > 1', { employees: 10 }, 'T'],
  ['employees > 5 or revenue > 1', { employees: 1 }, 'U'],
  ['at least 2 of (employees > 5, revenue > 1, ui_insured_local)', { employees: 10 }, 'U'],
  ['at least 2 of (employees > 5, revenue > 1, ui_insured_local)', { employees: 10, revenue: 5 }, 'T'],
  ['at least 2 of (employees > 5, revenue > 1, ui_insured_local)', { employees: 1, revenue: 0 }, 'F'],
  ['size_class in ["small", "micro"]', {}, 'U'],
  ['size_class not in ["small", "micro"]', { size_class: 'large' }, 'T'],
  ['qualifications contains any ["zjtx"]', {}, 'U'],
  ['qualifications contains any ["zjtx"]', { qualifications: [] }, 'F'],
  ['qualifications contains none ["zjtx"]', { qualifications: ['gxjs'] }, 'T'],
  ['qualifications contains all []', { qualifications: [] }, 'T'],
  ['region within ["371500"]', { region: '371523' }, 'T'], // historical 茌平县 is still in 聊城
  ['region within ["LC-JKQ"]', { region: '371502008' }, 'T'],
  ['region within ["LC-JKQ"]', { region: '371502001' }, 'F'],
  ['region within ["371502"]', { region: 'LC-JKQ' }, 'T'],
  ['region not within ["371500"]', { region: '370102' }, 'T'],
  // Coarser than a zone: somewhere in 东昌府区 may or may not be in the zone (nor outside it).
  ['region within ["LC-JKQ"]', { region: '371502' }, 'U'],
  ['region not within ["LC-JKQ"]', { region: '371502' }, 'U'],
  ['region within ["LC-JKQ"]', { region: '371500' }, 'U'],
  ['region within ["LC-JKQ"]', { region: '371522' }, 'F'],
  ['region within ["371502008"]', { region: 'LC-JKQ' }, 'U'],
  ['region within ["371502"]', { region: '371500' }, 'U'],
  ['revenue * 0.1 = 0.3', { revenue: 3 }, 'T'], // exact decimals: 3 × 0.1 is 0.3
  ['revenue + rd_expense = 0.3', { revenue: 0.1, rd_expense: 0.2 }, 'T'],
  ['revenue / rd_expense > 1', { revenue: 1, rd_expense: 0 }, 'U'], // ÷ 0 is unknown, not an error
  ['rd_expense / revenue >= 3%', { revenue: 1000, rd_expense: 30 }, 'T'],
  ['if ui_insured_local then employees > 1 else employees > 100', { employees: 50 }, 'U'],
  ['if ui_insured_local then employees > 1 else employees > 100', { employees: 50, ui_insured_local: false }, 'F'],
  ['min(employees, revenue) > 1', { employees: 5 }, 'U'],
];

describe('three-valued evaluation', () => {
  it.each(TABLE)('%s with %j is %s', (rule, f, want) => {
    expect(both(rule, f)).toBe(want);
  });
});

describe('dates', () => {
  it('counts full years, and a 29 February birthday moves to 1 March in common years', () => {
    const born = { birth_date: '2000-02-29' };
    expect(both('age(birth_date) >= 25', born, '2025-02-28', 'person')).toBe('F');
    expect(both('age(birth_date) >= 25', born, '2025-03-01', 'person')).toBe('T');
    expect(both('age(birth_date) >= 24', born, '2024-02-29', 'person')).toBe('T');
    expect(both('age(birth_date) >= 24', born, '2024-02-28', 'person')).toBe('F');
  });
  it('years and months since a registration date', () => {
    expect(both('years_since(registered_on) >= 1', { registered_on: '2024-06-01' })).toBe('T');
    expect(both('years_since(registered_on) >= 1', { registered_on: '2024-06-02' })).toBe('F');
    expect(both('months_since(registered_on) >= 3', { registered_on: '2025-03-01' })).toBe('T');
    expect(both('months_since(registered_on) >= 3', { registered_on: '2025-03-02' })).toBe('F');
    expect(both('add_months(registered_on, 1) = 2025-02-28', { registered_on: '2025-01-31' })).toBe('T');
    expect(both('registered_on before today', { registered_on: '2025-05-31' })).toBe('T');
  });
});

describe('exact amounts', () => {
  it('computes with decimals, not binary floats', () => {
    expect(num('revenue * 0.6', { revenue: 20000.1 })).toBe('12000.06');
    expect(num('revenue / 3', { revenue: 2 })).toBe('0.6666666666'); // truncated at 10 places
    expect(num('-revenue / 3', { revenue: 2 })).toBe('-0.6666666666');
    expect(num('round(revenue, 0)', { revenue: 2.5 })).toBe('3');
    expect(num('round(-revenue, 0)', { revenue: 2.5 })).toBe('-3'); // half away from zero
    expect(num('min(revenue * 15%, 2000)', { revenue: 9999 })).toBe('1499.85');
    expect(num('revenue * 2', {})).toBeUndefined();
  });
});
