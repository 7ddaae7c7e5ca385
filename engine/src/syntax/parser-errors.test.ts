import { describe, expect, it } from 'vitest';
import { depthOf, sizeOf } from '../ast/ast.ts';
import { EngineError } from '../errors.ts';
import { RULE_LIMITS } from './grammar.ts';
import { parseExpr } from './parser.ts';

function failure(text: string, opts = {}): EngineError {
  try {
    parseExpr(text, opts);
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(text.slice(0, 60))}`);
}

// text ; line ; col ; part of the Chinese message ; part of the English message
const SYNTAX_ERRORS: [string, number, number, string, string][] = [
  ['x = ', 1, 4, '期望一个值', 'found end of text'],
  ['x = 1 and\n  # 条件没写完\n\n', 1, 10, '期望一个值', 'found end of text'],
  ['(a = 1\nand b = 2', 2, 10, '期望 ")"，实际为 文本末尾', 'expected ")", found end of text'],
  ['a = 1 and (b = 2 c)', 1, 18, '期望 ")"，实际为 "c"', 'expected ")", found "c"'],
  ['a = 1 b = 2', 1, 7, '期望 and、or 或文本结束，实际为 "b"', 'expected "and", "or" or the end of the text'],
  ['x between 1 or 2', 1, 13, 'between … 之后期望 "and"，实际为 "or"', 'expected "and" after "between …"'],
  ['if a then 1', 1, 12, 'if … then … 之后期望 "else"', 'expected "else"'],
  ['if a 1 else 2', 1, 6, 'if … 之后期望 "then"', 'expected "then"'],
  ['a < b < c', 1, 7, '比较不能连写', 'comparisons do not chain'],
  ['x in [1] = true', 1, 10, '比较不能连写', 'comparisons do not chain'],
  ['x not y', 1, 7, '"not" 之后期望 "in" 或 "within"', 'expected "in" or "within" after "not"'],
  ['q contains some ["a"]', 1, 12, '期望 any、all 或 none，实际为 "some"', 'expected "any", "all" or "none"'],
  ['x is empty', 1, 6, '期望 "known" 或 "missing"', 'expected "known" or "missing"'],
  ['foo(x) > 1', 1, 1, '未知函数 "foo"，可用的函数：min、max、round', 'known functions: min, max, round'],
  ['round(x)', 1, 1, '函数 round 需要 2 个参数，实际为 1 个', 'takes 2 argument(s), found 1'],
  ['age(a, b)', 1, 1, '函数 age 需要 1 个参数', 'found 2'],
  ['tier(x, bands)', 1, 1, '第二个是 $ 开头的表格参数', 'the second a $table parameter'],
  ['lookup(x)', 1, 1, 'lookup(值, $表格参数)', 'takes two arguments'],
  ['min(a b)', 1, 7, 'min(…) 中期望 "," 或 ")"', 'expected "," or ")"'],
  ['at least 1.5 of (a, b)', 1, 10, '"at least" 之后期望整数', 'expected a whole number'],
  ['at least x of (a, b)', 1, 10, '"at least" 之后期望整数', 'found "x"'],
  ['at least 2 of ()', 1, 16, '期望一个值', 'found ")"'],
  ['at least 1 (a)', 1, 12, 'at least N 之后期望 "of"', 'expected "of"'],
  ['d < 2024-02-30', 1, 5, '"2024-02-30" 不是有效日期', 'is not a valid date'],
  ['d < 2025-1-1', 1, 5, '日期 "2025-1-1" 写法有误', 'expected YYYY-MM-DD'],
  ['x = 1.2.3', 1, 5, '数字 "1.2." 写法有误', 'malformed number'],
  ['x = 12abc', 1, 5, '写法有误', 'malformed number'],
  ['x = 12345678901234567', 1, 5, '超过 15 位有效数字', 'more than 15 significant digits'],
  ['s = "未结束', 1, 5, '字符串缺少结尾的双引号', 'string is not closed'],
  ['s = "a\\nb"', 1, 5, '不支持的转义', 'unsupported escape'],
  ['x = 1 ; y', 1, 7, '无法识别的字符 ";"', 'unexpected character ";"'],
  ['x = 1 and 裁员率 < 5%', 1, 11, '无法识别的字符 "裁"', 'unexpected character'],
  ['Layoff_rate < 1', 1, 1, '含大写字母', 'upper-case'],
  ['x > $', 1, 5, '"$" 之后期望参数名', 'expected a parameter name'],
  ['region within "371502"', 1, 15, '期望地区代码列表', 'list of region codes'],
  ['region within [371502]', 1, 15, '地区代码必须写成字符串', 'region codes must be strings'],
  ['x in [a, b]', 1, 7, '列表中只能写常量', 'a list holds only constants'],
  ['x in [1 2]', 1, 9, '列表中期望 "," 或 "]"', 'expected "," or "]"'],
  ['and = 1', 1, 1, '期望一个值', 'found "and"'],
  ['x = 1 and\n  and y = 2\n', 2, 3, '期望一个值', 'found "and"'],
  ['a = 1\nand b = 2\nand (c = 3 d', 3, 12, '第3行第12列：期望 ")"，实际为 "d"', 'line 3, column 12: expected ")", found "d"'],
];

describe('parseExpr: syntax errors name line, column, what was found and what was expected', () => {
  it.each(SYNTAX_ERRORS)('%j', (text, line, col, zh, en) => {
    const e = failure(text);
    expect(e.code).toBe('SYNTAX');
    expect(e.loc).toEqual({ line, col });
    expect(e.zh).toContain(zh);
    expect(e.en).toContain(en);
    expect(e.zh.startsWith(`第${line}行第${col}列：`)).toBe(true);
  });

  it('reports positions in the file when the rule is embedded, and names the file', () => {
    const e = failure('a = 1\n  and (b = 2 c', { file: 'policies/wgfh.yaml', lineOffset: 30, colOffset: 17 });
    expect(e.loc).toEqual({ line: 32, col: 14 });
    expect(e.file).toBe('policies/wgfh.yaml');
    expect(e.message).toMatch(/^policies\/wgfh\.yaml:32:14: 第32行第14列：期望 "\)"，实际为 "c" \/ /);
  });
});

describe('parseExpr: limits are clear errors, never a crash', () => {
  const limit = (text: string) => {
    const e = failure(text);
    expect(e.code).toBe('LIMIT');
    expect(e.loc).toBeDefined();
    return e;
  };

  it('10,000 open parentheses', () => {
    const e = limit('('.repeat(10_000) + 'x' + ')'.repeat(10_000));
    expect(e.zh).toContain('嵌套超过 200 层');
    expect(e.loc).toEqual({ line: 1, col: 201 });
  });

  it('10,000 nested not, unary minus, lists, if-else and function calls', () => {
    limit('not '.repeat(10_000) + 'x');
    limit('x = ' + '-'.repeat(10_000) + 'x');
    limit('x in ' + '['.repeat(10_000) + ']'.repeat(10_000));
    limit('if a then 1 else '.repeat(10_000) + '0');
    limit('abs('.repeat(10_000) + 'x' + ')'.repeat(10_000));
    limit('at least 1 of ('.repeat(10_000) + 'x' + ')'.repeat(10_000));
  });

  it('accepts nesting up to the limit', () => {
    const e = parseExpr('not '.repeat(RULE_LIMITS.maxDepth - 2) + 'x');
    expect(depthOf(e)).toBe(RULE_LIMITS.maxDepth - 1);
  });

  it('a flat chain of 300 additions is too deep a tree even though parsing it is not recursive', () => {
    const e = limit('x = ' + Array.from({ length: 300 }, (_, i) => `a${i}`).join(' + '));
    expect(e.zh).toContain('规则嵌套超过 200 层');
  });

  it('more than 50,000 nodes', () => {
    const e = limit(Array.from({ length: 17_000 }, (_, i) => `f${i} = 1`).join(' or '));
    expect(e.zh).toContain('节点超过 50000 个');
  });

  it('a list of more than 10,000 members, and exactly 10,000 is fine', () => {
    const members = (k: number) => Array.from({ length: k }, (_, i) => `"${i}"`).join(', ');
    const e = limit(`x in [${members(10_001)}]`);
    expect(e.zh).toContain('列表超过 10000 项');
    expect(e.loc).toEqual({ line: 1, col: 6 });
    expect(sizeOf(parseExpr(`x in [${members(10_000)}]`))).toBe(3);
  });

  it('rule text over 1 MB', () => {
    const e = limit('x = 1 ' + '#'.repeat(1024 * 1024));
    expect(e.zh).toContain('超过上限 1 MB');
    const wide = limit('s = "' + '政'.repeat(350_000) + '"'); // 3 bytes each in UTF-8
    expect(wide.en).toContain('over the 1 MB limit');
  });
});
