// SQL fragments as the compiler builds them: a self-delimiting expression with its kind
// and whether it can be NULL, plus the conversions and checks every construct shares.
import type { Expr, LitValue } from '../ast/ast.ts';
import type { FieldType } from '../dictionary/types.ts';
import { EngineError } from '../errors.ts';
import { parseDate } from '../values/dates.ts';
import { dec, decToString } from '../values/decimal.ts';
import type { SqlCast } from './params.ts';

/** SQL value kinds: `int` is any integer type (bigint columns, int results of functions). */
export type SqlKind = 'int' | 'num' | 'bool' | 'date' | 'text' | 'set';

/** A self-delimiting SQL expression; `nullable` false only when it can never be NULL. */
export interface Frag {
  sql: string;
  kind: SqlKind;
  nullable: boolean;
}

export const FIELD_KIND: Record<FieldType, SqlKind> = {
  int: 'int', dec: 'num', bool: 'bool', date: 'date', enum: 'text', region: 'text', text: 'text', set: 'set',
};
export const ELEMENT_CAST: Partial<Record<SqlKind, SqlCast>> = {
  int: 'numeric[]', num: 'numeric[]', date: 'date[]', text: 'text[]', bool: 'boolean[]',
};

export function typeError(zh: string, en: string, e: Expr): never {
  throw new EngineError('TYPE', `SQL 生成：${zh}`, `SQL generation: ${en}`, e.loc);
}

/** A literal's PostgreSQL text form, checked so that a bad constant fails here, not in the database. */
export function litText(v: LitValue, e: Expr): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  if ('num' in v) return decToString(dec(v.num));
  if ('date' in v) {
    if (parseDate(v.date) === undefined) typeError(`无效日期 ${JSON.stringify(v.date)}`, `invalid date ${JSON.stringify(v.date)}`, e);
    return v.date;
  }
  return typeError('列表只能用于 in / contains', 'a list may only follow in / contains', e);
}

export function listItems(e: Expr): LitValue[] {
  if (e.op === 'lit' && typeof e.value === 'object' && 'list' in e.value) return e.value.list;
  return typeError('此处需要列表', 'a list is needed here', e);
}

const INT64_MAX = 2n ** 63n - 1n;
export const isInt64 = (t: string) => /^-?\d{1,19}$/.test(t) && BigInt(t) <= INT64_MAX && BigInt(t) >= -INT64_MAX - 1n;
/**
 * Some constructs spell an operand more than once (at least, min/max and between guards,
 * tier rows, date parts), so nesting them multiplies the text; a hostile rule within the
 * language's limits could ask for gigabytes. Past this size compilation stops with LIMIT.
 */
export const MAX_SQL_LENGTH = 4_000_000;

export function checkLength(length: number, e: Expr): void {
  if (length > MAX_SQL_LENGTH)
    throw new EngineError(
      'LIMIT',
      `规则生成的 SQL 超过 ${MAX_SQL_LENGTH} 个字符（嵌套的 at least / min / max / tier 过多），请简化规则`,
      `the rule's SQL exceeds ${MAX_SQL_LENGTH} characters (too many nested at least / min / max / tier); simplify the rule`,
      e.loc,
    );
}

export function sized(f: Frag, e: Expr): Frag {
  checkLength(f.sql.length, e);
  return f;
}

export const isNumber = (f: Frag) => f.kind === 'int' || f.kind === 'num';
/** Integers become numeric before arithmetic: exact, no bigint overflow, no float overloads. */
export const numeric = (f: Pick<Frag, 'sql' | 'kind'>) => (f.kind === 'int' ? `${f.sql}::numeric` : f.sql);
export const asNum = (f: Frag): Frag => ({ ...f, sql: numeric(f), kind: 'num' });

/** A value as the interpreter spells it when it looks up a map key (String(value)). */
export function keyText(x: Frag): string {
  switch (x.kind) {
    case 'text':
      return x.sql;
    case 'num':
      return `trim_scale(${x.sql})::text`;
    case 'date':
      return `(${x.sql} - DATE '1970-01-01')::text`;
    case 'set':
      return `array_to_string(${x.sql}, ',')`;
    default:
      return `${x.sql}::text`;
  }
}
