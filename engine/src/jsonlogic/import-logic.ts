// The JsonLogic operations the importer maps, one method per family. Shapes that
// query builders produce come back as the node our parser would build for the same
// rule (`{"<=": [a, x, b]}` → between, `{"!": {"in": …}}` → `not in`), so that a rule
// survives import → export → import unchanged.
import type { CmpOp, Expr, LitValue } from '../ast/ast.ts';
import { refused, unsupported } from './errors.ts';
import type { Importer } from './import.ts';
import type { Typed } from './typing.ts';

/** JsonLogic's operators accept a bare argument: `{"!": x}` means `{"!": [x]}`. */
export function argList(raw: unknown): unknown[] {
  return Array.isArray(raw) ? raw : [raw];
}

export const argPath = (raw: unknown, opPath: string, i: number): string => (Array.isArray(raw) ? `${opPath}[${i}]` : opPath);

const bool = (e: Expr): Typed => ({ e, k: 'bool' });

function opArgs(x: unknown, op: string): unknown {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return undefined;
  const keys = Object.keys(x);
  return keys.length === 1 && keys[0] === op ? (x as Record<string, unknown>)[op] : undefined;
}

const isVarName = (x: unknown): x is { var: string } => typeof opArgs(x, 'var') === 'string';

/** The same condition negated, using the negated forms the parser builds (`not in`, `not within`, `is missing`). */
export function negate(c: Expr): Expr {
  if (c.op === 'not') return c.arg;
  if (c.op === 'in' || c.op === 'within' || c.op === 'known') {
    const { negate: was, ...rest } = c;
    return (was ? rest : { ...rest, negate: true }) as Expr;
  }
  return { op: 'not', arg: c };
}

export class LogicOps {
  constructor(private readonly imp: Importer) {}

  operation(op: string, raw: unknown, opPath: string, asCond: boolean): Typed | undefined {
    switch (op) {
      case '==':
      case '===':
      case '!=':
      case '!==':
        return bool(this.equality(op, raw, opPath));
      case '<':
      case '<=':
      case '>':
      case '>=':
        return bool(this.ordering(op, raw, opPath));
      case 'and':
      case 'or':
        return bool(this.connective(op, raw, opPath));
      case '!':
        return bool(negate(this.imp.cond(this.args(raw, opPath, op, 1, 1)[0], argPath(raw, opPath, 0))));
      case '!!':
        return bool(this.truthy(raw, opPath));
      case 'in':
        return bool(this.membership(raw, opPath));
      case 'some':
      case 'none':
      case 'all':
        return bool(this.quantifier(op, raw, opPath));
      case 'if':
      case '?:':
        return this.conditional(op, raw, opPath, asCond);
      case '+':
      case '-':
      case '*':
      case '/':
        return this.arithmetic(op, raw, opPath);
      case 'min':
      case 'max': {
        const args = this.args(raw, opPath, op, 1, Infinity);
        return { e: { op: 'call', fn: op, args: args.map((a, i) => this.number(a, argPath(raw, opPath, i), op)) }, k: 'num' };
      }
      case 'missing':
      case 'missing_some':
        if (!asCond)
          throw unsupported(op, opPath, `${op} 返回缺失字段名的列表；只支持把它用作条件（在 if / ! / and / or 中）`, `${op} returns a list of missing names; only its use as a condition (in if / ! / and / or) is supported`);
        return bool(op === 'missing' ? this.missing(raw, opPath) : this.missingSome(raw, opPath));
      default:
        return undefined;
    }
  }

  private args(raw: unknown, opPath: string, op: string, min: number, max: number): unknown[] {
    const a = argList(raw);
    if (a.length < min || a.length > max) {
      const range = min === max ? `${min}` : max === Infinity ? `至少 ${min}` : `${min}–${max}`;
      const rangeEn = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min}–${max}`;
      throw unsupported(op, opPath, `${op} 需要 ${range} 个参数，实际 ${a.length} 个`, `${op} takes ${rangeEn} arguments, got ${a.length}`);
    }
    return a;
  }

  private equality(op: string, raw: unknown, opPath: string): Expr {
    const [a, b] = this.args(raw, opPath, op, 2, 2);
    const neg = op === '!=' || op === '!==';
    if (a === null || b === null) {
      // {"==": [x, null]} is how query builders say "x is empty": our "x is missing".
      if (a === null && b === null) throw unsupported('null', opPath, 'null 与 null 比较没有意义', 'comparing null with null means nothing');
      const i = a === null ? 1 : 0;
      const t = this.imp.value(i === 0 ? a : b, `${opPath}[${i}]`);
      return neg ? { op: 'known', value: t.e } : { op: 'known', value: t.e, negate: true };
    }
    const region = this.regionPrefix(a, b, opPath);
    if (region) return neg ? negate(region) : region;
    const s = this.imp.typing.settle(this.imp.value(a, `${opPath}[0]`), this.imp.value(b, `${opPath}[1]`), { path: opPath, construct: op, ordered: false });
    return { op: 'cmp', cmp: neg ? '!=' : '=', left: s.l, right: s.r };
  }

  /** `{"==": [{"substr": [{"var": region}, 0, n]}, "3715"]}`: the one prefix test JsonLogic can write; it is our `within`. */
  private regionPrefix(a: unknown, b: unknown, opPath: string): Expr | undefined {
    const i = opArgs(a, 'substr') !== undefined ? 0 : opArgs(b, 'substr') !== undefined ? 1 : -1;
    if (i < 0) return undefined;
    const sub = opArgs(i === 0 ? a : b, 'substr');
    const code = i === 0 ? b : a;
    if (typeof code !== 'string' || !/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(code)) return undefined;
    if (!Array.isArray(sub) || sub.length !== 3 || sub[1] !== 0 || sub[2] !== code.length || !isVarName(sub[0])) return undefined;
    const f = this.imp.field(sub[0].var, `${opPath}[${i}].substr[0].var`);
    if (f.k !== 'region' && f.k !== 'any') return undefined;
    const full = code.length === 2 ? `${code}0000` : code.length === 4 ? `${code}00` : code;
    return { op: 'within', value: f.e, regions: [full] };
  }

  private ordering(op: CmpOp, raw: unknown, opPath: string): Expr {
    const args = this.args(raw, opPath, op, 2, op === '<' || op === '<=' ? 3 : 2);
    if (op === '>=') {
      const atLeast = this.atLeast(args[0], args[1], opPath);
      if (atLeast) return atLeast;
    }
    const ts = args.map((a, i) => this.imp.value(a, `${opPath}[${i}]`));
    const ctx = { path: opPath, construct: op, ordered: true };
    const s1 = this.imp.typing.settle(ts[0], ts[1], ctx);
    if (args.length === 2) return { op: 'cmp', cmp: op, left: s1.l, right: s1.r };
    // {"<": [a, x, b]}: x strictly between; {"<=": [a, x, b]}: our inclusive `between`.
    const s2 = this.imp.typing.settle({ e: s1.r, k: s1.k, enumName: s1.enumName }, ts[2], ctx);
    if (op === '<=') return { op: 'between', value: s2.l, low: s1.l, high: s2.r };
    return { op: 'and', args: [{ op: 'cmp', cmp: '<', left: s1.l, right: s2.l }, { op: 'cmp', cmp: '<', left: s2.l, right: s2.r }] };
  }

  /** `{">=": [{"+": [{"if": [c1, 1, 0]}, …]}, n]}`: how exportJsonLogic writes `at least n of (…)`. */
  private atLeast(left: unknown, right: unknown, opPath: string): Expr | undefined {
    const sum = opArgs(left, '+');
    if (sum === undefined || typeof right !== 'number' || !Number.isInteger(right) || right < 0) return undefined;
    const terms = argList(sum).map((t) => opArgs(t, 'if'));
    const isCount = (t: unknown): t is unknown[] => Array.isArray(t) && t.length === 3 && t[1] === 1 && t[2] === 0;
    if (terms.length === 0 || right > terms.length || !terms.every(isCount)) return undefined;
    const args = (terms as unknown[][]).map((t, i) => this.imp.cond(t[0], `${argPath(sum, `${opPath}[0].+`, i)}.if[0]`));
    return { op: 'atleast', n: right, args };
  }

  private connective(op: 'and' | 'or', raw: unknown, opPath: string): Expr {
    const conds = this.args(raw, opPath, op, 1, Infinity).map((a, i) => this.imp.cond(a, argPath(raw, opPath, i)));
    const first = conds[0];
    // Exported `contains all` is an `and` of single memberships; `within` of several regions an `or` of prefixes.
    if (op === 'and' && first.op === 'contains' && first.set.op === 'field') {
      const set = first.set.name;
      const singles = conds.every((c) => c.op === 'contains' && c.mode === 'any' && c.set.op === 'field' && c.set.name === set && litList(c.list)?.length === 1);
      if (singles) return { op: 'contains', mode: 'all', set: first.set, list: { op: 'lit', value: { list: conds.flatMap((c) => litList((c as { list: Expr }).list)!) } } };
    }
    if (op === 'or' && first.op === 'within' && !first.negate && first.value.op === 'field') {
      const name = first.value.name;
      if (conds.every((c) => c.op === 'within' && !c.negate && c.value.op === 'field' && c.value.name === name))
        return { op: 'within', value: first.value, regions: conds.flatMap((c) => (c as { regions: string[] }).regions) };
    }
    return { op, args: conds };
  }

  private truthy(raw: unknown, opPath: string): Expr {
    const p = argPath(raw, opPath, 0);
    const t = this.imp.value(this.args(raw, opPath, '!!', 1, 1)[0], p, true);
    // `!!x` is how builders say "x is not empty"; for an untyped field that is "x is known".
    if (t.k === 'any' && t.e.op === 'field') {
      this.imp.approximations.add('truthiness');
      return { op: 'known', value: t.e };
    }
    return this.imp.asCondition(t, p);
  }

  private membership(raw: unknown, opPath: string): Expr {
    const [a, b] = this.args(raw, opPath, 'in', 2, 2);
    if (Array.isArray(b)) {
      const v = this.imp.value(a, `${opPath}[0]`);
      if (v.k === 'set' || v.k === 'list' || v.k === 'bool')
        throw unsupported('in', opPath, `${v.k === 'set' ? '集合请用 some / none' : '布尔值与列表请用 =='}，不能用 in`, `${v.k} values cannot use in${v.k === 'set' ? '; use some / none' : '; use =='}`);
      this.imp.value(b, `${opPath}[1]`); // members must be literals
      let value = v.e;
      const list = b.map((m, i): LitValue => {
        const s = this.imp.typing.settle(v, this.imp.value(m, `${opPath}[1][${i}]`), { path: `${opPath}[1][${i}]`, construct: 'in', ordered: false });
        value = s.l;
        return (s.r as Extract<Expr, { op: 'lit' }>).value;
      });
      return { op: 'in', value, list: { op: 'lit', value: { list } } };
    }
    if (typeof b === 'string')
      throw unsupported('in', opPath, '子串判断（{"in": ["ab", "abc"]}）不受支持：规则语言没有子串运算', 'substring tests ({"in": ["ab", "abc"]}) are not supported: the rule language has no substrings');
    if (isVarName(b)) {
      const s = this.imp.value(b, `${opPath}[1]`);
      if (s.k === 'set') return { op: 'contains', mode: 'any', set: s.e, list: this.codes([a], s, () => `${opPath}[0]`, 'in') };
      throw unsupported('in', opPath,
        s.k === 'any' ? '{"in": [值, {"var": 字段}]} 可能是子串也可能是集合成员：请提供字段字典（集合字段读作 contains any）' : `${s.k === 'text' ? '文本的子串判断' : `在${s.k}中查找`}不受支持`,
        s.k === 'any' ? '{"in": [value, {"var": field}]} may be a substring or a set membership: give a dictionary (set fields read as contains any)' : `in on a ${s.k} field is not supported`);
    }
    throw unsupported('in', opPath, 'in 的第二个参数应为列表 [..] 或集合字段', 'the second argument of in must be a list [..] or a set field');
  }

  /** Code literals for a set: each must be a string (and a code of the set's table when known). */
  private codes(raw: unknown[], set: Typed, pathOf: (i: number) => string, construct: string): Expr {
    const list = raw.map((c, i) => {
      const p = pathOf(i);
      if (typeof c !== 'string') throw refused('coercion', construct, p, '集合成员应为代码字符串', 'set members are code strings');
      if (set.k === 'set') this.imp.typing.place({ e: { op: 'lit', value: c }, k: 'str' }, { e: set.e, k: 'enum', enumName: set.enumName }, { path: p, construct, ordered: false });
      return c;
    });
    return { op: 'lit', value: { list } };
  }

  private quantifier(op: 'some' | 'none' | 'all', raw: unknown, opPath: string): Expr {
    if (op !== 'all') {
      const [coll, body] = this.args(raw, opPath, op, 2, 2);
      const inArgs = opArgs(body, 'in');
      if (isVarName(coll) && Array.isArray(inArgs) && inArgs.length === 2 && opArgs(inArgs[0], 'var') === '' && Array.isArray(inArgs[1])) {
        const s = this.imp.value(coll, `${opPath}[0]`);
        if (s.k === 'set' || s.k === 'any')
          return { op: 'contains', mode: op === 'some' ? 'any' : 'none', set: s.e, list: this.codes(inArgs[1], s, (i) => `${opPath}[1].in[1][${i}]`, op) };
      }
    }
    const form = '{"some"|"none": [{"var": set_field}, {"in": [{"var": ""}, [codes…]]}]}';
    throw unsupported(op, opPath,
      `${op === 'all' ? '“集合的每个成员都在列表中”没有对应的规则；' : ''}some / none 只支持 ${form} 的写法（读作 contains any / none）`,
      `${op === 'all' ? '"every member is in the list" has no counterpart; ' : ''}some / none are read only in the form ${form} (as contains any / none)`);
  }

  private conditional(op: string, raw: unknown, opPath: string, asCond: boolean): Typed {
    const args = argList(raw);
    if (op === '?:' && args.length !== 3) this.args(raw, opPath, op, 3, 3);
    if (args.length === 0) throw unsupported(op, opPath, 'if 没有参数（JsonLogic 结果为 null）', 'if without arguments (null in JsonLogic)');
    if (args.length % 2 === 0)
      throw unsupported(op, opPath, 'if 缺少最后的 else 分支：JsonLogic 此时给出 null，规则语言没有 null', 'if without a final else: JsonLogic gives null, which the rule language does not have');
    const at = (i: number) => argPath(raw, opPath, i);
    const branch = (i: number): Typed => (asCond ? bool(this.imp.cond(args[i], at(i))) : this.imp.value(args[i], at(i)));
    let acc = branch(args.length - 1);
    for (let i = args.length - 3; i >= 0; i -= 2) {
      const cond = this.imp.cond(args[i], at(i));
      const s = this.imp.typing.settle(branch(i + 1), acc, { path: opPath, construct: op, ordered: false, category: 'mixed_types' });
      acc = { e: { op: 'if', cond, then: s.l, else: s.r }, k: s.k, enumName: s.enumName };
    }
    return acc;
  }

  private arithmetic(op: '+' | '-' | '*' | '/', raw: unknown, opPath: string): Typed {
    const args = this.args(raw, opPath, op, op === '/' ? 2 : 1, op === '-' || op === '/' ? 2 : Infinity);
    const nums = args.map((a, i) => this.number(a, argPath(raw, opPath, i), op));
    if (nums.length === 1) return { e: op === '-' ? { op: 'neg', arg: nums[0] } : nums[0], k: 'num' };
    return { e: nums.reduce((left, right) => ({ op: 'arith', arith: op, left, right })), k: 'num' };
  }

  private number(node: unknown, path: string, op: string): Expr {
    const t = this.imp.value(node, path);
    if (t.k === 'num' || t.k === 'any') return t.e;
    const shown = t.e.op === 'lit' && typeof t.e.value === 'string' ? `字符串 ${JSON.stringify(t.e.value)}` : t.k;
    throw refused('coercion', op, path, `${op} 需要数值，实际为${shown}：JavaScript 会隐式转换，规则是强类型的`, `${op} needs a number, found ${t.k}: JavaScript would convert it; our rules are typed`);
  }

  private missing(raw: unknown, opPath: string): Expr {
    const names = this.names(argList(raw), raw, opPath, 'missing');
    const gone = names.map((f): Expr => ({ op: 'known', value: f, negate: true }));
    return gone.length === 0 ? { op: 'lit', value: false } : gone.length === 1 ? gone[0] : { op: 'or', args: gone };
  }

  /** `missing_some [n, names]` is truthy when fewer than n are present (and some are absent). */
  private missingSome(raw: unknown, opPath: string): Expr {
    const need = Array.isArray(raw) ? raw[0] : undefined;
    const list = Array.isArray(raw) ? raw[1] : undefined;
    if (!Array.isArray(raw) || raw.length !== 2 || typeof need !== 'number' || !Number.isInteger(need) || !Array.isArray(list))
      throw unsupported('missing_some', opPath, 'missing_some 应为 [整数, [字段名…]]', 'missing_some takes [integer, [names…]]');
    const fields = this.names(list, list, `${opPath}[1]`, 'missing_some');
    if (need <= 0) return { op: 'lit', value: false };
    if (need > fields.length) return this.missing(list, `${opPath}[1]`);
    return negate({ op: 'atleast', n: need, args: fields.map((f): Expr => ({ op: 'known', value: f })) });
  }

  private names(names: unknown[], raw: unknown, path: string, op: string): Expr[] {
    return names.map((n, i) => {
      if (typeof n !== 'string') {
        const inner = n !== null && typeof n === 'object' && !Array.isArray(n) ? Object.keys(n)[0] : undefined;
        throw unsupported(inner ?? op, `${argPath(raw, path, i)}${inner ? `.${inner}` : ''}`, `${op} 的字段名须为字符串常量${inner ? `，不能由 ${inner} 计算` : ''}`, `${op} needs constant field names${inner ? `, not computed by ${inner}` : ''}`);
      }
      return this.imp.field(n, argPath(raw, path, i)).e;
    });
  }
}

function litList(e: Expr): LitValue[] | undefined {
  return e.op === 'lit' && typeof e.value === 'object' && 'list' in e.value ? e.value.list : undefined;
}
