// One HTTP server process of several (KX_HTTP_PROCESSES > 1, started by serve.ts through
// node:cluster): the same configuration from the environment, the database the primary has
// already migrated and seeded, the API and portal on the shared port. Jobs run elsewhere
// (the primary, or `kx worker`).
import cluster from 'node:cluster';
import { buildApp, closeApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createCtx } from './context.ts';
import { openDatabase } from './db/open.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, { migrate: false });
  const ctx = createCtx(config, db);
  const app = await buildApp(ctx, { web: process.env.KX_SERVE_WEB !== '0' });
  await app.listen({ port: config.port, host: config.host });
  // The primary stops us with SIGTERM (until here, its default ends a process still starting).
  // Ctrl-C reaches every process of the terminal: the primary decides, through SIGTERM.
  const stop = async () => {
    await closeApp(app);
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  // The primary gone (killed) means nobody will ask us to stop: go too.
  process.once('disconnect', () => void stop());
}

if (cluster.isWorker) {
  process.on('SIGINT', () => {});
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
