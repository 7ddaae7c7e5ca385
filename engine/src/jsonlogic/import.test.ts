import { describe, expect, it } from 'vitest';
import { checkExpr } from '../check/check.ts';
import { parseExpr } from '../syntax/parser.ts';
import { printExpr } from '../syntax/printer.ts';
import { TEST_DICT } from '../../test/fixtures.ts';
import { evaluateImported } from './data.ts';
import { JsonLogicError } from './errors.ts';
import { importJsonLogic } from './import.ts';

const text = (json: unknown) => printExpr(importJsonLogic(json, TEST_DICT));
/** Expected rules are written as rule text; printing both sides makes layout irrelevant. */
const canonical = (rule: string) => printExpr(parseExpr(rule));

function failure(json: unknown, dict = TEST_DICT): JsonLogicError {
  try {
    importJsonLogic(json, dict);
  } catch (e) {
    if (e instanceof JsonLogicError) return e;
    throw e;
  }
  throw new Error(`imported without error: ${JSON.stringify(json)}`);
}

describe('importJsonLogic: rules exported by query builders', () => {
  const cases: [string, unknown, string][] = [
    ['comparisons in a group', { and: [{ '>=': [{ var: 'employees' }, 10] }, { '!=': [{ var: 'size_class' }, 'large'] }] }, 'employees >= 10 and size_class != "large"'],
    ['=== is our typed =', { '===': [{ var: 'dibao' }, true] }, 'dibao = true'],
    ['between (inclusive)', { '<=': [16, { var: 'disability_grade' }, 24] }, 'disability_grade between 16 and 24'],
    ['not between', { '!': { '<=': [1, { var: 'revenue' }, 5.5] } }, 'not revenue between 1 and 5.5'],
    ['strict between', { '<': [0, { var: 'layoff_rate' }, 0.2] }, '0 < layoff_rate and layoff_rate < 0.2'],
    ['in a list', { in: [{ var: 'credit_status' }, ['good', 'normal']] }, 'credit_status in ["good", "normal"]'],
    ['not in', { '!': { in: [{ var: 'credit_status' }, ['dishonest', 'serious']] } }, 'credit_status not in ["dishonest", "serious"]'],
    ['dates are strings beside a date field', { '<': [{ var: 'registered_on' }, '2025-01-01'] }, 'registered_on before 2025-01-01'],
    ['date between', { '<=': ['2000-01-01', { var: 'birth_date' }, '2009-12-31'] }, 'birth_date between 2000-01-01 and 2009-12-31'],
    ['is null / is not null', { or: [{ '==': [{ var: 'name' }, null] }, { '!=': [{ var: 'revenue' }, null] }] }, 'name is missing or revenue is known'],
    ['is empty / is not empty on a typed field', { and: [{ '!': { var: 'name' } }, { '!!': { var: 'revenue' } }] }, 'name is missing and revenue is known'],
    ['a boolean field is a condition', { and: [{ var: 'dibao' }, { '!': { var: 'ui_insured_local' } }] }, 'dibao and not ui_insured_local'],
    ['set membership', { in: ['zjtx', { var: 'qualifications' }] }, 'qualifications contains any ["zjtx"]'],
    ['some / none over a set', { or: [{ some: [{ var: 'qualifications' }, { in: [{ var: '' }, ['zjtx', 'xjr']] }] }, { none: [{ var: 'qualifications' }, { in: [{ var: '' }, ['gxjs']] }] }] }, 'qualifications contains any ["zjtx", "xjr"] or qualifications contains none ["gxjs"]'],
    ['region prefix', { '==': [{ substr: [{ var: 'region' }, 0, 4] }, '3715'] }, 'region within ["371500"]'],
    ['region codes as numbers', { in: [{ var: 'region' }, [371502, 371522]] }, 'region in ["371502", "371522"]'],
    ['nested groups', { or: [{ and: [{ '>': [{ var: 'employees' }, 5] }, { '<': [{ var: 'employees' }, 50] }] }, { '!': { and: [{ var: 'dibao' }] } }] }, 'employees > 5 and employees < 50 or not (dibao)'],
    ['arithmetic, min, max', { '>': [{ '+': [{ var: 'revenue' }, { '*': [{ var: 'rd_expense' }, 2] }, 1] }, { max: [10, { '-': [{ var: 'income_pc' }] }] }] }, 'revenue + rd_expense * 2 + 1 > max(10, -income_pc)'],
    ['if chains', { if: [{ var: 'dibao' }, 3, { '>': [{ var: 'employees' }, 9] }, 2, 1] }, 'if dibao then 3 else if employees > 9 then 2 else 1'],
  ];
  it.each(cases)('%s', (_name, json, expected) => {
    const e = importJsonLogic(json, TEST_DICT);
    expect(printExpr(e)).toBe(canonical(expected));
    expect(checkExpr(e, json && typeof json === 'object' && 'if' in json ? 'num' : 'bool', { dict: TEST_DICT })).toEqual([]);
  });

  it('reads dotted and camelCase var names as snake_case fields', () => {
    expect(printExpr(importJsonLogic({ '==': [{ var: 'applicant.creditStatus' }, 'good'] }))).toBe(canonical('applicant_credit_status = "good"'));
    const custom = importJsonLogic({ '>': [{ var: 'company.staff' }, 3] }, TEST_DICT, { fieldName: (p) => (p === 'company.staff' ? 'employees' : p) });
    expect(printExpr(custom)).toBe(canonical('employees > 3'));
  });

  it('a var with a default uses the default while the fact is unknown', () => {
    expect(text({ '>': [{ var: ['employees', 0] }, 3] })).toBe(canonical('(if employees is known then employees else 0) > 3'));
  });

  it('string literals inside if branches and var defaults are typed by the other operand', () => {
    expect(text({ '==': [{ if: [{ var: 'dibao' }, 'small', 'large'] }, { var: 'size_class' }] })).toBe(canonical('(if dibao then "small" else "large") = size_class'));
    expect(failure({ '==': [{ if: [{ var: 'dibao' }, 'small', 'huge'] }, { var: 'size_class' }] }).message).toContain('"huge" 不是代码表 size_class 的代码');
    expect(printExpr(importJsonLogic({ '<': [{ var: ['since', '2020-01-01'] }, '2021-01-01'] }))).toBe(canonical('(if since is known then since else 2020-01-01) before 2021-01-01'));
  });

  it('without a dictionary, fields take their type from use and date strings order as dates', () => {
    expect(printExpr(importJsonLogic({ '>=': [{ var: 'startDate' }, '2024-07-01'] }))).toBe(canonical('start_date >= 2024-07-01'));
    expect(printExpr(importJsonLogic({ '!!': { var: 'email' } }))).toBe(canonical('email is known'));
  });

  it('missing and missing_some are read as conditions', () => {
    expect(printExpr(importJsonLogic({ if: [{ missing: ['a', 'b'] }, 'ask', 'go'] }))).toBe(canonical('if a is missing or b is missing then "ask" else "go"'));
    expect(printExpr(importJsonLogic({ '!': { missing_some: [2, ['a', 'b', 'c']] } }))).toBe(canonical('at least 2 of (a is known, b is known, c is known)'));
    expect(evaluateImported({ if: [{ missing_some: [1, ['a', 'b']] }, 'ask', 'go'] }, { b: 'x' })).toBe('go');
    expect(evaluateImported({ if: [{ missing_some: [1, ['a', 'b']] }, 'ask', 'go'] }, { c: 'x' })).toBe('ask');
    expect(evaluateImported({ if: [{ missing_some: [3, ['a', 'b']] }, 'ask', 'go'] }, { a: 1, b: 2 })).toBe('go');
  });
});

describe('importJsonLogic: what is refused, and where', () => {
  it('names the JSON path of an unsupported construct', () => {
    const e = failure({ and: [{ var: 'dibao' }, true, { '==': [{ substr: [{ var: 'name' }, 1] }, 'x'] }] });
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.path).toBe('$.and[2].==[0].substr');
    expect(e.message).toContain('$.and[2].==[0].substr');
    expect(e.message).toMatch(/^不支持 JsonLogic 运算 "substr".* \/ JsonLogic operation "substr" is not supported/);
  });

  it.each([
    [{ cat: ['a', 'b'] }, 'cat', '$.cat'],
    [{ '%': [{ var: 'employees' }, 2] }, '%', '$.%'],
    [{ '==': [{ var: 'name' }, { merge: [1] }] }, 'merge', '$.==[1].merge'],
    [{ map: [{ var: 'qualifications' }, 1] }, 'map', '$.map'],
    [{ all: [{ var: 'qualifications' }, { in: [{ var: '' }, ['zjtx']] }] }, 'all', '$.all'],
    [{ in: ['ab', 'abc'] }, 'in', '$.in'],
    [{ in: ['Ltd', { var: 'name' }] }, 'in', '$.in'],
    [{ if: [{ var: 'dibao' }, 1] }, 'if', '$.if'],
    [{ or: [{ var: 'dibao' }, null] }, 'null', '$.or[1]'],
    [{ var: 1 }, 'var', '$.var'],
    [{ var: [{ if: [true, 'a', 'b'] }] }, 'var', '$.var'],
    [{ missing: ['name'] }, 'missing', '$.missing'],
    [{ frobnicate: [] }, 'frobnicate', '$.frobnicate'],
    [{ a: 1, b: 2 }, 'object', '$'],
    [{ in: [{ var: 'region' }, [{ var: 'name' }]] }, 'list', '$.in[1][0]'],
    [{ '>': [{ var: 'revenue' }, 0.12345678901234566] }, 'number', '$.>[1]'],
    [{ in: [{ var: 'employees' }, [1, Infinity]] }, 'number', '$.in[1][1]'],
  ])('%j → %s at %s', (json, construct, path) => {
    const e = failure(json);
    expect([e.code, e.construct, e.path]).toEqual(['UNSUPPORTED', construct, path]);
  });

  it.each([
    [{ '==': [{ var: 'employees' }, '10'] }, 'coercion'],
    [{ '>': [{ '+': ['1', 1] }, 1] }, 'coercion'],
    [{ '==': [{ var: 'size_class' }, 'huge'] }, 'coercion'],
    [{ '<': [{ var: 'registered_on' }, 'next year'] }, 'coercion'],
    [{ '<': [{ var: 'name' }, 'M'] }, 'text_ordering'],
    [{ and: [{ var: 'dibao' }, 1] }, 'truthiness'],
    [{ if: [{ '+': [1, 1] }, 'a', 'b'] }, 'truthiness'],
    [{ if: [{ var: 'dibao' }, 1, 'one'] }, 'mixed_types'],
    [{ var: ['employees', 'none'] }, 'mixed_types'],
  ])('%j is refused as %s', (json, category) => {
    const e = failure(json);
    expect([e.code, e.category]).toEqual(['TYPE', category]);
  });

  it('an unknown var is an error with suggestions, unless open fields are allowed', () => {
    const e = failure({ '>': [{ var: 'employes' }, 3] });
    expect(e.code).toBe('UNKNOWN_FIELD');
    expect(e.message).toContain('employees');
    expect(printExpr(importJsonLogic({ '>': [{ var: 'employes' }, 3] }, TEST_DICT, { openFields: true }))).toBe(canonical('employes > 3'));
  });

  it('hostile nesting is a LIMIT error, not a crash', () => {
    let json: unknown = { var: 'dibao' };
    for (let i = 0; i < 5000; i++) json = { '!': json };
    expect(failure(json).code).toBe('LIMIT');
  });
});

describe('evaluateImported: three-valued answers on JsonLogic data', () => {
  it('absent data is unknown, not null', () => {
    expect(evaluateImported({ '<': [{ var: 'x' }, 3] }, {})).toBeUndefined();
    expect(evaluateImported({ or: [{ '<': [{ var: 'x' }, 3] }, { '==': [{ var: 'y' }, 'a'] }] }, { y: 'a' })).toBe(true);
    expect(evaluateImported({ var: ['x', 7] }, { x: null })).toBe(7);
  });

  it('nested data, sets and dates', () => {
    const data = { pie: { filling: 'apple' }, tags: ['a', 'b'], since: '2020-05-01', n: 2.5 };
    expect(evaluateImported({ '==': [{ var: 'pie.filling' }, 'apple'] }, data)).toBe(true);
    expect(evaluateImported({ in: ['b', { var: 'tags' }] }, data)).toBe(true);
    expect(evaluateImported({ '<': ['2019-12-31', { var: 'since' }] }, data)).toBe(true);
    expect(evaluateImported({ '*': [{ var: 'n' }, 0.1] }, data)).toBe(0.25);
    expect(evaluateImported({ '/': [1, 0] }, data)).toBeUndefined();
  });
});
