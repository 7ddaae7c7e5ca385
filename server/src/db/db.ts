// One small interface over the two databases the platform runs on: a PostgreSQL server
// (pg pool) or the embedded PGlite. Same SQL, same migrations. Repositories write plain,
// parameterised SQL against it (docs/decisions/0008).
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[]; rowCount: number }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction; rolls back on any error. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel (NOTIFY after commit); returns the function that stops listening. */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

function pgQueryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const r = await client.query(sql, params as unknown[]);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

export async function connectPostgres(url: string, max = 10): Promise<Db> {
  const { default: pgmod } = await import('pg');
  // numeric and bigint as text: money and entity numbers must not pass through doubles.
  pgmod.types.setTypeParser(1700, (v: string) => v);
  pgmod.types.setTypeParser(20, (v: string) => v);
  pgmod.types.setTypeParser(1082, (v: string) => v); // date as YYYY-MM-DD
  const pool = new pgmod.Pool({ connectionString: url, max });
  // An idle client the server disconnects (restart, DROP DATABASE … FORCE) must not crash the process.
  pool.on('error', () => {});
  const base = pgQueryable(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async tx(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const r = await fn(pgQueryable(c));
        await c.query('COMMIT');
        return r;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    async listen(channel, fn) {
      // A connection of its own, outside the pool: LISTEN lasts as long as the session.
      const client = new pgmod.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel) fn(n.payload ?? '');
      });
      await client.query(`LISTEN "${channel.replace(/"/g, '')}"`);
      return async () => {
        await client.end().catch(() => {});
      };
    },
    close: () => pool.end(),
  };
}

export async function openPglite(dir: string | undefined): Promise<Db> {
  const { PGlite: Lite, types } = await import('@electric-sql/pglite');
  const parsers = { [types.NUMERIC]: (v: string) => v, [types.INT8]: (v: string) => v, [types.DATE]: (v: string) => v };
  const db: PGlite = dir ? new Lite(dir, { parsers }) : new Lite({ parsers });
  await db.waitReady;
  const q = (runner: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await runner.query<T>(sql, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await runner.exec(sql);
    },
  });
  const base = q(db);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    tx: (fn) => db.transaction((t) => fn(q(t))),
    async listen(channel, fn) {
      const stop = await db.listen(channel, fn);
      return async () => {
        if (!db.closed) await stop();
      };
    },
    close: () => db.close(),
  };
}
