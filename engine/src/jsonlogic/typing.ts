// Types while importing JsonLogic. JSON has numbers, strings and booleans; the rule
// language has dates, enum codes, region codes and text, all written as strings. A
// string literal therefore stays undecided ('str') until it meets the other operand:
// beside a date field it becomes a date, beside an enum field it must be one of its
// codes. Where JavaScript would coerce ("1" == 1) we refuse, naming the category.
import type { Expr } from '../ast/ast.ts';
import type { Dictionary, FieldDef } from '../dictionary/types.ts';
import { parseDate } from '../values/dates.ts';
import { refused, type DifferenceCategory } from './errors.ts';

/** 'str': a string literal not yet placed; 'any': a field whose type nobody told us. */
export type Kind = 'num' | 'bool' | 'date' | 'text' | 'enum' | 'set' | 'region' | 'str' | 'list' | 'any';

export interface Typed {
  e: Expr;
  k: Kind;
  enumName?: string;
}

export interface Settled {
  l: Expr;
  r: Expr;
  k: Kind;
  enumName?: string;
}

export interface SettleContext {
  path: string;
  construct: string;
  /** < <= > >= and between: numbers and dates only. */
  ordered: boolean;
  /** The category of a refusal when the two types differ; 'coercion' unless said. */
  category?: DifferenceCategory;
}

const KIND_ZH: Record<Kind, string> = {
  num: '数值', bool: '布尔值', date: '日期', text: '文本', enum: '枚举代码', set: '集合',
  region: '区划代码', str: '字符串', list: '列表', any: '未知类型',
};

export const kindZh = (k: Kind): string => KIND_ZH[k];

export function kindOfField(def: FieldDef): Kind {
  return def.type === 'int' || def.type === 'dec' ? 'num' : def.type;
}

/**
 * Rewrites every string literal a string-typed expression can yield — itself, or the
 * branches of an `if` — with `f`; a field of unknown type passes through. Undefined
 * when `f` refuses one.
 */
function eachLiteral(e: Expr, f: (v: string) => Expr | undefined): Expr | undefined {
  if (e.op === 'if') {
    const then = eachLiteral(e.then, f);
    const other = eachLiteral(e.else, f);
    return then && other ? { ...e, then, else: other } : undefined;
  }
  return e.op === 'lit' && typeof e.value === 'string' ? f(e.value) : e;
}

export class Typing {
  constructor(private readonly dict?: Dictionary) {}

  /** Brings two operands to one type, placing string literals by the other side. */
  settle(a: Typed, b: Typed, ctx: SettleContext): Settled {
    if (a.k === 'any' && b.k === 'any') return { l: a.e, r: b.e, k: 'any' };
    if (a.k === 'any' || b.k === 'any') {
      const other = this.forOpenField(a.k === 'any' ? b : a, ctx);
      return a.k === 'any' ? { l: a.e, r: other.e, k: other.k, enumName: other.enumName } : { l: other.e, r: b.e, k: other.k, enumName: other.enumName };
    }
    if (a.k === 'str' && b.k !== 'str') return this.settle(this.place(a, b, ctx), b, ctx);
    if (b.k === 'str' && a.k !== 'str') return this.settle(a, this.place(b, a, ctx), ctx);
    if (a.k === 'str' && b.k === 'str') {
      if (!ctx.ordered) return { l: a.e, r: b.e, k: 'str' };
      const da = this.asDate(a);
      const db = this.asDate(b);
      if (da && db) return { l: da.e, r: db.e, k: 'date' };
      throw this.textOrdering(ctx);
    }
    if (a.k === 'num' && b.k === 'region') return this.settle(this.regionFromNumber(a, ctx), b, ctx);
    if (b.k === 'num' && a.k === 'region') return this.settle(a, this.regionFromNumber(b, ctx), ctx);
    if (a.k === b.k && (a.k !== 'enum' || a.enumName === b.enumName)) {
      if (a.k === 'set' || a.k === 'list')
        throw refused(ctx.category ?? 'coercion', ctx.construct, ctx.path, `${kindZh(a.k)}之间不能用 ${ctx.construct} 比较；集合请用 in / some`, `${a.k} values cannot be compared with ${ctx.construct}; use in / some for sets`);
      if (ctx.ordered && a.k !== 'num' && a.k !== 'date')
        throw a.k === 'text' || a.k === 'enum' || a.k === 'region' ? this.textOrdering(ctx) : this.mismatch(a, b, ctx);
      return { l: a.e, r: b.e, k: a.k, enumName: a.enumName };
    }
    throw this.mismatch(a, b, ctx);
  }

  /** A field of unknown type takes the other operand's type; ordering still needs numbers or dates. */
  private forOpenField(t: Typed, ctx: SettleContext): Typed {
    if (t.k === 'list' || t.k === 'set')
      throw refused(ctx.category ?? 'coercion', ctx.construct, ctx.path, `${kindZh(t.k)}不能用 ${ctx.construct} 比较`, `a ${t.k} cannot be compared with ${ctx.construct}`);
    if (!ctx.ordered) return t;
    const placed = t.k === 'str' ? this.asDate(t) : t;
    if (!placed) throw this.textOrdering(ctx);
    if (placed.k !== 'num' && placed.k !== 'date') throw this.mismatch(placed, { e: t.e, k: 'num' }, ctx);
    return placed;
  }

  /**
   * A string-typed operand beside a value of type `by`. The operand is a string literal,
   * or an `if` (or `var` default) whose branches are: each literal is placed.
   */
  place(s: Typed, by: Typed, ctx: SettleContext): Typed {
    let bad: string | undefined;
    const each = (f: (v: string) => Expr | undefined) =>
      eachLiteral(s.e, (v) => {
        const r = f(v);
        if (!r) bad ??= v;
        return r;
      });
    switch (by.k) {
      case 'date': {
        const e = each((v) => (parseDate(v) !== undefined ? { op: 'lit', value: { date: v } } : undefined));
        if (!e) throw refused('coercion', ctx.construct, ctx.path, `"${bad}" 不是日期（YYYY-MM-DD，1800 至 2200 年）`, `"${bad}" is not a date (YYYY-MM-DD, 1800 to 2200)`);
        return { e, k: 'date' };
      }
      case 'enum': {
        const codes = by.enumName ? this.dict?.enums.get(by.enumName)?.values : undefined;
        const e = each((v) => (!codes || codes.some((c) => c.code === v) ? { op: 'lit', value: v } : undefined));
        if (!e) throw refused('coercion', ctx.construct, ctx.path, `"${bad}" 不是代码表 ${by.enumName} 的代码`, `"${bad}" is not a code of ${by.enumName}`);
        return { e, k: 'enum', enumName: by.enumName };
      }
      case 'region': {
        const e = each((v) => (!this.dict || this.dict.regions.isValid(v) ? { op: 'lit', value: v } : undefined));
        if (!e) throw refused('coercion', ctx.construct, ctx.path, `"${bad}" 不是有效的行政区划代码`, `"${bad}" is not a valid region code`);
        return { e, k: 'region' };
      }
      case 'text':
        return { e: s.e, k: 'text' };
      default:
        if (ctx.ordered && by.k !== 'num') throw this.textOrdering(ctx);
        throw this.mismatch(s, by, ctx);
    }
  }

  asDate(s: Typed): Typed | undefined {
    const e = eachLiteral(s.e, (v) => (parseDate(v) !== undefined ? { op: 'lit', value: { date: v } } : undefined));
    return e && { e, k: 'date' };
  }

  private regionFromNumber(n: Typed, ctx: SettleContext): Typed {
    const v = n.e.op === 'lit' && typeof n.e.value === 'object' && 'num' in n.e.value ? n.e.value.num : undefined;
    if (v === undefined || !/^\d+$/.test(v)) throw this.mismatch(n, { e: n.e, k: 'region' }, ctx);
    return this.place({ e: { op: 'lit', value: v }, k: 'str' }, { e: n.e, k: 'region' }, ctx);
  }

  private mismatch(a: Typed, b: Typed, ctx: SettleContext) {
    const cat = ctx.category ?? 'coercion';
    const why = cat === 'coercion' ? '：JavaScript 会隐式转换类型，本平台的规则是强类型的' : '';
    const whyEn = cat === 'coercion' ? ': JavaScript would convert one to the other; our rules are typed' : '';
    return refused(cat, ctx.construct, ctx.path, `${ctx.construct} 的两边类型不同：${kindZh(a.k)} 与 ${kindZh(b.k)}${why}`, `${ctx.construct} mixes ${a.k} and ${b.k}${whyEn}`);
  }

  private textOrdering(ctx: SettleContext) {
    return refused('text_ordering', ctx.construct, ctx.path, `${ctx.construct} 只能比较数值或日期，不能比较文本`, `${ctx.construct} orders numbers and dates, not text`);
  }
}
