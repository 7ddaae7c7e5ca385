// The reference interpreter (evaluator 1 of 4). It is the definition the other three
// evaluators are tested against: straightforward, exact (decimal arithmetic) and
// three-valued. It records a trace when asked; explain/ turns traces into text.
import type { Expr } from '../ast/ast.ts';
import { withinCode } from '../dictionary/dictionary.ts';
import type { Dictionary } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import type { ResolvedParams } from '../params/resolve.ts';
import { addMonths, addYears, fullMonths, fullYears, parseDate } from '../values/dates.ts';
import { Dec, dec, divide, roundHalfAway } from '../values/decimal.ts';
import type { Facts } from '../values/facts.ts';

export type Tri = 'T' | 'F' | 'U';

export interface EvalContext {
  dict: Dictionary;
  params: ResolvedParams;
  /** The evaluation date, in days since 1970-01-01. */
  day: number;
}

/** Runtime values. `undefined` everywhere means unknown. */
export type RV =
  | { t: 'num'; v: Dec }
  | { t: 'bool'; v: boolean }
  | { t: 'date'; v: number }
  | { t: 'str'; v: string }
  | { t: 'set'; v: readonly string[] }
  | { t: 'list'; v: RV[] };

/** A record of how a boolean node was decided; leaves carry the values they compared. */
export interface TraceNode {
  expr: Expr;
  result: Tri;
  children?: TraceNode[];
  /** For leaves: the values of the operands as evaluated (undefined = unknown). */
  operands?: (RV | undefined)[];
}

export const tri = (b: boolean): Tri => (b ? 'T' : 'F');

// A rule's literals are the same at every evaluation (and values are never mutated), so a
// number, date or list literal is converted once: parsing a decimal per evaluation was a
// good part of explaining an entity's list.
const literals = new WeakMap<object, RV>();

function litValue(v: Extract<Expr, { op: 'lit' }>['value']): RV {
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (typeof v === 'string') return { t: 'str', v };
  let r = literals.get(v);
  if (!r) {
    r = 'num' in v ? { t: 'num', v: dec(v.num) } : 'date' in v ? { t: 'date', v: parseDate(v.date)! } : { t: 'list', v: v.list.map(litValue) };
    literals.set(v, r);
  }
  return r;
}

export function fieldValue(ctx: EvalContext, facts: Facts, name: string): RV | undefined {
  const raw = facts[name];
  if (raw === undefined || raw === null) return undefined;
  const def = ctx.dict.fields.get(name);
  if (!def) throw new EngineError('UNKNOWN_FIELD', `未知字段 "${name}"`, `unknown field "${name}"`);
  switch (def.type) {
    case 'int':
    case 'dec':
      return { t: 'num', v: dec(raw as number) };
    case 'bool':
      return { t: 'bool', v: raw as boolean };
    case 'date':
      return { t: 'date', v: raw as number };
    case 'set':
      return { t: 'set', v: raw as string[] };
    default:
      return { t: 'str', v: raw as string };
  }
}

function paramValue(ctx: EvalContext, name: string): RV {
  const p = ctx.params.get(name);
  if (!p) throw new EngineError('UNKNOWN_PARAM', `未定义的参数 $${name}`, `undefined parameter $${name}`);
  switch (p.type) {
    case 'num':
      return { t: 'num', v: p.value };
    case 'bool':
      return { t: 'bool', v: p.value };
    case 'date':
      return { t: 'date', v: p.value };
    case 'text':
      return { t: 'str', v: p.value };
    case 'list':
      return { t: 'list', v: p.value.map((v) => ({ t: 'str', v }) as RV) };
    default:
      throw new EngineError('PARAM_TYPE', `参数 $${name} 是表格`, `parameter $${name} is a table`);
  }
}

/** Equality of two known runtime values of comparable types. */
export function rvEquals(a: RV, b: RV): boolean {
  if (a.t === 'num' && b.t === 'num') return a.v.eq(b.v);
  return a.v === b.v;
}

/** Ordering of numbers and dates: negative, zero, positive. */
export function rvCompare(a: RV, b: RV): number {
  if (a.t === 'num' && b.t === 'num') return a.v.cmp(b.v);
  return (a.v as number) - (b.v as number);
}

function num(x: RV | undefined): Dec | undefined {
  return x === undefined ? undefined : (x as { v: Dec }).v;
}

export class Interpreter {
  constructor(
    private readonly ctx: EvalContext,
    private readonly facts: Facts,
  ) {}

  value(e: Expr): RV | undefined {
    const ctx = this.ctx;
    switch (e.op) {
      case 'lit':
        return litValue(e.value);
      case 'field':
        return fieldValue(ctx, this.facts, e.name);
      case 'param':
        return paramValue(ctx, e.name);
      case 'today':
        return { t: 'date', v: ctx.day };
      case 'arith': {
        const a = num(this.value(e.left));
        const b = num(this.value(e.right));
        if (a === undefined || b === undefined) return undefined;
        const r = e.arith === '+' ? a.plus(b) : e.arith === '-' ? a.minus(b) : e.arith === '*' ? a.times(b) : divide(a, b);
        return r === undefined ? undefined : { t: 'num', v: r };
      }
      case 'neg': {
        const a = num(this.value(e.arg));
        return a === undefined ? undefined : { t: 'num', v: a.neg() };
      }
      case 'call':
        return this.call(e);
      case 'if': {
        const c = this.bool(e.cond);
        return c === 'U' ? undefined : this.value(c === 'T' ? e.then : e.else);
      }
      case 'tier': {
        const x = num(this.value(e.value));
        if (x === undefined) return undefined;
        const p = ctx.params.get(e.table);
        if (!p || p.type !== 'tiers') throw new EngineError('PARAM_TYPE', `$${e.table} 不是分档表`, `$${e.table} is not a tiers table`);
        const row = p.rows.find((r) => (!r.min || x.gte(r.min)) && (!r.max || x.lt(r.max)));
        return { t: 'num', v: row ? row.value : new Dec(0) };
      }
      case 'lookup': {
        const x = this.value(e.value);
        if (x === undefined) return undefined;
        const p = ctx.params.get(e.table);
        if (!p || p.type !== 'map') throw new EngineError('PARAM_TYPE', `$${e.table} 不是对照表`, `$${e.table} is not a map`);
        return { t: 'num', v: p.entries.get(String(x.v)) ?? p.default ?? new Dec(0) };
      }
      default: {
        const b = this.bool(e);
        return b === 'U' ? undefined : { t: 'bool', v: b === 'T' };
      }
    }
  }

  private call(e: Extract<Expr, { op: 'call' }>): RV | undefined {
    const args = e.args.map((a) => this.value(a));
    if (args.some((a) => a === undefined)) return undefined;
    const n = (i: number) => (args[i] as { v: Dec }).v;
    const d = (i: number) => (args[i] as { v: number }).v;
    const day = this.ctx.day;
    switch (e.fn) {
      case 'min':
        return { t: 'num', v: Dec.min(...args.map((_, i) => n(i))) };
      case 'max':
        return { t: 'num', v: Dec.max(...args.map((_, i) => n(i))) };
      case 'round':
        return { t: 'num', v: roundHalfAway(n(0), n(1).toNumber()) };
      case 'floor':
        return { t: 'num', v: n(0).floor() };
      case 'ceil':
        return { t: 'num', v: n(0).ceil() };
      case 'abs':
        return { t: 'num', v: n(0).abs() };
      case 'age':
      case 'years_since':
        return { t: 'num', v: new Dec(fullYears(d(0), day)) };
      case 'months_since':
        return { t: 'num', v: new Dec(fullMonths(d(0), day)) };
      case 'days_since':
        return { t: 'num', v: new Dec(day - d(0)) };
      case 'add_days':
        return { t: 'date', v: d(0) + n(1).toNumber() };
      case 'add_months':
        return { t: 'date', v: addMonths(d(0), n(1).toNumber()) };
      case 'add_years':
        return { t: 'date', v: addYears(d(0), n(1).toNumber()) };
      case 'count':
        return { t: 'num', v: new Dec((args[0] as { v: readonly string[] }).v.length) };
    }
  }

  /** Three-valued evaluation of a condition; records into `trace` when given. */
  bool(e: Expr, trace?: TraceNode[]): Tri {
    switch (e.op) {
      case 'and':
      case 'or': {
        const kids: TraceNode[] | undefined = trace ? [] : undefined;
        const stop: Tri = e.op === 'and' ? 'F' : 'T';
        let sawU = false;
        let result: Tri | undefined;
        for (const a of e.args) {
          const r = this.bool(a, kids);
          if (r === stop) {
            result = stop;
            if (!trace) break; // with a trace, evaluate every condition so the user sees them all
          } else if (r === 'U') sawU = true;
        }
        result ??= sawU ? 'U' : e.op === 'and' ? 'T' : 'F';
        trace?.push({ expr: e, result, children: kids! });
        return result;
      }
      case 'not': {
        const kids: TraceNode[] | undefined = trace ? [] : undefined;
        const r = this.bool(e.arg, kids);
        const result: Tri = r === 'U' ? 'U' : r === 'T' ? 'F' : 'T';
        trace?.push({ expr: e, result, children: kids! });
        return result;
      }
      case 'atleast': {
        const kids: TraceNode[] | undefined = trace ? [] : undefined;
        let t = 0;
        let u = 0;
        for (const a of e.args) {
          const r = this.bool(a, kids);
          if (r === 'T') t++;
          else if (r === 'U') u++;
        }
        const result: Tri = t >= e.n ? 'T' : t + u < e.n ? 'F' : 'U';
        trace?.push({ expr: e, result, children: kids! });
        return result;
      }
      default: {
        const { result, operands } = this.leaf(e);
        trace?.push({ expr: e, result, operands });
        return result;
      }
    }
  }

  private leaf(e: Expr): { result: Tri; operands: (RV | undefined)[] } {
    switch (e.op) {
      case 'cmp': {
        const a = this.value(e.left);
        const b = this.value(e.right);
        const operands = [a, b];
        if (!a || !b) return { result: 'U', operands };
        if (e.cmp === '=') return { result: tri(rvEquals(a, b)), operands };
        if (e.cmp === '!=') return { result: tri(!rvEquals(a, b)), operands };
        const c = rvCompare(a, b);
        const r = e.cmp === '<' ? c < 0 : e.cmp === '<=' ? c <= 0 : e.cmp === '>' ? c > 0 : c >= 0;
        return { result: tri(r), operands };
      }
      case 'between': {
        const x = this.value(e.value);
        const lo = this.value(e.low);
        const hi = this.value(e.high);
        const operands = [x, lo, hi];
        if (!x || !lo || !hi) return { result: 'U', operands };
        return { result: tri(rvCompare(x, lo) >= 0 && rvCompare(x, hi) <= 0), operands };
      }
      case 'in': {
        const x = this.value(e.value);
        const l = this.value(e.list);
        const operands = [x, l];
        if (!x || !l) return { result: 'U', operands };
        const hit = (l as { v: RV[] }).v.some((m) => rvEquals(x, m));
        return { result: tri(e.negate ? !hit : hit), operands };
      }
      case 'contains': {
        const s = this.value(e.set);
        const l = this.value(e.list);
        const operands = [s, l];
        if (!s || !l) return { result: 'U', operands };
        const members = new Set((s as { v: readonly string[] }).v);
        const wanted = (l as { v: RV[] }).v.map((m) => String(m.v));
        const r =
          e.mode === 'any' ? wanted.some((w) => members.has(w)) : e.mode === 'all' ? wanted.every((w) => members.has(w)) : !wanted.some((w) => members.has(w));
        return { result: tri(r), operands };
      }
      case 'within': {
        const x = this.value(e.value);
        if (!x) return { result: 'U', operands: [x] };
        return { result: (['F', 'T', 'U'] as const)[withinCode(this.ctx.dict.regions, e.regions, String(x.v), !!e.negate)], operands: [x] };
      }
      case 'known': {
        const x = this.value(e.value);
        return { result: tri((x !== undefined) !== !!e.negate), operands: [x] };
      }
      default: {
        // a bool-valued field, literal, parameter or if-expression used as a condition
        const x = this.value(e);
        if (!x) return { result: 'U', operands: [x] };
        return { result: tri(x.v === true), operands: [x] };
      }
    }
  }
}

export function evalBool(e: Expr, facts: Facts, ctx: EvalContext): Tri {
  return new Interpreter(ctx, facts).bool(e);
}

export function evalValue(e: Expr, facts: Facts, ctx: EvalContext): RV | undefined {
  return new Interpreter(ctx, facts).value(e);
}

export function evalNumber(e: Expr, facts: Facts, ctx: EvalContext): Dec | undefined {
  const v = evalValue(e, facts, ctx);
  return v === undefined ? undefined : (v as { v: Dec }).v;
}

/** Evaluates with a full trace (every condition evaluated, even after the verdict is known). */
export function traceBool(e: Expr, facts: Facts, ctx: EvalContext): TraceNode {
  const out: TraceNode[] = [];
  new Interpreter(ctx, facts).bool(e, out);
  return out[0];
}
