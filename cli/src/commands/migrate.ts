// kx migrate: applies the service's pending SQL migrations (server/migrations) to the
// configured database, in order, each once; safe to run again and from several machines.
import type { Command } from 'commander';
import { migrate } from '../../../server/src/db/migrate.ts';
import { describeDatabase, withServerDatabase } from './database.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('应用数据库迁移（DATABASE_URL 或 KX_DATA_DIR 中的 PGlite）/ apply database migrations (DATABASE_URL, or PGlite in KX_DATA_DIR)')
    .action(async () => {
      const where = describeDatabase();
      const { applied } = await withServerDatabase((db) => migrate(db));
      if (applied.length === 0) console.log(`数据库已是最新 / the database is up to date (${where})`);
      else {
        console.log(`已应用 ${applied.length} 个迁移 / applied ${applied.length} migration(s) (${where}):`);
        for (const m of applied) console.log(`  ${m}`);
      }
    });
}
