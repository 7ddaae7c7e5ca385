// The databases the SQL evaluator is tested on: PGlite always, and the real PostgreSQL
// named by DATABASE_URL when it is set. Tests run `describe.each(TEST_DATABASES)`.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { SqlExecutor } from '../../src/sql/testing.ts';
import { evaluationSql, type SqlProbe } from '../../src/sql/verdict.ts';

export interface OpenDatabase extends SqlExecutor {
  close(): Promise<void>;
}

export interface TestDatabase {
  name: string;
  open(): Promise<OpenDatabase>;
}

const pglite: TestDatabase = {
  name: 'PGlite',
  async open() {
    const db = new PGlite();
    await db.waitReady;
    return {
      query: async (sql, params) => ({ rows: (await db.query<Record<string, unknown>>(sql, params)).rows }),
      close: () => db.close(),
    };
  },
};

const postgres = (url: string): TestDatabase => ({
  name: 'PostgreSQL',
  async open() {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      query: async (sql, params) => ({ rows: (await client.query(sql, params)).rows as Record<string, unknown>[] }),
      close: () => client.end(),
    };
  },
});

export const TEST_DATABASES: TestDatabase[] = [pglite, ...(process.env.DATABASE_URL ? [postgres(process.env.DATABASE_URL)] : [])];

/** The zones of TEST_DICT's region tree (engine/test/fixtures.ts), which the tree does not list. */
export const TEST_ZONES = [{ code: 'LC-JKQ', members: ['371502008', '371502009', '371502010', '371502116'] }];

/** A table name no other test file (or engineer sharing the database) will pick. */
export function uniqueTable(stem: string): string {
  return `kx_${stem}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Runs evaluationSql and returns each row's results by id, in id order. */
export async function runProbes(db: SqlExecutor, probes: readonly SqlProbe[], table: string): Promise<Map<string, (string | null)[]>> {
  const q = evaluationSql(probes, { table });
  const { rows } = await db.query(q.sql, q.params);
  return new Map(rows.map((r) => [r.id as string, r.results as (string | null)[]]));
}
