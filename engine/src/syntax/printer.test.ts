import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, cmp, field, lit, not, or, param, stripLoc, type Expr } from '../ast/ast.ts';
import { arbSyntaxExpr } from '../../test/syntax-arbitrary.ts';
import { arbRule } from '../../test/arbitraries.ts';
import { parseExpr } from './parser.ts';
import { PRINT_WIDTH, printExpr } from './printer.ts';

const roundTrip = (e: Expr) => stripLoc(parseExpr(printExpr(e)));

/** and/or of one operand means the operand, and `negate: false` means no negation; the text has one way to say each. */
const collapse = (e: Expr): Expr =>
  JSON.parse(JSON.stringify(stripLoc(e)), (k, v: unknown) => {
    if (k === 'negate' && v === false) return undefined;
    const chain = v && typeof v === 'object' && 'op' in v && (v.op === 'and' || v.op === 'or') && 'args' in v && Array.isArray(v.args);
    return chain && (v as { args: Expr[] }).args.length === 1 ? (v as { args: Expr[] }).args[0] : v;
  }) as Expr;

describe('printExpr round trip', () => {
  it('parses back to the same tree for random well-formed ASTs of every node kind', () => {
    fc.assert(
      fc.property(arbSyntaxExpr, (e) => {
        expect(roundTrip(e)).toEqual(stripLoc(e));
      }),
      { numRuns: 3000 },
    );
  });

  it('is canonical: printing the parsed text again gives the same text', () => {
    fc.assert(
      fc.property(arbSyntaxExpr, (e) => {
        const text = printExpr(e);
        expect(printExpr(parseExpr(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips the well-typed rules the evaluators are compared on', () => {
    fc.assert(
      fc.property(arbRule, (e) => {
        expect(roundTrip(e)).toEqual(collapse(e));
      }),
      { numRuns: 1000 },
    );
  });

  it('survives long and/or chains of random conditions, broken over lines', () => {
    const longChain = fc
      .tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(arbSyntaxExpr, { minLength: 6, maxLength: 14 }))
      .map(([op, args]): Expr => ({ op, args }));
    fc.assert(
      fc.property(longChain, (e) => {
        expect(roundTrip(e)).toEqual(stripLoc(e));
      }),
      { numRuns: 300 },
    );
  });
});

// text ; canonical text
const CANONICAL: [string, string][] = [
  ['x>=1', 'x >= 1'],
  ['x ≠ 1', 'x != 1'],
  ['x ≤ 5.5%', 'x <= 5.5%'],
  ['layoff_rate <= 0.055', 'layoff_rate <= 0.055'],
  ['x = 1.50', 'x = 1.50'],
  ['registered_on < 2025-01-01', 'registered_on before 2025-01-01'],
  ['registered_on > add_years(today, -3)', 'registered_on after add_years(today, -3)'],
  ['income_pc < $dibao_standard', 'income_pc < $dibao_standard'],
  ['((x))', 'x'],
  ['(a or b) and c', '(a or b) and c'],
  ['a or (b and c)', 'a or b and c'],
  ['a and (b and c)', 'a and (b and c)'],
  ['not (x = 1)', 'not x = 1'],
  ['not (a and b)', 'not (a and b)'],
  ['(not a) = b', '(not a) = b'],
  ['(x = 1) = true', '(x = 1) = true'],
  ['-(3)', '-(3)'],
  ['- 3', '-3'],
  ['x - (-3)', 'x - -3'],
  ['(1 + 2) * 3', '(1 + 2) * 3'],
  ['1 - (2 - 3)', '1 - (2 - 3)'],
  ['(1 - 2) - 3', '1 - 2 - 3'],
  ['-(x + 1)', '-(x + 1)'],
  ['(if a then 1 else 2) + 1', '(if a then 1 else 2) + 1'],
  ['if a then 1 else (if b then 2 else 3)', 'if a then 1 else if b then 2 else 3'],
  ['if (if a then b else c) then 1 else 2', 'if (if a then b else c) then 1 else 2'],
  ['s = "说\\"明\\\\"', 's = "说\\"明\\\\"'],
  ['x in [1,2 ,3]', 'x in [1, 2, 3]'],
  ['r not within ["371502","LC-JKQ"]', 'r not within ["371502", "LC-JKQ"]'],
  ['x is missing # 注释', 'x is missing'],
  ['at least 2 of (a,b,c)', 'at least 2 of (a, b, c)'],
  ['tier( age(birth_date) , $bands )', 'tier(age(birth_date), $bands)'],
  ['(x + 1) between 1 and (2 * 3)', 'x + 1 between 1 and 2 * 3'],
  ['(a in b) in c', '(a in b) in c'],
];

describe('printExpr: canonical text', () => {
  it.each(CANONICAL)('%s → %s', (text, want) => {
    expect(printExpr(parseExpr(text))).toBe(want);
  });

  it('prints trees built by hand', () => {
    expect(printExpr(and(cmp('>=', field('employees'), lit.num(10)), not(or(field('a'), field('b')))))).toBe('employees >= 10 and not (a or b)');
    expect(printExpr({ op: 'lit', value: { num: '0.055', pct: true } })).toBe('5.5%');
    expect(printExpr({ op: 'lit', value: { num: '-0.2', pct: true } })).toBe('-20%');
    expect(printExpr({ op: 'neg', arg: { op: 'lit', value: { num: '0.05', pct: true } } })).toBe('-(5%)');
    expect(printExpr(cmp('<=', param('cap'), lit.num('+.5')))).toBe('$cap <= 0.5');
    expect(() => printExpr(lit.num('abc'))).toThrow(/not a decimal number/);
    // Degenerate chains print as what they mean.
    expect(printExpr({ op: 'neg', arg: or(lit.num(3)) })).toBe('-(3)');
    expect(printExpr(and(or(field('a')), field('b')))).toBe('a and b');
    expect(printExpr(not(and()))).toBe('not true');
    expect(printExpr(or())).toBe('false');
  });
});

describe('printExpr: long rules', () => {
  const rule = `entity_kind = "enterprise" and region within ["371500"] and ui_paid_months >= $min_paid_months
    and (layoff_rate <= $layoff_cap or (insured_count <= 30 and layoff_rate <= 20%)
         or (insured_count <= 100 and layoff_rate <= $layoff_cap_medium and credit_status not in ["serious", "dishonest"]))
    and not (credit_status in ["serious"] or credit_status is missing or qualifications contains none ["zjtx", "xjr"])`;

  it('breaks and/or chains one condition per line, nested chains indented in parentheses', () => {
    expect(printExpr(parseExpr(rule))).toBe(`entity_kind = "enterprise"
and region within ["371500"]
and ui_paid_months >= $min_paid_months
and (
  layoff_rate <= $layoff_cap
  or insured_count <= 30 and layoff_rate <= 20%
  or insured_count <= 100
     and layoff_rate <= $layoff_cap_medium
     and credit_status not in ["serious", "dishonest"]
)
and not (
  credit_status in ["serious"]
  or credit_status is missing
  or qualifications contains none ["zjtx", "xjr"]
)`);
  });

  it('keeps every line of a broken chain within the width when its conditions are short', () => {
    const e = and(...Array.from({ length: 30 }, (_, i) => or(cmp('>=', field(`field_${i}`), lit.num(i)), field(`flag_${i}`))));
    const text = printExpr(e);
    expect(text.split('\n').length).toBe(30);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(PRINT_WIDTH);
    expect(stripLoc(parseExpr(text))).toEqual(e);
  });

  it('breaks a long conditional into if / then / else lines', () => {
    const text = printExpr(parseExpr('if size_class = "large" and employees > 1000 and revenue > 400000 then $ratio_large_enterprise else $ratio_sme'));
    expect(text).toBe('if size_class = "large" and employees > 1000 and revenue > 400000\nthen $ratio_large_enterprise\nelse $ratio_sme');
  });
});
