// The compiled per-entity evaluator (evaluator 2 of 4): a rule bound to a date becomes
// a tree of closures, with constants folded, lists turned into sets and region
// membership precomputed. No trace. Policy text never becomes JavaScript source: the
// closures are fixed code, the rule only chooses which of them to combine.
import type { Expr } from '../ast/ast.ts';
import { withinCode } from '../dictionary/dictionary.ts';
import { EngineError } from '../errors.ts';
import { bindRule } from '../params/bind.ts';
import { addMonths, addYears, fullMonths, fullYears, parseDate } from '../values/dates.ts';
import { Dec, dec, divide, MAX_SIGNIFICANT, roundHalfAway, significantDigits } from '../values/decimal.ts';
import type { Facts } from '../values/facts.ts';
import type { EvalContext } from './interpret.ts';

/** 0 = false, 1 = true, 2 = unknown. */
export type TriCode = 0 | 1 | 2;
export const F = 0;
export const T = 1;
export const U = 2;

type Num = number | Dec;
type Val = Num | boolean | string | readonly string[] | undefined;
type ValFn = (f: Facts) => Val;
export type BoolFn = (f: Facts) => TriCode;

const isDec = (x: unknown): x is Dec => x instanceof Dec;
const toDec = (x: Num): Dec => (isDec(x) ? x : dec(x));

/** A decimal that fits a double exactly becomes a number (fast compares); otherwise stays Dec. */
function fromDec(d: Dec): Num {
  const s = d.toFixed();
  return significantDigits(s) <= MAX_SIGNIFICANT ? Number(s) : d;
}

function numEq(a: Num, b: Num): boolean {
  return typeof a === 'number' && typeof b === 'number' ? a === b : toDec(a).eq(toDec(b));
}

function numCmp(a: Num, b: Num): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : toDec(a).cmp(toDec(b));
}

export class Compiler {
  constructor(private readonly ctx: EvalContext) {}

  bool(e: Expr): BoolFn {
    switch (e.op) {
      case 'and':
      case 'or': {
        const fs = e.args.map((a) => this.bool(a));
        const stop = e.op === 'and' ? F : T;
        const other = e.op === 'and' ? T : F;
        if (fs.length === 2) {
          const [a, b] = fs;
          return (x) => {
            const ra = a(x);
            if (ra === stop) return stop;
            const rb = b(x);
            if (rb === stop) return stop;
            return ra === U || rb === U ? U : other;
          };
        }
        return (x) => {
          let sawU = false;
          for (let i = 0; i < fs.length; i++) {
            const r = fs[i](x);
            if (r === stop) return stop;
            if (r === U) sawU = true;
          }
          return sawU ? U : other;
        };
      }
      case 'not': {
        const a = this.bool(e.arg);
        return (x) => {
          const r = a(x);
          return r === U ? U : r === T ? F : T;
        };
      }
      case 'atleast': {
        const fs = e.args.map((a) => this.bool(a));
        const n = e.n;
        return (x) => {
          let t = 0;
          let u = 0;
          for (let i = 0; i < fs.length; i++) {
            const r = fs[i](x);
            if (r === T) t++;
            else if (r === U) u++;
          }
          return t >= n ? T : t + u < n ? F : U;
        };
      }
      case 'cmp':
        return this.cmp(e);
      case 'between': {
        const v = this.value(e.value);
        const lo = this.value(e.low);
        const hi = this.value(e.high);
        return (x) => {
          const a = v(x);
          const l = lo(x);
          const h = hi(x);
          if (a === undefined || l === undefined || h === undefined) return U;
          return numCmp(a as Num, l as Num) >= 0 && numCmp(a as Num, h as Num) <= 0 ? T : F;
        };
      }
      case 'in': {
        const v = this.value(e.value);
        const list = e.list.op === 'lit' && typeof e.list.value === 'object' && 'list' in e.list.value ? e.list.value.list : undefined;
        const neg = !!e.negate;
        if (list && list.every((m) => typeof m === 'string')) {
          const set = new Set(list as string[]);
          return (x) => {
            const a = v(x);
            if (a === undefined) return U;
            return set.has(a as string) !== neg ? T : F;
          };
        }
        const lv = this.value(e.list);
        return (x) => {
          const a = v(x);
          const l = lv(x) as Val[] | undefined;
          if (a === undefined || l === undefined) return U;
          const hit = l.some((m) => (typeof m === 'string' ? m === a : m !== undefined && numEq(a as Num, m as Num)));
          return hit !== neg ? T : F;
        };
      }
      case 'contains': {
        const s = this.value(e.set);
        const lv = this.value(e.list);
        const mode = e.mode;
        return (x) => {
          const set = s(x) as readonly string[] | undefined;
          const l = lv(x) as string[] | undefined;
          if (set === undefined || l === undefined) return U;
          if (mode === 'all') return l.every((w) => set.includes(w)) ? T : F;
          const any = l.some((w) => set.includes(w));
          return (mode === 'any') === any ? T : F;
        };
      }
      case 'within': {
        const v = this.value(e.value);
        const regions = e.regions;
        const tree = this.ctx.dict.regions;
        const memo = new Map<string, TriCode>();
        const neg = !!e.negate;
        return (x) => {
          const code = v(x) as string | undefined;
          if (code === undefined) return U;
          let r = memo.get(code);
          if (r === undefined) {
            r = withinCode(tree, regions, code, neg);
            if (memo.size < 10_000) memo.set(code, r);
          }
          return r;
        };
      }
      case 'known': {
        const v = this.value(e.value);
        const neg = !!e.negate;
        return (x) => ((v(x) !== undefined) !== neg ? T : F);
      }
      default: {
        const v = this.value(e);
        return (x) => {
          const a = v(x);
          return a === undefined ? U : a === true ? T : F;
        };
      }
    }
  }

  private cmp(e: Extract<Expr, { op: 'cmp' }>): BoolFn {
    const op = e.cmp;
    // The common shape: a field against a constant that fits a double.
    if (e.left.op === 'field' && e.right.op === 'lit' && typeof e.right.value === 'object') {
      const c = this.value(e.right)(undefined as unknown as Facts);
      if (typeof c === 'number') {
        const name = e.left.name;
        const type = this.ctx.dict.fields.get(name)?.type;
        if (type === 'int' || type === 'dec' || type === 'date') {
          switch (op) {
            case '=':
              return (x) => { const a = x[name] as number | undefined; return a === undefined ? U : a === c ? T : F; };
            case '!=':
              return (x) => { const a = x[name] as number | undefined; return a === undefined ? U : a !== c ? T : F; };
            case '<':
              return (x) => { const a = x[name] as number | undefined; return a === undefined ? U : a < c ? T : F; };
            case '<=':
              return (x) => { const a = x[name] as number | undefined; return a === undefined ? U : a <= c ? T : F; };
            case '>':
              return (x) => { const a = x[name] as number | undefined; return a === undefined ? U : a > c ? T : F; };
            case '>=':
              return (x) => { const a = x[name] as number | undefined; return a === undefined ? U : a >= c ? T : F; };
          }
        }
      }
    }
    const l = this.value(e.left);
    const r = this.value(e.right);
    return (x) => {
      const a = l(x);
      const b = r(x);
      if (a === undefined || b === undefined) return U;
      if (op === '=' || op === '!=') {
        const eq = typeof a === 'number' || isDec(a) ? numEq(a, b as Num) : a === b;
        return eq === (op === '=') ? T : F;
      }
      const c = numCmp(a as Num, b as Num);
      const res = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      return res ? T : F;
    };
  }

  value(e: Expr): ValFn {
    const ctx = this.ctx;
    switch (e.op) {
      case 'lit': {
        const v = e.value;
        let c: Val;
        if (typeof v === 'boolean' || typeof v === 'string') c = v;
        else if ('num' in v) c = fromDec(dec(v.num));
        else if ('date' in v) c = parseDate(v.date)!;
        else c = v.list.map((m) => (typeof m === 'string' ? m : typeof m === 'object' && 'num' in m ? fromDec(dec(m.num)) : typeof m === 'object' && 'date' in m ? parseDate(m.date)! : (m as never))) as unknown as Val;
        return () => c;
      }
      case 'field': {
        const name = e.name;
        return (x) => x[name] as Val;
      }
      case 'param':
      case 'today':
        throw new EngineError('PARAM_EXPR', '编译前须先绑定参数与日期', 'bind parameters and the date before compiling');
      case 'arith': {
        const a = this.value(e.left);
        const b = this.value(e.right);
        const op = e.arith;
        return (x) => {
          const p = a(x) as Num | undefined;
          const q = b(x) as Num | undefined;
          if (p === undefined || q === undefined) return undefined;
          const pd = toDec(p);
          const qd = toDec(q);
          return op === '+' ? pd.plus(qd) : op === '-' ? pd.minus(qd) : op === '*' ? pd.times(qd) : divide(pd, qd);
        };
      }
      case 'neg': {
        const a = this.value(e.arg);
        return (x) => {
          const p = a(x) as Num | undefined;
          return p === undefined ? undefined : typeof p === 'number' ? -p : p.neg();
        };
      }
      case 'if': {
        const c = this.bool(e.cond);
        const t = this.value(e.then);
        const f = this.value(e.else);
        return (x) => {
          const r = c(x);
          return r === U ? undefined : r === T ? t(x) : f(x);
        };
      }
      case 'tier': {
        const v = this.value(e.value);
        const p = ctx.params.get(e.table);
        if (!p || p.type !== 'tiers') throw new EngineError('PARAM_TYPE', `$${e.table} 不是分档表`, `$${e.table} is not a tiers table`);
        const rows = p.rows;
        return (x) => {
          const a = v(x) as Num | undefined;
          if (a === undefined) return undefined;
          const d = toDec(a);
          const row = rows.find((r) => (!r.min || d.gte(r.min)) && (!r.max || d.lt(r.max)));
          return row ? row.value : 0;
        };
      }
      case 'lookup': {
        const v = this.value(e.value);
        const p = ctx.params.get(e.table);
        if (!p || p.type !== 'map') throw new EngineError('PARAM_TYPE', `$${e.table} 不是对照表`, `$${e.table} is not a map`);
        const fallback: Num = p.default ?? 0;
        return (x) => {
          const a = v(x);
          return a === undefined ? undefined : (p.entries.get(String(a)) ?? fallback);
        };
      }
      case 'call':
        return this.call(e);
      default: {
        const b = this.bool(e);
        return (x) => {
          const r = b(x);
          return r === U ? undefined : r === T;
        };
      }
    }
  }

  private call(e: Extract<Expr, { op: 'call' }>): ValFn {
    const args = e.args.map((a) => this.value(a));
    const day = this.ctx.day;
    const a0 = args[0];
    const a1 = args[1];
    const unary = (fn: (v: Val) => Val): ValFn => (x) => {
      const v = a0(x);
      return v === undefined ? undefined : fn(v);
    };
    const binary = (fn: (p: Val, q: Val) => Val): ValFn => (x) => {
      const p = a0(x);
      const q = a1(x);
      return p === undefined || q === undefined ? undefined : fn(p, q);
    };
    switch (e.fn) {
      case 'min':
      case 'max': {
        const isMin = e.fn === 'min';
        return (x) => {
          let best: Num | undefined;
          for (const a of args) {
            const v = a(x) as Num | undefined;
            if (v === undefined) return undefined;
            if (best === undefined || (isMin ? numCmp(v, best) < 0 : numCmp(v, best) > 0)) best = v;
          }
          return best;
        };
      }
      case 'round':
        return binary((p, q) => roundHalfAway(toDec(p as Num), Number(q)));
      case 'floor':
        return unary((v) => toDec(v as Num).floor());
      case 'ceil':
        return unary((v) => toDec(v as Num).ceil());
      case 'abs':
        return unary((v) => (typeof v === 'number' ? Math.abs(v) : (v as Dec).abs()));
      case 'age':
      case 'years_since':
        return unary((v) => fullYears(v as number, day));
      case 'months_since':
        return unary((v) => fullMonths(v as number, day));
      case 'days_since':
        return unary((v) => day - (v as number));
      case 'add_days':
        return binary((p, q) => (p as number) + Number(q));
      case 'add_months':
        return binary((p, q) => addMonths(p as number, Number(q)));
      case 'add_years':
        return binary((p, q) => addYears(p as number, Number(q)));
      case 'count':
        return unary((v) => (v as string[]).length);
    }
  }
}

/** Compiles a rule for one date: parameters and `today` are bound first. */
export function compileBool(e: Expr, ctx: EvalContext): BoolFn {
  return new Compiler(ctx).bool(bindRule(e, ctx.params, ctx.day));
}

/** Compiles a numeric formula; the result is an exact decimal (or undefined = unknown). */
export function compileNumber(e: Expr, ctx: EvalContext): (f: Facts) => Dec | undefined {
  const fn = new Compiler(ctx).value(bindRule(e, ctx.params, ctx.day));
  return (f) => {
    const v = fn(f) as Num | undefined;
    return v === undefined ? undefined : toDec(v);
  };
}
