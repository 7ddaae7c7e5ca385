// Whole queries over a table of entities (one row per entity, one column per field):
// verdicts per entity, counts per verdict, and a batch form that evaluates many rules
// (each with its own date and parameters) against every row in one round trip.
// Plain SELECT … FROM … [GROUP BY], so that it runs unchanged on Citus.
import type { Expr } from '../ast/ast.ts';
import { effectiveRule, inValidity } from '../evaluate/item.ts';
import type { PolicyItem } from '../policy/types.ts';
import type { Dec } from '../values/decimal.ts';
import { dec } from '../values/decimal.ts';
import { compileInto, type SqlContext, type SqlFragment, type SqlOptions } from './compile.ts';
import { numeric } from './fragments.ts';
import { quoteIdent, quoteTable, SqlParams, type TableName } from './params.ts';

export interface TableOptions extends SqlOptions {
  table: TableName;
  /** Column identifying the entity (default "id"). */
  idColumn?: string;
}

/** SQL verdict of a rule: 'eligible' | 'ineligible' | 'undetermined'. */
export function verdictCase(rule: string): string {
  return `CASE ${rule} WHEN TRUE THEN 'eligible' WHEN FALSE THEN 'ineligible' ELSE 'undetermined' END`;
}

/** 'T' | 'F' | 'U', as the interpreter's evalBool answers. */
function triCase(rule: string): string {
  return `CASE ${rule} WHEN TRUE THEN 'T' WHEN FALSE THEN 'F' ELSE 'U' END`;
}

/**
 * `SELECT id, verdict FROM table` for a rule, usually an item's effective rule
 * (entity_kind = audience and region within scope and eligibility; itemVerdictSql builds
 * it). Rows: { id, verdict }.
 */
export function verdictSql(rule: Expr, ctx: SqlContext, opts: TableOptions): SqlFragment {
  const p = new SqlParams(opts.paramOffset ?? 0);
  const r = compileInto(rule, ctx, p, opts.column).bool();
  const id = quoteIdent(opts.idColumn ?? 'id');
  return { sql: `SELECT ${id} AS id, ${verdictCase(r)} AS verdict FROM ${quoteTable(opts.table)}`, params: p.values };
}

/** How many entities fall under each verdict. Rows: { verdict, n } (n is bigint). */
export function verdictCountSql(rule: Expr, ctx: SqlContext, opts: TableOptions): SqlFragment {
  const p = new SqlParams(opts.paramOffset ?? 0);
  const r = compileInto(rule, ctx, p, opts.column).bool();
  return { sql: `SELECT ${verdictCase(r)} AS verdict, count(*) AS n FROM ${quoteTable(opts.table)} GROUP BY 1`, params: p.values };
}

type ItemRuleParts = Pick<PolicyItem, 'audience' | 'region_scope' | 'eligibility' | 'valid_from' | 'valid_to' | 'amount'>;

/** The rule an item applies on ctx.day: false outside its validity (不在政策有效期内). */
function itemRule(item: ItemRuleParts, day: number): Expr {
  return inValidity(item, day) ? effectiveRule(item) : { op: 'lit', value: false };
}

/**
 * Verdict and amount of a policy item for every row on ctx.day (ctx.params resolved for
 * that day, e.g. by itemContext). Rows: { id, verdict, amount } — amount is numeric for
 * eligible rows whose formula is known, else NULL; rounded to 分 (2 places, half away
 * from zero) as evaluateItem reports it.
 */
export function itemVerdictSql(item: ItemRuleParts, ctx: SqlContext, opts: TableOptions): SqlFragment {
  const p = new SqlParams(opts.paramOffset ?? 0);
  const r = compileInto(itemRule(item, ctx.day), ctx, p, opts.column).bool();
  const amount = item.amount && inValidity(item, ctx.day) ? `round(${numeric(compileInto(item.amount, ctx, p, opts.column).value())}, 2)` : 'NULL';
  const id = quoteIdent(opts.idColumn ?? 'id');
  return {
    sql: `SELECT ${id} AS id, ${verdictCase(r)} AS verdict, CASE ${r} WHEN TRUE THEN ${amount} END::numeric AS amount FROM ${quoteTable(opts.table)}`,
    params: p.values,
  };
}

/** How many entities fall under each verdict of an item on ctx.day. Rows: { verdict, n }. */
export function itemVerdictCountSql(item: ItemRuleParts, ctx: SqlContext, opts: TableOptions): SqlFragment {
  return verdictCountSql(itemRule(item, ctx.day), ctx, opts);
}

/** One expression to evaluate in a batch: a condition (→ 'T'|'F'|'U') or a value (→ text or null). */
export interface SqlProbe {
  expr: Expr;
  ctx: SqlContext;
  as?: 'bool' | 'value';
}

/**
 * Every probe against every row, in one statement with one parameter list:
 * `SELECT id, ARRAY[…]::text[] AS results FROM table ORDER BY id`. results[i] is 'T', 'F'
 * or 'U' for a condition, and PostgreSQL's text of the value (null when unknown) for a
 * value; decodeNumber reads numbers. Parameters are shared, so a large batch of similar
 * rules stays well under PostgreSQL's 65,535 parameters.
 */
export function evaluationSql(probes: readonly SqlProbe[], opts: TableOptions): SqlFragment {
  const p = new SqlParams(opts.paramOffset ?? 0);
  const cells = probes.map((probe) => {
    const c = compileInto(probe.expr, probe.ctx, p, opts.column);
    return probe.as === 'value' ? `(${c.value().sql})::text` : triCase(c.bool());
  });
  const id = quoteIdent(opts.idColumn ?? 'id');
  const results = cells.length ? `ARRAY[${cells.join(', ')}]::text[]` : 'ARRAY[]::text[]';
  return { sql: `SELECT ${id} AS id, ${results} AS results FROM ${quoteTable(opts.table)} ORDER BY ${id}`, params: p.values };
}

/** A numeric result of evaluationSql as an exact decimal; null (unknown) → undefined. */
export function decodeNumber(text: string | null | undefined): Dec | undefined {
  return text === null || text === undefined ? undefined : dec(text);
}
