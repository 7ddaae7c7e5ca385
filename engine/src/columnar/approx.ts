// A certified shortcut for arithmetic comparisons such as `rd_expense / revenue >= 3%`:
// compute both sides in doubles together with a rigorous bound on the distance to the
// exact decimal value (facts and constants are within half an ulp of their decimal
// value; each operation adds its rounding; a division adds up to 1e-10 for the
// truncation at 10 places). When the two sides are further apart than the bounds, the
// answer is certain; otherwise (a near tie, a divisor that might be zero, an overflow)
// the caller falls back to exact decimals. Allocation-free: errors travel in module
// variables.
import type { CmpOp, Expr } from '../ast/ast.ts';
import type { DateColumn, NumColumn, PopulationData } from './population.ts';

const HALF_ULP = 2 ** -53;
const ROUNDING = 2 ** -52;
const TRUNCATION = 1e-10;

let err = 0; // bound on |value − exact value| of the last result
let unknown = false; // a fact read was unknown: the comparison is U
let undecided = false; // the bound cannot be trusted (divisor near zero, overflow)

type NumFn = (row: number) => number;

function compileNum(e: Expr, pop: PopulationData, types: Record<string, string>): NumFn | undefined {
  switch (e.op) {
    case 'lit': {
      if (typeof e.value !== 'object' || !('num' in e.value)) return undefined;
      const x = Number(e.value.num);
      const ex = Math.abs(x) * HALF_ULP;
      return () => ((err = ex), x);
    }
    case 'field': {
      const col = pop.columns[e.name];
      if (!col || col.kind !== 'num' || (types[e.name] !== 'int' && types[e.name] !== 'dec')) return undefined;
      const { values, unknown: bits } = col as NumColumn | DateColumn;
      return (row) => {
        if ((bits[row >>> 5] >>> (row & 31)) & 1) unknown = true;
        const x = values[row];
        err = Math.abs(x) * HALF_ULP;
        return x;
      };
    }
    case 'neg': {
      const a = compileNum(e.arg, pop, types);
      return a && ((row) => -a(row));
    }
    case 'arith': {
      const a = compileNum(e.left, pop, types);
      const b = compileNum(e.right, pop, types);
      if (!a || !b) return undefined;
      switch (e.arith) {
        case '+':
        case '-': {
          const sign = e.arith === '+' ? 1 : -1;
          return (row) => {
            const x = a(row);
            const ex = err;
            const y = b(row);
            const z = x + sign * y;
            err = ex + err + Math.abs(z) * ROUNDING;
            return z;
          };
        }
        case '*':
          return (row) => {
            const x = a(row);
            const ex = err;
            const y = b(row);
            const ey = err;
            const z = x * y;
            err = Math.abs(x) * ey + Math.abs(y) * ex + ex * ey + Math.abs(z) * ROUNDING;
            return z;
          };
        case '/':
          return (row) => {
            const x = a(row);
            const ex = err;
            const y = b(row);
            const ey = err;
            const ay = Math.abs(y);
            if (ay <= ey) {
              // y = 0 exactly (no error) is a zero divisor: unknown. Otherwise it may be zero.
              if (y === 0 && ey === 0) unknown = true;
              else undecided = true;
              return 0;
            }
            const z = x / y;
            err = (Math.abs(x) * ey + ay * ex) / (ay * (ay - ey)) + Math.abs(z) * ROUNDING + TRUNCATION;
            return z;
          };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The sign of exact(a) − exact(b): -1, 0, 1, or 2 when it cannot be certified. */
function certifiedSign(a: NumFn, b: NumFn, row: number): number {
  const x = a(row);
  const ex = err;
  const y = b(row);
  const ey = err;
  const d = x - y;
  const bound = (ex + ey) * (1 + 2 ** -40) + Math.abs(d) * 2 ** -50;
  if (!Number.isFinite(d) || !Number.isFinite(bound)) undecided = true;
  if (d > bound) return 1;
  if (-d > bound) return -1;
  return d === 0 && ex === 0 && ey === 0 ? 0 : 2;
}

function holds(op: CmpOp, s: number): boolean {
  return op === '=' ? s === 0 : op === '!=' ? s !== 0 : op === '<' ? s < 0 : op === '<=' ? s <= 0 : op === '>' ? s > 0 : s >= 0;
}

export type Approx = (row: number) => 'T' | 'F' | 'U' | null;

/** A certified evaluator for `A op B` / `X between A and B` over numbers, or undefined. */
export function compileApprox(e: Expr, pop: PopulationData, types: Record<string, string>): Approx | undefined {
  if (e.op === 'cmp') {
    const [a, b, op] = [compileNum(e.left, pop, types), compileNum(e.right, pop, types), e.cmp];
    if (!a || !b) return undefined;
    return (row) => {
      unknown = undecided = false;
      const s = certifiedSign(a, b, row);
      if (unknown) return 'U';
      if (undecided || s === 2) return null;
      return holds(op, s) ? 'T' : 'F';
    };
  }
  if (e.op === 'between') {
    const [x, lo, hi] = [compileNum(e.value, pop, types), compileNum(e.low, pop, types), compileNum(e.high, pop, types)];
    if (!x || !lo || !hi) return undefined;
    return (row) => {
      unknown = undecided = false;
      const s1 = certifiedSign(x, lo, row);
      const s2 = certifiedSign(x, hi, row);
      if (unknown) return 'U';
      if (undecided || s1 === 2 || s2 === 2) return null;
      return s1 >= 0 && s2 <= 0 ? 'T' : 'F';
    };
  }
  return undefined;
}
