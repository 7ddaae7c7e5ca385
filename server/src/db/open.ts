// Opens the configured database: PostgreSQL when DATABASE_URL is set, else the embedded
// PGlite in the data folder (one process at a time: see lock.ts) — and migrates it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { connectPostgres, openPglite, type Db } from './db.ts';
import { lockDataDir } from './lock.ts';
import { migrate } from './migrate.ts';

export async function openDatabase(config: Config, opts: { migrate?: boolean } = {}): Promise<Db> {
  let db: Db;
  if (config.databaseUrl) db = await connectPostgres(config.databaseUrl);
  else {
    const dir = join(config.dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    const release = lockDataDir(config.dataDir);
    try {
      db = await openPglite(dir);
    } catch (e) {
      release();
      throw e;
    }
    const close = db.close.bind(db);
    db.close = async () => {
      try {
        await close();
      } finally {
        release();
      }
    };
  }
  if (opts.migrate !== false) await migrate(db);
  return db;
}
