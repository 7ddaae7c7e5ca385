// Evaluator 4 of 4: a rule as a PostgreSQL boolean expression over a relation with one
// column per field, where SQL NULL is the language's unknown. Kleene and/or/not are
// exactly SQL AND/OR/NOT, and comparisons, arithmetic and functions are NULL on NULL,
// so three-valued logic needs no translation; the few SQL constructs that are not
// strict (ANY over an empty array, LEAST/GREATEST, CASE … ELSE) get explicit guards.
// The rule is bound to the evaluation day first; every constant becomes a `$n`
// parameter and identifiers come only from the dictionary, quoted.
import type { Expr, LitValue } from '../ast/ast.ts';
import type { Dictionary, FieldType } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import { bindRule } from '../params/bind.ts';
import type { ResolvedParams } from '../params/resolve.ts';
import { formatDate } from '../values/dates.ts';
import {
  asNum, ELEMENT_CAST, FIELD_KIND, isInt64, isNumber, listItems, litText, numeric, sized, typeError, type Frag, type SqlKind,
} from './fragments.ts';
import * as fn from './functions.ts';
import { arrayLiteral, quoteIdent, SqlParams } from './params.ts';
import { withinSql, zonesOf, type ZoneList } from './regions.ts';
import { lookupSql, tierSql } from './tables.ts';

export type { SqlKind } from './fragments.ts';
export { MAX_SQL_LENGTH } from './fragments.ts';

export interface SqlContext {
  dict: Dictionary;
  params: ResolvedParams;
  /** The evaluation date, in days since 1970-01-01. */
  day: number;
  /** The region tree's functional zones; needed by `within` (see regions.ts). */
  zones?: ZoneList;
}

export interface SqlOptions {
  /** SQL for a field's column; trusted text (default: the quoted field key). */
  column?: (field: string) => string;
  /** Placeholders start at $(paramOffset + 1), to splice into a larger statement. */
  paramOffset?: number;
}

export interface SqlFragment {
  sql: string;
  /** Parameter values in placeholder order, in PostgreSQL text form. */
  params: string[];
}

/** Column type of each field type. entity_kind is an enum, so text. */
export const SQL_COLUMN_TYPE: Record<FieldType, string> = {
  int: 'bigint',
  dec: 'numeric',
  bool: 'boolean',
  date: 'date',
  enum: 'text',
  region: 'text',
  text: 'text',
  set: 'text[]',
};

const CMP_SQL = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

class SqlCompiler {
  private readonly column: (field: string) => string;
  private zoneList: ZoneList | undefined;

  constructor(
    private readonly ctx: SqlContext,
    private readonly p: SqlParams,
    column?: (field: string) => string,
  ) {
    this.column = column ? (f) => `(${column(f)})` : quoteIdent;
  }

  /** A condition: SQL boolean, NULL for unknown. */
  bool(e: Expr): Frag {
    return sized(this.boolNode(e), e);
  }

  /** A value of any kind. */
  value(e: Expr): Frag {
    return sized(this.valueNode(e), e);
  }

  private boolNode(e: Expr): Frag {
    switch (e.op) {
      case 'and':
      case 'or': {
        if (!e.args.length) return { sql: e.op === 'and' ? 'TRUE' : 'FALSE', kind: 'bool', nullable: false };
        const args = e.args.map((a) => this.bool(a));
        if (args.length === 1) return args[0];
        return { sql: `(${args.map((a) => a.sql).join(e.op === 'and' ? ' AND ' : ' OR ')})`, kind: 'bool', nullable: args.some((a) => a.nullable) };
      }
      case 'not': {
        const a = this.bool(e.arg);
        return { sql: `(NOT ${a.sql})`, kind: 'bool', nullable: a.nullable };
      }
      case 'atleast': {
        // #T ≥ n → true; #T + #U < n → false; otherwise unknown (CASE without ELSE).
        const args = e.args.map((a) => this.bool(a));
        const n = this.p.add(String(e.n), 'int');
        const sum = (unknownAs: 0 | 1) => (args.length ? `(${args.map((a) => `coalesce(${a.sql}::int, ${unknownAs})`).join(' + ')})` : '0');
        return { sql: `(CASE WHEN ${sum(0)} >= ${n} THEN TRUE WHEN ${sum(1)} < ${n} THEN FALSE END)`, kind: 'bool', nullable: args.some((a) => a.nullable) };
      }
      case 'cmp': {
        const [a, b] = this.pair(e.left, e.right);
        return { sql: `(${a.sql} ${CMP_SQL[e.cmp]} ${b.sql})`, kind: 'bool', nullable: a.nullable || b.nullable };
      }
      case 'between': {
        const x = this.value(e.value);
        const [lo, hi] = [this.operand(e.low, x.kind), this.operand(e.high, x.kind)];
        const test = `(${x.sql} BETWEEN ${lo.sql} AND ${hi.sql})`;
        // An unknown bound makes the comparison unknown, even where BETWEEN's AND could decide.
        const guards = [lo, hi].filter((f) => f.nullable).map((f) => `${f.sql} IS NULL`);
        const sql = guards.length ? `(CASE WHEN ${guards.join(' OR ')} THEN NULL ELSE ${test} END)` : test;
        return { sql, kind: 'bool', nullable: x.nullable || guards.length > 0 };
      }
      case 'in': {
        const x = this.value(e.value);
        const items = listItems(e.list);
        const texts = items.map((v) => litText(v, e.list));
        const cast = x.kind === 'int' && texts.every(isInt64) ? 'bigint[]' : ELEMENT_CAST[x.kind];
        if (!cast) typeError('in 的左边不能是集合', 'the left of "in" cannot be a set', e);
        // x = ANY('{}') is false even for NULL x; the language says unknown.
        const hit = items.length
          ? `(${x.sql} = ANY(${this.p.add(arrayLiteral(texts), cast)}))`
          : x.nullable ? `(CASE WHEN ${x.sql} IS NOT NULL THEN FALSE END)` : 'FALSE';
        return { sql: e.negate ? `(NOT ${hit})` : hit, kind: 'bool', nullable: x.nullable };
      }
      case 'contains': {
        const s = this.value(e.set);
        if (s.kind !== 'set') typeError('contains 的左边应为集合字段', 'the left of "contains" must be a set', e);
        const list = this.p.add(arrayLiteral(listItems(e.list).map((v) => litText(v, e.list))), 'text[]');
        const sql = e.mode === 'any' ? `(${s.sql} && ${list})` : e.mode === 'all' ? `(${s.sql} @> ${list})` : `(NOT (${s.sql} && ${list}))`;
        return { sql, kind: 'bool', nullable: s.nullable };
      }
      case 'within': {
        const x = this.value(e.value);
        if (x.kind !== 'text') typeError('within 的左边应为行政区划', 'the left of "within" must be a region', e);
        const zones = (this.zoneList ??= zonesOf(this.ctx.dict, this.ctx.zones));
        const hit = withinSql(x.sql, e.regions, this.ctx.dict, zones, this.p);
        return { sql: e.negate ? `(NOT ${hit})` : hit, kind: 'bool', nullable: true };
      }
      case 'known': {
        const x = this.value(e.value);
        return { sql: `(${x.sql} IS ${e.negate ? '' : 'NOT '}NULL)`, kind: 'bool', nullable: false };
      }
      default: {
        const v = this.value(e);
        if (v.kind !== 'bool') typeError('此处需要条件（布尔值）', 'a condition (boolean) is needed here', e);
        return v;
      }
    }
  }

  private valueNode(e: Expr): Frag {
    switch (e.op) {
      case 'lit':
        return this.lit(e.value, e);
      case 'field': {
        const def = this.ctx.dict.fields.get(e.name);
        if (!def) throw new EngineError('UNKNOWN_FIELD', `未知字段 "${e.name}"`, `unknown field "${e.name}"`, e.loc);
        return { sql: this.column(e.name), kind: FIELD_KIND[def.type], nullable: true };
      }
      case 'param':
      case 'today':
        return typeError('规则应先绑定到评估日期', 'the rule must be bound to the evaluation date first', e);
      case 'arith': {
        const a = this.value(e.left);
        const b = this.value(e.right);
        const nullable = a.nullable || b.nullable || e.arith === '/';
        if (e.arith === '/') return { sql: fn.divSql(numeric(a), numeric(b)), kind: 'num', nullable };
        return { sql: `(${numeric(a)} ${e.arith} ${numeric(b)})`, kind: 'num', nullable };
      }
      case 'neg': {
        const a = this.value(e.arg);
        return { sql: `(- ${numeric(a)})`, kind: 'num', nullable: a.nullable };
      }
      case 'call':
        return this.call(e);
      case 'if': {
        const c = this.bool(e.cond);
        let [a, b] = [this.value(e.then), this.value(e.else)];
        if (a.kind !== b.kind && isNumber(a) && isNumber(b)) [a, b] = [asNum(a), asNum(b)];
        // The simple CASE evaluates (and spells) the condition once; NULL matches neither arm.
        return { sql: `(CASE ${c.sql} WHEN TRUE THEN ${a.sql} WHEN FALSE THEN ${b.sql} END)`, kind: a.kind, nullable: c.nullable || a.nullable || b.nullable };
      }
      case 'tier':
        return tierSql(e, this.value(e.value), this.ctx.params, this.p);
      case 'lookup':
        return lookupSql(e, this.value(e.value), this.ctx.params, this.p);
      default:
        return this.bool(e);
    }
  }

  /**
   * A value compared with one of kind `peer`. An integer constant meeting an integer
   * column is sent as bigint: bigint = numeric would cast the column and lose its index.
   */
  private operand(e: Expr, peer: SqlKind): Frag {
    if (peer === 'int' && e.op === 'lit' && typeof e.value === 'object' && 'num' in e.value) {
      const text = litText(e.value, e);
      if (isInt64(text)) return { sql: this.p.add(text, 'bigint'), kind: 'int', nullable: false };
    }
    return this.value(e);
  }

  /** Both sides of a comparison, the constant side (if any) typed after the other. */
  private pair(l: Expr, r: Expr): [Frag, Frag] {
    if (l.op === 'lit' && r.op !== 'lit') {
      const b = this.value(r);
      return [this.operand(l, b.kind), b];
    }
    const a = this.value(l);
    return [a, this.operand(r, a.kind)];
  }

  private lit(v: LitValue, e: Expr): Frag {
    const text = litText(v, e);
    if (typeof v === 'boolean') return { sql: this.p.add(text, 'boolean'), kind: 'bool', nullable: false };
    if (typeof v === 'string') return { sql: this.p.add(text, 'text'), kind: 'text', nullable: false };
    if ('num' in v) return { sql: this.p.add(text, 'numeric'), kind: 'num', nullable: false };
    return { sql: this.p.add(text, 'date'), kind: 'date', nullable: false };
  }

  private today(): string {
    return this.p.add(formatDate(this.ctx.day), 'date');
  }

  private call(e: Extract<Expr, { op: 'call' }>): Frag {
    const args = e.args.map((a) => this.value(a));
    const nullable = args.some((a) => a.nullable);
    const need = (n: number) => {
      if (args.length !== n) typeError(`${e.fn} 需要 ${n} 个参数`, `${e.fn} takes ${n} argument(s)`, e);
    };
    const out = (sql: string, kind: SqlKind): Frag => ({ sql, kind, nullable });
    switch (e.fn) {
      case 'min':
      case 'max':
        if (!args.length) typeError(`${e.fn} 至少需要 1 个参数`, `${e.fn} needs at least one argument`, e);
        return out(fn.extremeSql(e.fn === 'min' ? 'LEAST' : 'GREATEST', args.map(numeric), args.map((a) => a.nullable)), 'num');
      case 'round':
        need(2);
        return out(fn.roundSql(numeric(args[0]), `${args[1].sql}::int`), 'num');
      case 'floor':
      case 'ceil':
      case 'abs':
        need(1);
        return out(`${e.fn}(${numeric(args[0])})`, 'num');
      case 'age':
      case 'years_since':
        need(1);
        return out(fn.fullYearsSql(args[0].sql, this.today()), 'int');
      case 'months_since':
        need(1);
        return out(fn.fullMonthsSql(args[0].sql, this.today()), 'int');
      case 'days_since':
        need(1);
        return out(fn.daysBetweenSql(args[0].sql, this.today()), 'int');
      case 'add_days':
        need(2);
        return out(fn.addDaysSql(args[0].sql, args[1].sql), 'date');
      case 'add_months':
        need(2);
        return out(fn.addMonthsSql(args[0].sql, args[1].sql), 'date');
      case 'add_years':
        need(2);
        return out(fn.addMonthsSql(args[0].sql, `${args[1].sql}::int * 12`), 'date');
      case 'count':
        need(1);
        return out(`cardinality(${args[0].sql})`, 'int');
    }
  }

}

/** Compiles with a shared parameter list: the building block of batch queries. */
export function compileInto(expr: Expr, ctx: SqlContext, p: SqlParams, column?: (field: string) => string): { bool: () => string; value: () => { sql: string; kind: SqlKind } } {
  const bound = bindRule(expr, ctx.params, ctx.day);
  const c = new SqlCompiler(ctx, p, column);
  return { bool: () => c.bool(bound).sql, value: () => c.value(bound) };
}

/**
 * A rule as a parameterised PostgreSQL boolean expression: true = T, false = F,
 * NULL = U. Columns are the fields (see SQL_COLUMN_TYPE); NULL is an unknown fact.
 */
export function compileRuleToSql(expr: Expr, ctx: SqlContext, opts: SqlOptions = {}): SqlFragment {
  const p = new SqlParams(opts.paramOffset ?? 0);
  const sql = compileInto(expr, ctx, p, opts.column).bool();
  return { sql, params: p.values };
}

/** An amount formula (or any value) as SQL: numeric for numbers, NULL for unknown. */
export function compileValueToSql(expr: Expr, ctx: SqlContext, opts: SqlOptions = {}): SqlFragment {
  const p = new SqlParams(opts.paramOffset ?? 0);
  const v = compileInto(expr, ctx, p, opts.column).value();
  return { sql: v.kind === 'int' ? `${v.sql}::numeric` : v.sql, params: p.values };
}
