// fast-check generator of syntactically well-formed ASTs of every node kind, with no
// regard for types: the parser and printer do not type-check, so anything the AST can
// hold (within the grammar's own rules) must survive print → parse.
import fc from 'fast-check';
import type { ArithOp, CmpOp, Expr, FnName, LitValue } from '../src/ast/ast.ts';
import { formatDate, MIN_DATE, parseDate } from '../src/values/dates.ts';
import { dec, decToString } from '../src/values/decimal.ts';
import { FUNCTION_ARITY } from '../src/syntax/grammar.ts';
import { KEYWORDS } from '../src/syntax/lexer.ts';

const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,11}$/);
const fieldName = identifier.filter((s) => !KEYWORDS.has(s));

/** Decimal text as a person writes it, up to 15 significant digits, trailing zeros kept. */
const plainNumText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.nat({ max: 18 }))
  .map(([neg, digits, scale]) => {
    const s = digits.toString().padStart(scale + 1, '0');
    const text = scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
    return (neg ? '-' : '') + text;
  });
/** Percentages are stored divided and normalised, which is what the parser produces. */
const pctNumText = plainNumText.map((t) => decToString(dec(t).div(100)));

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('专精特新', '聊人社字〔2025〕12号', 'a"b\\c', '\\', '"', '# 不是注释', 'line\nbreak', ''),
);
// values/dates.ts accepts up to 2199-12-31 although MAX_DATE says 2200-12-31 (reported to the lead).
const dateText = fc.integer({ min: parseDate(MIN_DATE)!, max: parseDate('2199-12-31')! }).map(formatDate);

const scalarLit: fc.Arbitrary<LitValue> = fc.oneof(
  fc.boolean(),
  text,
  plainNumText.map((num) => ({ num })),
  pctNumText.map((num) => ({ num, pct: true })),
  dateText.map((date) => ({ date })),
);
const litValue: fc.Arbitrary<LitValue> = fc.oneof(
  { weight: 4, arbitrary: scalarLit },
  { weight: 1, arbitrary: fc.array(fc.oneof(scalarLit, fc.array(scalarLit, { maxLength: 2 }).map((list) => ({ list }))), { maxLength: 4 }).map((list) => ({ list })) },
);

const cmpOp = fc.constantFrom<CmpOp>('=', '!=', '<', '<=', '>', '>=');
const arithOp = fc.constantFrom<ArithOp>('+', '-', '*', '/');
const fnName = fc.constantFrom(...(Object.keys(FUNCTION_ARITY) as FnName[]));
const negate = fc.boolean().map((b) => (b ? { negate: true } : {}));

export const arbSyntaxExpr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => {
  const e = tie('e');
  const args = (min: number, max: number) => fc.array(e, { minLength: min, maxLength: max });
  return {
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      litValue.map((value): Expr => ({ op: 'lit', value })),
      fieldName.map((name): Expr => ({ op: 'field', name })),
      identifier.map((name): Expr => ({ op: 'param', name })),
      fc.constant<Expr>({ op: 'today' }),
      fc.tuple(cmpOp, e, e).map(([c, left, right]): Expr => ({ op: 'cmp', cmp: c, left, right })),
      fc.tuple(e, e, e).map(([value, low, high]): Expr => ({ op: 'between', value, low, high })),
      fc.tuple(e, e, negate).map(([value, list, n]): Expr => ({ op: 'in', value, list, ...n })),
      fc.tuple(fc.constantFrom<'any' | 'all' | 'none'>('any', 'all', 'none'), e, e).map(([mode, set, list]): Expr => ({ op: 'contains', mode, set, list })),
      fc.tuple(e, fc.array(text, { maxLength: 3 }), negate).map(([value, regions, n]): Expr => ({ op: 'within', value, regions, ...n })),
      fc.tuple(e, negate).map(([value, n]): Expr => ({ op: 'known', value, ...n })),
      args(2, 4).map((a): Expr => ({ op: 'and', args: a })),
      args(2, 4).map((a): Expr => ({ op: 'or', args: a })),
      e.map((arg): Expr => ({ op: 'not', arg })),
      args(1, 4).chain((a) => fc.integer({ min: 0, max: a.length + 1 }).map((n): Expr => ({ op: 'atleast', n, args: a }))),
      fc.tuple(arithOp, e, e).map(([a, left, right]): Expr => ({ op: 'arith', arith: a, left, right })),
      e.map((arg): Expr => ({ op: 'neg', arg })),
      fnName.chain((fn) => {
        const [least, most] = FUNCTION_ARITY[fn];
        return args(least, Math.min(most, least + 2)).map((a): Expr => ({ op: 'call', fn, args: a }));
      }),
      fc.tuple(e, e, e).map(([cond, then, els]): Expr => ({ op: 'if', cond, then, else: els })),
      fc.tuple(fc.constantFrom<'tier' | 'lookup'>('tier', 'lookup'), e, identifier).map(([op, value, table]): Expr => ({ op, value, table })),
    ),
  };
}).e;
