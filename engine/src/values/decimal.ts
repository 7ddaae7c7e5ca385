// Money is never a binary float. Numbers in arithmetic are decimals with these
// rules, mirrored exactly by the SQL generator (PostgreSQL numeric):
//   + − ×     exact
//   ÷         truncated toward zero at 10 decimal places; ÷ 0 is unknown
//   round     half away from zero (PostgreSQL's round(numeric, n))
// Facts and constants have at most 15 significant digits, so a JS number holds them
// exactly and comparisons of a fact with a constant may use plain doubles.
import { Decimal as DecimalJs } from 'decimal.js';

export const Dec = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 40 });
export type Dec = InstanceType<typeof Dec>;

export const DIV_SCALE = 10;
export const MAX_SIGNIFICANT = 15;

export function dec(x: number | string | Dec): Dec {
  return x instanceof Dec ? x : new Dec(typeof x === 'number' ? numToString(x) : x);
}

/** Shortest round-trip string of a double, never in exponent notation. */
export function numToString(x: number): string {
  const s = String(x);
  return /e/i.test(s) ? new DecimalJs(s).toFixed() : s;
}

/** Truncated division at DIV_SCALE places; undefined for a zero divisor. */
export function divide(a: Dec, b: Dec): Dec | undefined {
  if (b.isZero()) return undefined;
  return a.div(b).toDecimalPlaces(DIV_SCALE, Dec.ROUND_DOWN);
}

export function roundHalfAway(a: Dec, places: number): Dec {
  return a.toDecimalPlaces(places, Dec.ROUND_HALF_UP);
}

/** Plain decimal text: no exponent, no trailing zeros after the point. */
export function decToString(a: Dec): string {
  return a.toFixed();
}

/** Number of significant digits in a decimal literal such as "-0.00120" (→ 2). */
export function significantDigits(s: string): number {
  const digits = s.replace(/^[-+]/, '').replace('.', '').replace(/^0+/, '');
  const trimmed = s.includes('.') ? digits.replace(/0+$/, '') : digits.replace(/0+$/, '');
  return Math.max(trimmed.length, 1);
}

const DEC_RE = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;
export function isDecimalText(s: string): boolean {
  return DEC_RE.test(s);
}
