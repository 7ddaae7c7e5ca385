// Parameters and identifiers of generated SQL. Every value reaches PostgreSQL as a
// `$n` parameter in text form with an explicit cast at its use, so that the SQL text
// holds nothing that came from a rule, a parameter table or a fact, and any driver
// (pg, PGlite, postgres.js, a JDBC bridge on a government cloud) can send it as is.

/** SQL types of values the generator casts parameters to. */
export type SqlCast = 'numeric' | 'bigint' | 'date' | 'text' | 'boolean' | 'int' | 'numeric[]' | 'bigint[]' | 'date[]' | 'text[]' | 'boolean[]';

/** A double-quoted SQL identifier; embedded quotes are doubled, so any name is safe. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error(`标识符含有 NUL 字符：${JSON.stringify(name)} / identifier contains a NUL character`);
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A table name, optionally schema-qualified as [schema, table]. */
export type TableName = string | readonly [string, string];

export function quoteTable(t: TableName): string {
  return typeof t === 'string' ? quoteIdent(t) : `${quoteIdent(t[0])}.${quoteIdent(t[1])}`;
}

/**
 * PostgreSQL array input text. Every element is double-quoted, so NULL, commas, braces
 * and blanks inside a code are plain characters; backslash and quote are escaped.
 */
export function arrayLiteral(items: readonly string[]): string {
  return '{' + items.map((s) => '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}';
}

/**
 * Collects parameter values for one statement. Equal values with equal casts share one
 * placeholder (a rule often repeats a threshold), and numbering starts after `offset`
 * so that fragments can be spliced into a larger statement.
 */
export class SqlParams {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly offset = 0) {}

  /** The placeholder with its cast, e.g. `$3::numeric`. */
  add(value: string, cast: SqlCast): string {
    const key = cast + '\u0000' + value;
    let n = this.index.get(key);
    if (n === undefined) {
      this.values.push(value);
      n = this.offset + this.values.length;
      this.index.set(key, n);
    }
    return `$${n}::${cast}`;
  }
}
