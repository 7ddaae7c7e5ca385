// Rewrites before leaves are recognised: constants folded (with the reference
// interpreter), and `if` lifted out of value positions so that a condition such as
// `income < (if hukou = "urban" then 850 else 690)` becomes two ordinary leaves.
import type { Expr, LitValue } from '../ast/ast.ts';
import { children, fieldsOf } from '../ast/ast.ts';
import { evalValue, type EvalContext, type RV } from '../evaluate/interpret.ts';
import { formatDate } from '../values/dates.ts';
import { decToString } from '../values/decimal.ts';

function toLit(v: RV | undefined): LitValue | undefined {
  if (!v) return undefined;
  switch (v.t) {
    case 'num':
      return { num: decToString(v.v) };
    case 'date':
      return { date: formatDate(v.v) };
    case 'bool':
    case 'str':
      return v.v;
    case 'set':
      return { list: [...v.v] };
    case 'list': {
      const items = v.v.map(toLit);
      return items.some((x) => x === undefined) ? undefined : { list: items as LitValue[] };
    }
  }
}

function mapChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'loc') continue;
    if (Array.isArray(v) && v.length && typeof v[0] === 'object' && v[0] && 'op' in v[0]) out[k] = (v as Expr[]).map(f);
    else if (v && typeof v === 'object' && 'op' in (v as object)) out[k] = f(v as Expr);
    else out[k] = v;
  }
  return out as Expr;
}

/** Replaces every field-free subexpression by its value (when it has one). */
export function fold(e: Expr, ctx: EvalContext): Expr {
  if (e.op === 'lit' || e.op === 'field') return e;
  const c = mapChildren(e, (x) => fold(x, ctx));
  if (fieldsOf(c).length) return c;
  const lit = toLit(evalValue(c, {}, ctx));
  return lit === undefined ? c : { op: 'lit', value: lit };
}

// Conditions nested in a value stop the search: their own `if`s are theirs to lift.
const NOT_A_VALUE = new Set<Expr['op']>(['known', 'and', 'or', 'not', 'atleast', 'cmp', 'between', 'in', 'contains', 'within']);

/**
 * For a condition with an `if` in a value position: [c, condition with the then-branch,
 * condition with the else-branch]. Every construct on the way is strict (unknown in,
 * unknown out), so the condition equals "if c then A else B"; `is known` is not strict
 * and is never crossed.
 */
export function splitIf(e: Expr, top = true): [Expr, Expr, Expr] | undefined {
  if (!top) {
    if (e.op === 'if') return [e.cond, e.then, e.else];
    if (NOT_A_VALUE.has(e.op)) return undefined;
  } else if (e.op === 'known' || e.op === 'if') return undefined;
  for (const c of children(e)) {
    const hit = splitIf(c, false);
    if (hit) {
      const put = (x: Expr) => mapChildren(e, (k) => (k === c ? x : k));
      return [hit[0], put(hit[1]), put(hit[2])];
    }
  }
  return undefined;
}
