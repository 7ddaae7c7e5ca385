// Facts about the grammar shared by the parser and the printer, so that what one
// writes the other reads: functions and their arities, precedence levels.
import type { Expr, FnName } from '../ast/ast.ts';

// Re-exported: importers already read the limits from here.
export { RULE_LIMITS } from './limits.ts';

/** Each function with its [least, most] number of arguments. */
export const FUNCTION_ARITY: Readonly<Record<FnName, readonly [number, number]>> = {
  min: [1, Infinity],
  max: [1, Infinity],
  round: [2, 2],
  floor: [1, 1],
  ceil: [1, 1],
  abs: [1, 1],
  age: [1, 1],
  years_since: [1, 1],
  months_since: [1, 1],
  days_since: [1, 1],
  add_days: [2, 2],
  add_months: [2, 2],
  add_years: [2, 2],
  count: [1, 1],
};

/** Every name that may be called, in the order error messages list them. */
export const CALLABLE_NAMES: readonly string[] = [...Object.keys(FUNCTION_ARITY), 'tier', 'lookup'];

export function isFnName(s: string): s is FnName {
  return Object.prototype.hasOwnProperty.call(FUNCTION_ARITY, s);
}

/**
 * Binding strength, loosest first. `if … else` is greedy to the right, so as an operand of
 * anything it is parenthesised; it sits below `or`.
 */
export const PREC = { if: 0, or: 1, and: 2, not: 3, cmp: 4, add: 5, mul: 6, neg: 7, primary: 8 } as const;

export function precOf(e: Expr): number {
  switch (e.op) {
    case 'if':
      return PREC.if;
    case 'or':
      return PREC.or;
    case 'and':
      return PREC.and;
    case 'not':
      return PREC.not;
    case 'cmp':
    case 'between':
    case 'in':
    case 'contains':
    case 'within':
    case 'known':
      return PREC.cmp;
    case 'arith':
      return e.arith === '+' || e.arith === '-' ? PREC.add : PREC.mul;
    case 'neg':
      return PREC.neg;
    default:
      return PREC.primary;
  }
}
