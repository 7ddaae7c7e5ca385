// Rule AST → JsonLogic, for query-builder UIs and other engines. The output is what
// the builders themselves write (`==`, `{"!": …}`, `{"<=": [a, x, b]}`), so that a
// rule exported and imported again comes back as the same tree. JsonLogic has no
// parameters, no clock and no date functions: bind a rule first (bindRule) and expect
// an UNSUPPORTED error for age(), tier() and the like. Dates become "YYYY-MM-DD"
// strings (ISO order is string order), percentages plain numbers.
//
// Evaluated by json-logic-js, an exported rule agrees with ours whenever every fact it
// reads is known; with unknown facts JavaScript answers where we say "unknown".
import type { Expr, LitValue } from '../ast/ast.ts';
import { regionPrefix } from '../dictionary/dictionary.ts';
import { dec } from '../values/decimal.ts';
import { JsonLogicError } from './errors.ts';

export interface JsonLogicExportOptions {
  /** The JsonLogic `var` for a field; default: the field name itself. */
  varName?: (field: string) => string;
}

type Json = unknown;

export function exportJsonLogic(e: Expr, opts: JsonLogicExportOptions = {}): Json {
  return new Exporter(opts).expr(e, 'rule');
}

const NO_FUNCTION: Record<string, [string, string]> = {
  param: ['JsonLogic 没有参数：请先用 bindRule 按评估日期代入', 'JsonLogic has no parameters: bind the rule to a date first (bindRule)'],
  today: ['JsonLogic 没有评估日期：请先用 bindRule 代入', 'JsonLogic has no evaluation date: bind the rule first (bindRule)'],
  tier: ['JsonLogic 没有分档表', 'JsonLogic has no tier tables'],
  lookup: ['JsonLogic 没有对照表', 'JsonLogic has no lookup tables'],
};

class Exporter {
  constructor(private readonly opts: JsonLogicExportOptions) {}

  private fail(construct: string, where: string, zh: string, en: string): JsonLogicError {
    return new JsonLogicError('UNSUPPORTED', construct, where, `无法导出为 JsonLogic：${zh}`, `cannot export to JsonLogic: ${en}`);
  }

  expr(e: Expr, where: string): Json {
    const sub = (x: Expr, i?: number) => this.expr(x, i === undefined ? `${where}.${e.op}` : `${where}.${e.op}[${i}]`);
    switch (e.op) {
      case 'lit':
        return this.lit(e.value, where);
      case 'field':
        return { var: (this.opts.varName ?? ((f: string) => f))(e.name) };
      case 'cmp':
        return { [e.cmp === '=' ? '==' : e.cmp]: [sub(e.left, 0), sub(e.right, 1)] };
      case 'between':
        return { '<=': [sub(e.low, 1), sub(e.value, 0), sub(e.high, 2)] };
      case 'in': {
        if (e.list.op !== 'lit') throw this.fail('in', where, '列表须为字面量（列表参数请先 bindRule）', 'the list must be a literal (bind list parameters first)');
        const m = { in: [sub(e.value, 0), sub(e.list, 1)] };
        return e.negate ? { '!': m } : m;
      }
      case 'contains':
        return this.contains(e, where);
      case 'within':
        return this.within(e, where);
      case 'known':
        return { [e.negate ? '==' : '!=']: [sub(e.value), null] };
      case 'and':
      case 'or':
        return { [e.op]: e.args.map((a, i) => sub(a, i)) };
      case 'not':
        return { '!': sub(e.arg) };
      case 'atleast':
        // Counting the true conditions; the importer reads this shape back as `at least`.
        return { '>=': [{ '+': e.args.map((a, i) => ({ if: [sub(a, i), 1, 0] })) }, e.n] };
      case 'arith':
        return this.arith(e, where);
      case 'neg':
        return { '-': [sub(e.arg)] };
      case 'call':
        if (e.fn === 'min' || e.fn === 'max') return { [e.fn]: e.args.map((a, i) => sub(a, i)) };
        throw this.fail(e.fn, where, `JsonLogic 没有函数 ${e.fn}()`, `JsonLogic has no function ${e.fn}()`);
      case 'if': {
        // else-if chains flatten into one `if`, as builders write them
        const out: Json[] = [];
        let x: Expr = e;
        for (let i = 0; x.op === 'if'; i++, x = x.else) out.push(this.expr(x.cond, `${where}.if[${2 * i}]`), this.expr(x.then, `${where}.if[${2 * i + 1}]`));
        out.push(this.expr(x, `${where}.if[${out.length}]`));
        return { if: out };
      }
      case 'param':
      case 'today':
      case 'tier':
      case 'lookup': {
        const [zh, en] = NO_FUNCTION[e.op];
        throw this.fail(e.op, where, zh, en);
      }
    }
  }

  private lit(v: LitValue, where: string): Json {
    if (typeof v === 'boolean' || typeof v === 'string') return v;
    if ('date' in v) return v.date;
    if ('list' in v) return v.list.map((m, i) => this.lit(m, `${where}[${i}]`));
    const n = Number(v.num);
    if (!Number.isFinite(n) || !dec(n).eq(dec(v.num)))
      throw this.fail('number', where, `${v.num} 无法精确表示为 JSON 数字`, `${v.num} cannot be a JSON number exactly`);
    return n;
  }

  private contains(e: Extract<Expr, { op: 'contains' }>, where: string): Json {
    if (e.list.op !== 'lit' || typeof e.list.value !== 'object' || !('list' in e.list.value))
      throw this.fail('contains', where, '代码列表须为字面量（列表参数请先 bindRule）', 'the code list must be a literal (bind list parameters first)');
    const set = this.expr(e.set, `${where}.contains`);
    const codes = this.lit(e.list.value, `${where}.contains[1]`) as Json[];
    if (e.mode !== 'all') return { [e.mode === 'any' ? 'some' : 'none']: [set, { in: [{ var: '' }, codes] }] };
    // JsonLogic cannot refer to the set from inside `all` over the list: one membership per code.
    if (codes.length === 0)
      throw this.fail('contains', where, 'contains all [] 恒为真（已知时），JsonLogic 无法写出其“未知”', 'contains all [] has no JsonLogic form that keeps its unknown case');
    return { and: codes.map((c) => ({ in: [c, set] })) };
  }

  /** GB/T 2260 containment is a code prefix: `{"==": [{"substr": [region, 0, n]}, prefix]}`. */
  private within(e: Extract<Expr, { op: 'within' }>, where: string): Json {
    const value = this.expr(e.value, `${where}.within`);
    const tests = e.regions.map((code) => {
      if (!/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(code))
        throw this.fail('within', where, `功能区 ${code} 由成员列表定义，JsonLogic 无法表示`, `zone ${code} is defined by its members; JsonLogic cannot express it`);
      const prefix = regionPrefix(code);
      return { '==': [{ substr: [value, 0, prefix.length] }, prefix] };
    });
    const any = tests.length === 1 ? tests[0] : { or: tests };
    return e.negate ? { '!': any } : any;
  }

  private arith(e: Extract<Expr, { op: 'arith' }>, where: string): Json {
    const op = e.arith;
    // + and * take many arguments in JsonLogic; a left-leaning chain flattens back to one node.
    if (op === '+' || op === '*') {
      const terms: Expr[] = [e.right];
      let x: Expr = e.left;
      for (; x.op === 'arith' && x.arith === op; x = x.left) terms.unshift(x.right);
      terms.unshift(x);
      return { [op]: terms.map((t, i) => this.expr(t, `${where}.${op}[${i}]`)) };
    }
    return { [op]: [this.expr(e.left, `${where}.${op}[0]`), this.expr(e.right, `${where}.${op}[1]`)] };
  }
}
