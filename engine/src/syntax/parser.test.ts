import { describe, expect, it } from 'vitest';
import { and, cmp, field, lit, not, or, param, stripLoc, type Expr, type LitValue } from '../ast/ast.ts';
import { parseExpr, safeParseExpr } from './parser.ts';

const n = (v: string): Expr => lit.num(v);
const pct = (v: string): Expr => ({ op: 'lit', value: { num: v, pct: true } });
const list = (...vs: LitValue[]): Expr => lit.list(vs);
const call = (fn: string, ...args: Expr[]): Expr => ({ op: 'call', fn, args }) as Expr;
const arith = (a: '+' | '-' | '*' | '/', left: Expr, right: Expr): Expr => ({ op: 'arith', arith: a, left, right });
const x = field('x');

// text ; expected AST (positions stripped)
const CASES: [string, Expr][] = [
  ['12', n('12')],
  ['0.055', n('0.055')],
  ['1.50', n('1.50')],
  ['-3', n('-3')],
  ['5.5%', pct('0.055')],
  ['-5%', pct('-0.05')],
  ['100%', pct('1')],
  ['2024-01-01', lit.date('2024-01-01')],
  ['2024-02-29', lit.date('2024-02-29')],
  ['"zjtx"', lit.str('zjtx')],
  ['"聊人社字〔2025〕12号"', lit.str('聊人社字〔2025〕12号')],
  ['"说\\"明\\\\"', lit.str('说"明\\')],
  ['"# 不是注释"', lit.str('# 不是注释')],
  ['true', lit.bool(true)],
  ['false', lit.bool(false)],
  ['[]', list()],
  ['["a", "b",]', list('a', 'b')],
  ['[1, -2, 5%, 2025-01-01, true, [1]]', list({ num: '1' }, { num: '-2' }, { num: '0.05', pct: true }, { date: '2025-01-01' }, true, { list: [{ num: '1' }] })],
  ['layoff_rate', field('layoff_rate')],
  ['_x9', field('_x9')],
  ['$layoff_cap', param('layoff_cap')],
  ['$in', param('in')],
  ['today', { op: 'today' }],
  ['x = 1', cmp('=', x, n('1'))],
  ['x != 1', cmp('!=', x, n('1'))],
  ['x ≠ 1', cmp('!=', x, n('1'))],
  ['x ≤ 1', cmp('<=', x, n('1'))],
  ['x ≥ 1', cmp('>=', x, n('1'))],
  ['x<1', cmp('<', x, n('1'))],
  ['x>=-1', cmp('>=', x, n('-1'))],
  ['registered_on before 2025-01-01', cmp('<', field('registered_on'), lit.date('2025-01-01'))],
  ['registered_on after add_years(today, -3)', cmp('>', field('registered_on'), call('add_years', { op: 'today' }, n('-3')))],
  ['age(birth_date) between 16 and 24', { op: 'between', value: call('age', field('birth_date')), low: n('16'), high: n('24') }],
  ['x + 1 between $lo and $hi * 2', { op: 'between', value: arith('+', x, n('1')), low: param('lo'), high: arith('*', param('hi'), n('2')) }],
  ['credit_status in ["serious", "dishonest"]', { op: 'in', value: field('credit_status'), list: list('serious', 'dishonest') }],
  ['credit_status not in $bad', { op: 'in', value: field('credit_status'), list: param('bad'), negate: true }],
  ['q contains any ["zjtx", "xjr"]', { op: 'contains', mode: 'any', set: field('q'), list: list('zjtx', 'xjr') }],
  ['q contains all []', { op: 'contains', mode: 'all', set: field('q'), list: list() }],
  ['q contains none $bad', { op: 'contains', mode: 'none', set: field('q'), list: param('bad') }],
  ['region within ["371502", "LC-JKQ"]', { op: 'within', value: field('region'), regions: ['371502', 'LC-JKQ'] }],
  ['region not within ["3715"]', { op: 'within', value: field('region'), regions: ['3715'], negate: true }],
  ['x is known', { op: 'known', value: x }],
  ['x is missing', { op: 'known', value: x, negate: true }],
  ['a and b and c', and(field('a'), field('b'), field('c'))],
  ['a or b or c', or(field('a'), field('b'), field('c'))],
  ['a or b and c', or(field('a'), and(field('b'), field('c')))],
  ['a and b or c', or(and(field('a'), field('b')), field('c'))],
  ['(a or b) and c', and(or(field('a'), field('b')), field('c'))],
  // Parenthesised chains stay nested: the tree keeps what was written.
  ['a and (b and c)', and(field('a'), and(field('b'), field('c')))],
  ['not a', not(field('a'))],
  ['not not a', not(not(field('a')))],
  ['not x = 1', not(cmp('=', x, n('1')))],
  ['not a and b', and(not(field('a')), field('b'))],
  ['not (a or b)', not(or(field('a'), field('b')))],
  ['at least 2 of (a > 1, b, c is known)', { op: 'atleast', n: 2, args: [cmp('>', field('a'), n('1')), field('b'), { op: 'known', value: field('c') }] }],
  // Degenerate counts are the checker's business; the text must express every tree the editor can build.
  ['at least 0 of (a)', { op: 'atleast', n: 0, args: [field('a')] }],
  ['at least 3 of (a, b)', { op: 'atleast', n: 3, args: [field('a'), field('b')] }],
  ['1 + 2 * 3', arith('+', n('1'), arith('*', n('2'), n('3')))],
  ['(1 + 2) * 3', arith('*', arith('+', n('1'), n('2')), n('3'))],
  ['10 - 3 - 2', arith('-', arith('-', n('10'), n('3')), n('2'))],
  ['8 / 4 / 2', arith('/', arith('/', n('8'), n('4')), n('2'))],
  ['x-1', arith('-', x, n('1'))],
  ['x - -1', arith('-', x, n('-1'))],
  ['-x * 2', arith('*', { op: 'neg', arg: x }, n('2'))],
  ['-(3)', { op: 'neg', arg: n('3') }],
  ['- -x', { op: 'neg', arg: { op: 'neg', arg: x } }],
  ['min(a, b, 3)', call('min', field('a'), field('b'), n('3'))],
  ['max(0, x)', call('max', n('0'), x)],
  ['round(x * 1.5, 2)', call('round', arith('*', x, n('1.5')), n('2'))],
  ['floor(x) + ceil(x) + abs(x)', arith('+', arith('+', call('floor', x), call('ceil', x)), call('abs', x))],
  ['months_since(d) >= 6', cmp('>=', call('months_since', field('d')), n('6'))],
  ['count(qualifications) >= 2', cmp('>=', call('count', field('qualifications')), n('2'))],
  ['if a then 1 else 2', { op: 'if', cond: field('a'), then: n('1'), else: n('2') }],
  ['if a then 1 else if b then 2 else 3', { op: 'if', cond: field('a'), then: n('1'), else: { op: 'if', cond: field('b'), then: n('2'), else: n('3') } }],
  ['if a then 1 else 2 + 3', { op: 'if', cond: field('a'), then: n('1'), else: arith('+', n('2'), n('3')) }],
  ['x * (if s = "large" then $r1 else $r2)', arith('*', x, { op: 'if', cond: cmp('=', field('s'), lit.str('large')), then: param('r1'), else: param('r2') })],
  ['tier(age(birth_date), $elderly_bands)', { op: 'tier', value: call('age', field('birth_date')), table: 'elderly_bands' }],
  ['lookup(disability_grade, $grade_amounts)', { op: 'lookup', value: field('disability_grade'), table: 'grade_amounts' }],
  ['age = 1', cmp('=', field('age'), n('1'))],
  ['  a = 1 # 注释 and b\n  and\tb = 2  # 第二行\n', and(cmp('=', field('a'), n('1')), cmp('=', field('b'), n('2')))],
  ['x = 1 or y = 2 and not z is known', or(cmp('=', x, n('1')), and(cmp('=', field('y'), n('2')), not({ op: 'known', value: field('z') })))],
];

describe('parseExpr: text → AST', () => {
  it.each(CASES)('%s', (text, want) => {
    expect(stripLoc(parseExpr(text))).toEqual(want);
  });

  it('parses the example of docs/rule-language.md', () => {
    const text = `entity_kind = "enterprise"
and region within ["3715"]
and ui_paid_months >= $min_paid_months
and (layoff_rate <= $layoff_cap or (insured_count <= 30 and layoff_rate <= 20%))
and not (credit_status in ["serious"])
and registered_on before 2025-01-01
and age(birth_date) between 16 and 24
and qualifications contains any ["zjtx", "xjr"]
and at least 2 of (a > 1, b > 2, c is known)`;
    const e = parseExpr(text);
    expect(e.op).toBe('and');
    const args = (e as Extract<Expr, { op: 'and' }>).args;
    expect(args.map((a) => a.op)).toEqual(['cmp', 'within', 'cmp', 'or', 'not', 'cmp', 'between', 'contains', 'atleast']);
    expect(stripLoc(args[3])).toEqual(or(cmp('<=', field('layoff_rate'), param('layoff_cap')),
      and(cmp('<=', field('insured_count'), n('30')), cmp('<=', field('layoff_rate'), pct('0.2')))));
  });
});

describe('parseExpr: positions', () => {
  const text = '# 稳岗返还\nui_paid_months >= 12\n  and (layoff_rate <= 5.5% or x is missing)';
  const e = parseExpr(text) as Extract<Expr, { op: 'and' }>;

  it('gives every node a 1-based line and column: operators at the operator, the rest at their first token', () => {
    const [first, second] = e.args as [Extract<Expr, { op: 'cmp' }>, Extract<Expr, { op: 'or' }>];
    expect(e.loc).toEqual({ line: 3, col: 3 });
    expect(first.loc).toEqual({ line: 2, col: 16 });
    expect(first.left.loc).toEqual({ line: 2, col: 1 });
    expect(first.right.loc).toEqual({ line: 2, col: 19 });
    expect(second.loc).toEqual({ line: 3, col: 28 });
    const [le, known] = second.args as [Extract<Expr, { op: 'cmp' }>, Expr];
    expect(le.right.loc).toEqual({ line: 3, col: 23 });
    expect(known.loc).toEqual({ line: 3, col: 33 });
  });

  it('maps positions into a file with lineOffset (every line) and colOffset (first line)', () => {
    const m = parseExpr('a = 1\n  and b = 2', { lineOffset: 20, colOffset: 14 }) as Extract<Expr, { op: 'and' }>;
    expect(m.args[0].loc).toEqual({ line: 21, col: 17 });
    expect((m.args[0] as Extract<Expr, { op: 'cmp' }>).left.loc).toEqual({ line: 21, col: 15 });
    expect(m.args[1].loc).toEqual({ line: 22, col: 9 });
  });

  it('counts lines inside a string spanning lines', () => {
    const s = parseExpr('name = "第一行\n第二行"\nand y = 1') as Extract<Expr, { op: 'and' }>;
    expect(s.args[1].loc).toEqual({ line: 3, col: 7 });
  });
});

describe('safeParseExpr', () => {
  it('returns the tree or the error, never throws', () => {
    const ok = safeParseExpr('x >= 1');
    expect(ok.ok && stripLoc(ok.value)).toEqual(cmp('>=', x, n('1')));
    const bad = safeParseExpr('x >= ', { file: 'p.yaml' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('SYNTAX');
      expect(bad.error.file).toBe('p.yaml');
    }
    const deep = safeParseExpr('('.repeat(10_000) + 'x' + ')'.repeat(10_000));
    expect(!deep.ok && deep.error.code).toBe('LIMIT');
  });
});
