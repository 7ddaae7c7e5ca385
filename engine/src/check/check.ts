// The type checker: every rule is checked against the field dictionary and the item's
// parameters before it can be saved or published. It collects every error (with line
// and column when the rule came from text) instead of stopping at the first.
import { depthOf, sizeOf, type Expr, type Loc } from '../ast/ast.ts';
import { RULE_LIMITS } from '../syntax/limits.ts';
import type { Dictionary, FieldDef } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import type { ParamDef } from '../policy/types.ts';
import { parseDate } from '../values/dates.ts';

export type Ty =
  | { k: 'num'; int: boolean }
  | { k: 'bool' }
  | { k: 'date' }
  | { k: 'enum'; enum: string }
  | { k: 'set'; enum: string }
  | { k: 'region' }
  | { k: 'text' }
  | { k: 'str' } // a string literal: an enum code, a region code or text, decided by context
  | { k: 'list'; of: Ty }
  | { k: 'table'; kind: 'tiers' | 'map' };

const NUM: Ty = { k: 'num', int: false };
const INT: Ty = { k: 'num', int: true };
const BOOL: Ty = { k: 'bool' };
const DATE: Ty = { k: 'date' };

export function tyName(t: Ty): string {
  switch (t.k) {
    case 'num':
      return t.int ? '整数 int' : '数值 dec';
    case 'bool':
      return '布尔 bool';
    case 'date':
      return '日期 date';
    case 'enum':
      return `枚举 enum(${t.enum})`;
    case 'set':
      return `集合 set(${t.enum})`;
    case 'region':
      return '区划 region';
    case 'text':
      return '文本 text';
    case 'str':
      return '字符串 string';
    case 'list':
      return `列表 list(${tyName(t.of)})`;
    case 'table':
      return `表 ${t.kind}`;
  }
}

export function fieldTy(f: FieldDef): Ty {
  switch (f.type) {
    case 'int':
      return INT;
    case 'dec':
      return NUM;
    case 'bool':
      return BOOL;
    case 'date':
      return DATE;
    case 'enum':
      return { k: 'enum', enum: f.enum! };
    case 'set':
      return { k: 'set', enum: f.enum! };
    case 'region':
      return { k: 'region' };
    case 'text':
      return { k: 'text' };
  }
}

export function paramTy(p: ParamDef): Ty {
  switch (p.type) {
    case 'int':
      return INT;
    case 'dec':
      return NUM;
    case 'bool':
      return BOOL;
    case 'date':
      return DATE;
    case 'text':
      return { k: 'str' };
    case 'list':
      return { k: 'list', of: { k: 'str' } };
    case 'tiers':
    case 'map':
      return { k: 'table', kind: p.type };
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

export function suggest(name: string, candidates: Iterable<string>): string[] {
  return [...candidates]
    .map((c) => [c, distance(name, c)] as const)
    .filter(([c, dist]) => dist <= Math.max(2, Math.floor(name.length / 3)) || c.includes(name))
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3)
    .map(([c]) => c);
}

export interface CheckOptions {
  dict: Dictionary;
  params?: ParamDef[];
  file?: string;
}

export class Checker {
  readonly errors: EngineError[] = [];
  private readonly params: Map<string, ParamDef>;

  constructor(private readonly opts: CheckOptions) {
    this.params = new Map((opts.params ?? []).map((p) => [p.name, p]));
  }

  private err(loc: Loc | undefined, zh: string, en: string, code: 'TYPE' | 'UNKNOWN_FIELD' | 'UNKNOWN_PARAM' = 'TYPE'): undefined {
    this.errors.push(new EngineError(code, zh, en, loc, this.opts.file));
    return undefined;
  }

  private expect(e: Expr, want: 'bool' | 'num' | 'date', what: string): Ty | undefined {
    const t = this.infer(e);
    if (!t) return undefined;
    if (t.k !== want)
      return this.err(e.loc, `${what}应为${tyName(want === 'num' ? NUM : want === 'bool' ? BOOL : DATE)}，实际为${tyName(t)}`, `${what} must be ${want}, found ${t.k}`);
    return t;
  }

  /** Is a string literal acceptable where a value of type `t` is expected? */
  private checkCode(t: Ty, code: string, loc: Loc | undefined): boolean {
    const { dict } = this.opts;
    if (t.k === 'enum' || t.k === 'set') {
      const def = dict.enums.get(t.enum)!;
      if (!def.values.some((v) => v.code === code)) {
        const codes = def.values.slice(0, 12).map((v) => `"${v.code}"(${v.zh})`).join('、');
        this.err(loc, `"${code}" 不是代码表 ${t.enum} 的代码；可选：${codes}${def.values.length > 12 ? '…' : ''}`, `"${code}" is not a code of ${t.enum}`);
        return false;
      }
    } else if (t.k === 'region') {
      if (!dict.regions.isValid(code)) {
        this.err(loc, `"${code}" 不是有效的行政区划代码`, `"${code}" is not a valid region code`);
        return false;
      }
    } else if (t.k === 'num' || t.k === 'date' || t.k === 'bool') {
      this.err(loc, `期望${tyName(t)}，实际为字符串 "${code}"`, `expected ${t.k}, found the string "${code}"`);
      return false;
    }
    return true;
  }

  /** Do two types compare (=, !=)? Checks literal codes against code tables. */
  private comparable(a: Ty, b: Ty, left: Expr, right: Expr, loc: Loc | undefined): boolean {
    const strLit = (e: Expr) => (e.op === 'lit' && typeof e.value === 'string' ? e.value : undefined);
    if (a.k === 'str' && b.k === 'str') return true;
    if (b.k === 'str' && strLit(right) !== undefined) return this.checkCode(a, strLit(right)!, right.loc);
    if (a.k === 'str' && strLit(left) !== undefined) return this.checkCode(b, strLit(left)!, left.loc);
    if (a.k === 'str' || b.k === 'str') {
      const other = a.k === 'str' ? b : a;
      return other.k === 'enum' || other.k === 'region' || other.k === 'text' || this.mismatch(a, b, loc);
    }
    if (a.k !== b.k) return this.mismatch(a, b, loc);
    if (a.k === 'enum' && b.k === 'enum' && a.enum !== b.enum) return this.mismatch(a, b, loc);
    if (a.k === 'set' || a.k === 'list' || a.k === 'table')
      return !this.err(loc, `${tyName(a)} 不能用 = 比较；请用 contains`, `${a.k} values cannot be compared with =; use contains`);
    return true;
  }

  private mismatch(a: Ty, b: Ty, loc: Loc | undefined): false {
    this.err(loc, `类型不匹配：${tyName(a)} 与 ${tyName(b)} 不能比较`, `type mismatch: cannot compare ${a.k} with ${b.k}`);
    return false;
  }

  infer(e: Expr): Ty | undefined {
    const { dict } = this.opts;
    switch (e.op) {
      case 'lit':
        return this.litTy(e);
      case 'field': {
        const f = dict.fields.get(e.name);
        if (!f) {
          const s = suggest(e.name, dict.fields.keys());
          return this.err(e.loc, `未知字段 "${e.name}"${s.length ? `，是否指 ${s.map((x) => `"${x}"`).join(' / ')}？` : '；请查阅字段字典'}`, `unknown field "${e.name}"${s.length ? `; did you mean ${s.join(' / ')}?` : ''}`, 'UNKNOWN_FIELD');
        }
        return fieldTy(f);
      }
      case 'param': {
        const p = this.params.get(e.name);
        if (!p) {
          const s = suggest(e.name, this.params.keys());
          return this.err(e.loc, `未定义的参数 $${e.name}${s.length ? `，是否指 $${s[0]}？` : '；请在 params 中定义'}`, `undefined parameter $${e.name}`, 'UNKNOWN_PARAM');
        }
        const t = paramTy(p);
        if (t.k === 'table') return this.err(e.loc, `参数 $${e.name} 是表格，只能用于 tier()/lookup()`, `parameter $${e.name} is a table; use it with tier()/lookup()`);
        return t;
      }
      case 'today':
        return DATE;
      case 'cmp': {
        const a = this.infer(e.left);
        const b = this.infer(e.right);
        if (!a || !b) return BOOL;
        if (e.cmp === '=' || e.cmp === '!=') {
          this.comparable(a, b, e.left, e.right, e.loc);
        } else {
          const ok = (a.k === 'num' && b.k === 'num') || (a.k === 'date' && b.k === 'date');
          if (!ok) this.err(e.loc, `"${e.cmp}" 只能比较数值或日期，实际为 ${tyName(a)} 与 ${tyName(b)}`, `"${e.cmp}" compares numbers or dates only, found ${a.k} and ${b.k}`);
        }
        return BOOL;
      }
      case 'between': {
        const t = this.infer(e.value);
        const lo = this.infer(e.low);
        const hi = this.infer(e.high);
        if (t && lo && hi) {
          const fam = t.k;
          if ((fam !== 'num' && fam !== 'date') || lo.k !== fam || hi.k !== fam)
            this.err(e.loc, `between 需要同为数值或同为日期，实际为 ${tyName(t)}、${tyName(lo)}、${tyName(hi)}`, `between needs three numbers or three dates`);
        }
        return BOOL;
      }
      case 'in': {
        const t = this.infer(e.value);
        const l = this.infer(e.list);
        if (t && l) {
          if (l.k !== 'list') this.err(e.list.loc ?? e.loc, `in 之后应为列表 [..]，实际为 ${tyName(l)}`, `"in" needs a list [..], found ${l.k}`);
          else if (t.k === 'set' || t.k === 'bool' || t.k === 'list' || t.k === 'table')
            this.err(e.loc, `${tyName(t)} 不能用 in；集合请用 contains`, `${t.k} values cannot use "in"`);
          else this.checkListAgainst(t, e.list);
        }
        return BOOL;
      }
      case 'contains': {
        const t = this.infer(e.set);
        const l = this.infer(e.list);
        if (t && l) {
          if (t.k !== 'set') this.err(e.set.loc ?? e.loc, `contains 需要集合字段，实际为 ${tyName(t)}`, `contains needs a set field, found ${t.k}`);
          else if (l.k !== 'list') this.err(e.list.loc ?? e.loc, `contains 之后应为列表 [..]`, `contains needs a list [..]`);
          else this.checkListAgainst(t, e.list);
        }
        return BOOL;
      }
      case 'within': {
        const t = this.infer(e.value);
        if (t && t.k !== 'region') this.err(e.loc, `within 需要区划字段，实际为 ${tyName(t)}`, `within needs a region value, found ${t.k}`);
        if (e.regions.length === 0) this.err(e.loc, 'within 的区划列表不能为空', 'within needs at least one region');
        for (const r of e.regions) this.checkCode({ k: 'region' }, r, e.loc);
        return BOOL;
      }
      case 'known':
        this.infer(e.value);
        return BOOL;
      case 'and':
      case 'or':
        if (e.args.length === 0) this.err(e.loc, `${e.op} 至少需要一个条件`, `${e.op} needs at least one condition`);
        for (const a of e.args) this.expect(a, 'bool', '条件');
        return BOOL;
      case 'not':
        this.expect(e.arg, 'bool', 'not 的操作数');
        return BOOL;
      case 'atleast':
        if (!Number.isInteger(e.n) || e.n < 0 || e.n > e.args.length)
          this.err(e.loc, `at least ${e.n} of：N 应为 0 到 ${e.args.length} 之间的整数`, `at least N of: N must be an integer from 0 to ${e.args.length}`);
        for (const a of e.args) this.expect(a, 'bool', '条件');
        return BOOL;
      case 'arith': {
        const a = this.expect(e.left, 'num', `"${e.arith}" 的左操作数`);
        const b = this.expect(e.right, 'num', `"${e.arith}" 的右操作数`);
        if (e.arith === '/' && e.right.op === 'lit' && typeof e.right.value === 'object' && 'num' in e.right.value && Number(e.right.value.num) === 0)
          this.err(e.right.loc ?? e.loc, '除数为零', 'division by zero');
        if (!a || !b) return NUM;
        return a.k === 'num' && b.k === 'num' && a.int && b.int && e.arith !== '/' ? INT : NUM;
      }
      case 'neg': {
        const t = this.expect(e.arg, 'num', '负号的操作数');
        return t ?? NUM;
      }
      case 'call':
        return this.call(e);
      case 'if': {
        this.expect(e.cond, 'bool', 'if 的条件');
        const a = this.infer(e.then);
        const b = this.infer(e.else);
        if (!a || !b) return a ?? b;
        // A string literal beside a code-valued branch is a code of that branch's type.
        if (a.k === 'str' && b.k !== 'str') return this.comparable(b, a, e.else, e.then, e.loc) ? b : b;
        if (b.k === 'str' && a.k !== 'str') return this.comparable(a, b, e.then, e.else, e.loc) ? a : a;
        if (a.k !== b.k) this.err(e.loc, `if 的两个分支类型不同：${tyName(a)} 与 ${tyName(b)}`, `the branches of if differ: ${a.k} and ${b.k}`);
        return a.k === 'num' && b.k === 'num' ? (a.int && b.int ? INT : NUM) : a;
      }
      case 'tier': {
        this.expect(e.value, 'num', 'tier 的取值');
        this.table(e.table, 'tiers', e.loc);
        return NUM;
      }
      case 'lookup': {
        const t = this.infer(e.value);
        const p = this.table(e.table, 'map', e.loc);
        if (t && !['enum', 'region', 'text', 'str'].includes(t.k)) this.err(e.loc, `lookup 需要枚举或区划取值，实际为 ${tyName(t)}`, `lookup needs an enum or region value, found ${t.k}`);
        if (t && p && t.k === 'enum')
          for (const v of p.versions) if (v.value.kind === 'map') for (const k of Object.keys(v.value.entries)) this.checkCode(t, k, e.loc);
        return NUM;
      }
    }
  }

  private table(name: string, kind: 'tiers' | 'map', loc: Loc | undefined): ParamDef | undefined {
    const p = this.params.get(name);
    if (!p) return this.err(loc, `未定义的表格参数 $${name}`, `undefined table parameter $${name}`, 'UNKNOWN_PARAM');
    if (p.type !== kind) return this.err(loc, `参数 $${name} 应为 ${kind} 表，实际为 ${p.type}`, `parameter $${name} must be a ${kind} table, found ${p.type}`);
    return p;
  }

  private checkListAgainst(t: Ty, list: Expr): void {
    if (list.op !== 'lit' || typeof list.value !== 'object' || !('list' in list.value)) return;
    for (const v of list.value.list) {
      if (typeof v === 'string') this.checkCode(t, v, list.loc);
      else if (typeof v === 'object' && 'num' in v && t.k !== 'num') this.err(list.loc, `列表成员 ${v.num} 应为${tyName(t)}`, `list member ${v.num} must be ${t.k}`);
      else if (typeof v === 'object' && 'date' in v && t.k !== 'date') this.err(list.loc, `列表成员 ${v.date} 应为${tyName(t)}`, `list member ${v.date} must be ${t.k}`);
    }
  }

  private litTy(e: Extract<Expr, { op: 'lit' }>): Ty | undefined {
    const v = e.value;
    if (typeof v === 'boolean') return BOOL;
    if (typeof v === 'string') return { k: 'str' };
    if ('num' in v) return /^-?\d+$/.test(v.num) && !v.pct ? INT : NUM;
    if ('date' in v) {
      if (parseDate(v.date) === undefined) return this.err(e.loc, `无效日期 ${v.date}（应为 1800-01-01 至 2200-12-31 之间的真实日期）`, `invalid date ${v.date}`);
      return DATE;
    }
    const items = v.list.map((x) => this.litTy({ op: 'lit', value: x, ...(e.loc ? { loc: e.loc } : {}) }));
    const first = items.find((x) => x);
    if (first && items.some((x) => x && x.k !== first.k)) return this.err(e.loc, '列表成员类型不一致', 'list members must have one type');
    return { k: 'list', of: first ?? { k: 'str' } };
  }

  private call(e: Extract<Expr, { op: 'call' }>): Ty | undefined {
    const n = e.args.length;
    const arity = (want: number) => n === want || !this.err(e.loc, `${e.fn}() 需要 ${want} 个参数，实际 ${n} 个`, `${e.fn}() takes ${want} arguments, got ${n}`);
    switch (e.fn) {
      case 'min':
      case 'max': {
        if (n < 1) this.err(e.loc, `${e.fn}() 至少需要一个参数`, `${e.fn}() needs at least one argument`);
        const ts = e.args.map((a) => this.expect(a, 'num', `${e.fn}() 的参数`));
        return ts.every((t) => t && t.k === 'num' && t.int) ? INT : NUM;
      }
      case 'round':
        if (arity(2)) {
          this.expect(e.args[0], 'num', 'round() 的第一个参数');
          const p = e.args[1];
          const ok = p.op === 'lit' && typeof p.value === 'object' && 'num' in p.value && /^\d+$/.test(p.value.num) && Number(p.value.num) <= 10;
          if (!ok) this.err(p.loc ?? e.loc, 'round() 的小数位数应为 0 到 10 的整数字面量', 'round() places must be an integer literal 0..10');
        }
        return NUM;
      case 'floor':
      case 'ceil':
        if (arity(1)) this.expect(e.args[0], 'num', `${e.fn}() 的参数`);
        return INT;
      case 'abs':
        if (arity(1)) return this.expect(e.args[0], 'num', 'abs() 的参数') ?? NUM;
        return NUM;
      case 'age':
      case 'years_since':
      case 'months_since':
      case 'days_since':
        if (arity(1)) this.expect(e.args[0], 'date', `${e.fn}() 的参数`);
        return INT;
      case 'add_days':
      case 'add_months':
      case 'add_years':
        if (arity(2)) {
          this.expect(e.args[0], 'date', `${e.fn}() 的第一个参数`);
          const t = this.expect(e.args[1], 'num', `${e.fn}() 的第二个参数`);
          if (t && t.k === 'num' && !t.int) this.err(e.args[1].loc ?? e.loc, `${e.fn}() 的第二个参数应为整数`, `${e.fn}() needs an integer count`);
        }
        return DATE;
      case 'count': {
        if (arity(1)) {
          const t = this.infer(e.args[0]);
          if (t && t.k !== 'set') this.err(e.loc, `count() 需要集合字段，实际为 ${tyName(t)}`, `count() needs a set, found ${t.k}`);
        }
        return INT;
      }
    }
  }
}

/** Checks an eligibility rule (must be bool) or an amount formula (must be a number). */
export function checkExpr(e: Expr, want: 'bool' | 'num', opts: CheckOptions): EngineError[] {
  // A tree from JSON (the API, the visual editor, an import) never went through the
  // parser's limits: bound it before any recursive walk.
  const depth = depthOf(e);
  const size = sizeOf(e);
  if (depth > RULE_LIMITS.maxDepth || size > RULE_LIMITS.maxNodes)
    return [new EngineError('LIMIT', `规则过于复杂：嵌套 ${depth} 层、${size} 个节点（上限 ${RULE_LIMITS.maxDepth} 层、${RULE_LIMITS.maxNodes} 个节点）`, `rule too complex: depth ${depth}, ${size} nodes (limits ${RULE_LIMITS.maxDepth}, ${RULE_LIMITS.maxNodes})`, e.loc, opts.file)];
  const c = new Checker(opts);
  const t = c.infer(e);
  if (t && t.k !== want)
    c.errors.push(new EngineError('TYPE', `${want === 'bool' ? '资格条件应为真/假条件' : '金额公式应为数值'}，实际为${tyName(t)}`, `${want === 'bool' ? 'an eligibility rule must be a condition' : 'an amount formula must be a number'}, found ${t.k}`, e.loc, opts.file));
  return c.errors;
}

export function inferType(e: Expr, opts: CheckOptions): Ty | undefined {
  return new Checker(opts).infer(e);
}
