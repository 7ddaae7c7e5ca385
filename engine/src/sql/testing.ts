// For tests and benchmarks: a table with one column per dictionary field and the rows
// of normalized entities, so that generated SQL can be run against known facts. Works
// with any client that has query(sql, params) → { rows } (pg's Client, PGlite).
import type { Dictionary, FieldDef } from '../dictionary/types.ts';
import { ENTITY_KIND_FIELD } from '../dictionary/types.ts';
import { formatDate } from '../values/dates.ts';
import { numToString } from '../values/decimal.ts';
import type { Entity, Value } from '../values/facts.ts';
import { SQL_COLUMN_TYPE } from './compile.ts';
import { arrayLiteral, quoteIdent, quoteTable, type TableName } from './params.ts';

export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Stays under PostgreSQL's 65,535 parameters per statement. */
const MAX_PARAMS = 60_000;

function columns(dict: Dictionary): FieldDef[] {
  return [...dict.fields.values()];
}

/** CREATE TABLE with "id" text primary key and a column per field (SQL_COLUMN_TYPE). */
export function createTableSql(dict: Dictionary, table: TableName, opts: { temporary?: boolean; idColumn?: string } = {}): string {
  const cols = columns(dict).map((f) => `${quoteIdent(f.key)} ${SQL_COLUMN_TYPE[f.type]}${f.key === ENTITY_KIND_FIELD ? ' NOT NULL' : ''}`);
  return `CREATE ${opts.temporary ? 'TEMPORARY ' : ''}TABLE ${quoteTable(table)} (${quoteIdent(opts.idColumn ?? 'id')} text PRIMARY KEY, ${cols.join(', ')})`;
}

/** A normalized fact in PostgreSQL's text input form for its column type. */
export function factText(def: FieldDef, v: Value): string {
  switch (def.type) {
    case 'int':
    case 'dec':
      return numToString(v as number);
    case 'date':
      return formatDate(v as number);
    case 'bool':
      return v ? 'true' : 'false';
    case 'set':
      return arrayLiteral(v as string[]);
    default:
      return v as string;
  }
}

/**
 * INSERT statements for entities (ids default to their index), batched by the parameter
 * limit. An absent fact is NULL; entity_kind comes from the entity's kind.
 */
export function insertEntitiesSql(
  dict: Dictionary,
  table: TableName,
  entities: readonly Entity[],
  idColumn = 'id',
): { sql: string; params: (string | null)[] }[] {
  const defs = columns(dict);
  const head = `INSERT INTO ${quoteTable(table)} (${[idColumn, ...defs.map((f) => f.key)].map(quoteIdent).join(', ')}) VALUES `;
  const perRow = defs.length + 1;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  const out: { sql: string; params: (string | null)[] }[] = [];
  for (let start = 0; start < entities.length; start += rowsPerStatement) {
    const params: (string | null)[] = [];
    const rows = entities.slice(start, start + rowsPerStatement).map((e, i) => {
      const cells: (string | null)[] = [e.id ?? String(start + i)];
      const casts = ['text'];
      for (const f of defs) {
        const v = f.key === ENTITY_KIND_FIELD ? e.kind : e.facts[f.key];
        cells.push(v === undefined ? null : factText(f, v));
        casts.push(SQL_COLUMN_TYPE[f.type]);
      }
      const base = params.length;
      params.push(...cells);
      return `(${casts.map((c, j) => `$${base + j + 1}::${c}`).join(', ')})`;
    });
    out.push({ sql: head + rows.join(', '), params });
  }
  return out;
}

/** Creates the table and inserts the entities. */
export async function loadEntities(
  db: SqlExecutor,
  dict: Dictionary,
  table: TableName,
  entities: readonly Entity[],
  opts: { temporary?: boolean } = {},
): Promise<void> {
  await db.query(createTableSql(dict, table, opts));
  for (const stmt of insertEntitiesSql(dict, table, entities)) await db.query(stmt.sql, stmt.params);
}
