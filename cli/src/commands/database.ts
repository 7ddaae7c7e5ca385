// The operator commands open the very database the service uses, from the same
// configuration (DATABASE_URL, or the embedded PGlite in KX_DATA_DIR). The embedded
// database admits one process at a time: while the service has it open, opening it here
// fails with DataDirLocked (server/src/db/lock.ts), whose message tells the operator to stop
// the service first or to use PostgreSQL.
import { loadConfig } from '../../../server/src/config.ts';
import type { Db } from '../../../server/src/db/db.ts';
import { openDatabase } from '../../../server/src/db/open.ts';

export function describeDatabase(env: Record<string, string | undefined> = process.env): string {
  const config = loadConfig(env);
  if (!config.databaseUrl) return `PGlite ${config.dataDir}`;
  const u = new URL(config.databaseUrl);
  return `PostgreSQL ${u.host}${u.pathname}`;
}

/** Runs fn on the configured database (never migrating it implicitly) and closes it. */
export async function withServerDatabase<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig(process.env), { migrate: false });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
