// JsonLogic → rule AST. Query builders (react-querybuilder, jQuery QueryBuilder,
// react-awesome-query-builder) export JsonLogic; importing it gives a rule that is
// typed, three-valued and explainable like any other. The mapping is in
// docs/jsonlogic.md; what has no counterpart is an UNSUPPORTED error naming its JSON
// path, and what would only work through JavaScript's coercions is refused by category.
import type { Expr } from '../ast/ast.ts';
import type { Dictionary } from '../dictionary/types.ts';
import { suggest } from '../check/check.ts';
import { RULE_LIMITS } from '../syntax/grammar.ts';
import { MAX_SIGNIFICANT, numToString, significantDigits } from '../values/decimal.ts';
import { JsonLogicError, refused, unsupported, type DifferenceCategory } from './errors.ts';
import { defaultFieldName, isFieldName } from './names.ts';
import { kindOfField, kindZh, Typing, type Typed } from './typing.ts';
import { LogicOps } from './import-logic.ts';

export interface JsonLogicImportOptions {
  /** How a `var` path becomes a field name; default: `a.b` → `a_b`, `firstName` → `first_name`. */
  fieldName?: (varPath: string) => string;
  /**
   * Accept `var`s the dictionary lacks: they are typed by how they are used and are
   * always unknown when evaluated. The conformance run needs this (a datum absent
   * from the test data is simply unknown); policy rules should not use it.
   */
  openFields?: boolean;
}

export interface ImportedJsonLogic {
  expr: Expr;
  /** Approximations made on the way (e.g. `!!x` read as `x is known`), for explanations. */
  approximations: DifferenceCategory[];
}

const REASONS: Record<string, [string, string]> = {
  '%': ['规则语言没有取余运算', 'the rule language has no remainder'],
  cat: ['规则比较取值，不拼接文本', 'rules compare values; they do not build text'],
  substr: ['规则语言没有子串运算（仅支持区划前缀写法 {"==":[{"substr":[{"var":…},0,n]},"代码"]}）', 'the rule language has no substrings (only the region-prefix form {"==":[{"substr":[{"var":…},0,n]},"code"]} is read)'],
  merge: ['事实是单值或代码集合，没有列表运算', 'facts are single values or sets of codes; there are no list operations'],
  map: ['事实是单值或代码集合，没有列表运算', 'facts are single values or sets of codes; there are no list operations'],
  filter: ['事实是单值或代码集合，没有列表运算', 'facts are single values or sets of codes; there are no list operations'],
  reduce: ['事实是单值或代码集合，没有列表运算', 'facts are single values or sets of codes; there are no list operations'],
  log: ['log 是调试用的副作用', 'log is a debugging side effect'],
  method: ['不能调用 JavaScript 方法', 'JavaScript methods cannot be called'],
};

/** Decimal text of a JSON number; like rule text, at most 15 significant digits, so that the value is exact. */
function exactNumber(n: number, path: string): string {
  const t = Number.isFinite(n) ? numToString(n) : String(n);
  if (!Number.isFinite(n) || significantDigits(t) > MAX_SIGNIFICANT)
    throw unsupported('number', path, `数字 ${t} 超过 ${MAX_SIGNIFICANT} 位有效数字或不是有限数`, `the number ${t} has more than ${MAX_SIGNIFICANT} significant digits or is not finite`);
  return t;
}

/** Imports a JsonLogic rule. With a dictionary, `var`s must be its fields and literals are typed by them. */
export function importJsonLogic(json: unknown, dict?: Dictionary, opts: JsonLogicImportOptions = {}): Expr {
  return importJsonLogicDetailed(json, dict, opts).expr;
}

export function importJsonLogicDetailed(json: unknown, dict?: Dictionary, opts: JsonLogicImportOptions = {}): ImportedJsonLogic {
  const imp = new Importer(dict, opts);
  const t = imp.value(json, '$');
  return { expr: t.e, approximations: [...imp.approximations] };
}

export class Importer {
  readonly typing: Typing;
  readonly approximations = new Set<DifferenceCategory>();
  private depth = 0;
  private readonly logic: LogicOps;

  constructor(
    readonly dict: Dictionary | undefined,
    private readonly opts: JsonLogicImportOptions,
  ) {
    this.typing = new Typing(dict);
    this.logic = new LogicOps(this);
  }

  /** A node in value position; `asCond` when its result will be used as a condition. */
  value(node: unknown, path: string, asCond = false): Typed {
    if (++this.depth > RULE_LIMITS.maxDepth)
      throw new JsonLogicError('LIMIT', 'depth', path, `嵌套超过 ${RULE_LIMITS.maxDepth} 层`, `nested deeper than ${RULE_LIMITS.maxDepth} levels`);
    try {
      return this.node(node, path, asCond);
    } finally {
      this.depth--;
    }
  }

  /** A node in condition position (and/or/!/if conditions): the result must be a boolean. */
  cond(node: unknown, path: string): Expr {
    return this.asCondition(this.value(node, path, true), path);
  }

  asCondition(t: Typed, path: string): Expr {
    // An untyped field used as a condition is taken to be a boolean field.
    if (t.k === 'bool' || t.k === 'any') return t.e;
    if (t.e.op === 'field') {
      // JsonLogic's truthiness of a value: the nearest meaning we have is "is known".
      this.approximations.add('truthiness');
      return { op: 'known', value: t.e };
    }
    throw refused('truthiness', 'condition', path, `此处需要真/假条件，实际为${kindZh(t.k)}：JavaScript 的“真值”（0、""、[] 为假）在本平台不成立`, `a condition is needed here, found ${t.k}: JavaScript truthiness (0, "", [] are false) does not apply`);
  }

  private node(node: unknown, path: string, asCond: boolean): Typed {
    if (node === null || node === undefined)
      throw unsupported('null', path, 'JsonLogic 的 null 不受支持：缺失的事实是“未知”，请用 {"==":[{"var":…},null]} 表示“缺失”', 'null is not supported: absent facts are unknown; write {"==":[{"var":…},null]} for "is missing"');
    if (typeof node === 'number') return { e: { op: 'lit', value: { num: exactNumber(node, path) } }, k: 'num' };
    if (typeof node === 'string') return { e: { op: 'lit', value: node }, k: 'str' };
    if (typeof node === 'boolean') return { e: { op: 'lit', value: node }, k: 'bool' };
    if (Array.isArray(node)) return this.list(node, path);
    if (typeof node !== 'object') throw unsupported(typeof node, path, `不支持的 JSON 值`, `unsupported JSON value`);
    const keys = Object.keys(node);
    if (keys.length !== 1)
      throw unsupported('object', path, `对象应恰有一个键（运算名），实际有 ${keys.length} 个`, `an operation is an object with exactly one key, found ${keys.length}`);
    const op = keys[0];
    const raw = (node as Record<string, unknown>)[op];
    const opPath = `${path}.${op}`;
    if (op === 'var') return this.variable(raw, opPath);
    const handled = this.logic.operation(op, raw, opPath, asCond);
    if (handled) return handled;
    const [zh, en] = REASONS[op] ?? ['未知的 JsonLogic 运算', 'unknown JsonLogic operation'];
    throw unsupported(op, opPath, `不支持 JsonLogic 运算 "${op}"：${zh}`, `JsonLogic operation "${op}" is not supported: ${en}`);
  }

  /** A list literal: members must be literals (JsonLogic lists may hold logic; ours may not). */
  private list(node: unknown[], path: string): Typed {
    if (node.length > RULE_LIMITS.maxListMembers)
      throw new JsonLogicError('LIMIT', 'list', path, `列表超过 ${RULE_LIMITS.maxListMembers} 项`, `a list has more than ${RULE_LIMITS.maxListMembers} members`);
    const members = node.map((m, i) => {
      if (typeof m === 'number') return { num: exactNumber(m, `${path}[${i}]`) };
      if (typeof m === 'string' || typeof m === 'boolean') return m;
      throw unsupported(m === null ? 'null' : 'list', `${path}[${i}]`, '列表成员应为数字、字符串或布尔字面量', 'list members must be number, string or boolean literals');
    });
    return { e: { op: 'lit', value: { list: members } }, k: 'list' };
  }

  /** `{"var": "a.b"}`, `{"var": ["a", default]}`. */
  private variable(raw: unknown, opPath: string): Typed {
    const parts = Array.isArray(raw) ? raw : [raw];
    if (parts.length > 2) throw unsupported('var', opPath, 'var 最多两个参数（名称、默认值）', 'var takes at most a name and a default');
    const name = parts[0];
    if (typeof name === 'number')
      throw unsupported('var', opPath, `按位置读取数据（var ${name}）不受支持：事实按字段名读取`, `positional data (var ${name}) is not supported: facts are read by field name`);
    if (name === '' || name === null || name === undefined)
      throw unsupported('var', opPath, '读取整个数据（var ""）不受支持', 'reading the whole data (var "") is not supported');
    if (typeof name !== 'string')
      throw unsupported('var', opPath, '字段名须为字符串常量，不能计算得出', 'the field name must be a string constant, not computed');
    const field = this.field(name, opPath);
    const fallback = parts[1];
    if (fallback === undefined || fallback === null) return field;
    const d = this.value(fallback, `${opPath}[1]`);
    const s = this.typing.settle(field, d, { path: opPath, construct: 'var', ordered: false, category: 'mixed_types' });
    return { e: { op: 'if', cond: { op: 'known', value: field.e }, then: s.l, else: s.r }, k: s.k, enumName: s.enumName };
  }

  field(varPath: string, path: string): Typed {
    const name = (this.opts.fieldName ?? defaultFieldName)(varPath);
    if (!isFieldName(name))
      throw unsupported('var', path, `"${varPath}" 不能作为字段名（映射为 "${name}"）`, `"${varPath}" cannot be a field name (maps to "${name}")`);
    const e: Expr = { op: 'field', name };
    if (!this.dict) return { e, k: 'any' };
    const def = this.dict.fields.get(name);
    if (def) return { e, k: kindOfField(def), enumName: def.enum };
    if (this.opts.openFields) return { e, k: 'any' };
    const s = suggest(name, this.dict.fields.keys());
    throw new JsonLogicError(
      'UNKNOWN_FIELD', 'var', path,
      `未知字段 "${name}"${s.length ? `，是否指 ${s.join(' / ')}？` : '；请查阅字段字典'}`,
      `unknown field "${name}"${s.length ? `; did you mean ${s.join(' / ')}?` : ''}`,
    );
  }
}
