// Parameter tables in SQL: 分档 tiers and lookups by code. Both answer unknown for an
// unknown input, where a bare CASE … ELSE would answer 0 or the default.
import type { Expr } from '../ast/ast.ts';
import { EngineError } from '../errors.ts';
import type { ResolvedParams } from '../params/resolve.ts';
import { decToString } from '../values/decimal.ts';
import { checkLength, keyText, numeric, type Frag } from './fragments.ts';
import type { SqlParams } from './params.ts';

/** 分档: the first row with min ≤ x < max; no row → 0; unknown x → unknown (not 0). */
export function tierSql(e: Extract<Expr, { op: 'tier' }>, x: Frag, params: ResolvedParams, p: SqlParams): Frag {
  const t = params.get(e.table);
  if (!t || t.type !== 'tiers') throw new EngineError('PARAM_TYPE', `$${e.table} 不是分档表`, `$${e.table} is not a tiers table`, e.loc);
  const xs = numeric(x);
  checkLength(xs.length * (2 * t.rows.length + 1), e);
  const whens = t.rows.map((r) => {
    const conds: string[] = [];
    if (r.min) conds.push(`${xs} >= ${p.add(decToString(r.min), 'numeric')}`);
    if (r.max) conds.push(`${xs} < ${p.add(decToString(r.max), 'numeric')}`);
    return `WHEN ${conds.length ? conds.join(' AND ') : 'TRUE'} THEN ${p.add(decToString(r.value), 'numeric')}`;
  });
  if (x.nullable) whens.unshift(`WHEN ${x.sql} IS NULL THEN NULL`);
  return { sql: whens.length ? `(CASE ${whens.join(' ')} ELSE 0 END)` : '(0::numeric)', kind: 'num', nullable: x.nullable };
}

/** By code: the map's value, else its default, else 0; unknown x → unknown. */
export function lookupSql(e: Extract<Expr, { op: 'lookup' }>, x: Frag, params: ResolvedParams, p: SqlParams): Frag {
  const t = params.get(e.table);
  if (!t || t.type !== 'map') throw new EngineError('PARAM_TYPE', `$${e.table} 不是对照表`, `$${e.table} is not a map`, e.loc);
  const key = keyText(x);
  checkLength(key.length * (t.entries.size + 1), e);
  const whens = [...t.entries].map(([k, v]) => `WHEN ${key} = ${p.add(k, 'text')} THEN ${p.add(decToString(v), 'numeric')}`);
  if (x.nullable) whens.unshift(`WHEN ${x.sql} IS NULL THEN NULL`);
  const dflt = t.default ? p.add(decToString(t.default), 'numeric') : '0';
  return { sql: whens.length ? `(CASE ${whens.join(' ')} ELSE ${dflt} END)` : `(${dflt}::numeric)`, kind: 'num', nullable: x.nullable };
}
