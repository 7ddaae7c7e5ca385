// `npm start` / `kx serve`: open (and migrate) the database, seed the demo on first start,
// run the job worker in-process (the embedded PGlite allows one process; with PostgreSQL,
// more `kx worker` processes may join), listen, and say where and how to log in.
import { buildApp, type App } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { createCtx, type Ctx } from './context.ts';
import { openDatabase } from './db/open.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './seed/accounts.ts';
import { isSeeded, seedDemo } from './seed/demo.ts';
import { createWorker, type RunningWorker } from './worker.ts';
import { buildWeb, webBuildStale } from './http/web.ts';

export interface Running {
  app: App;
  ctx: Ctx;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Config = loadConfig(), opts: { worker?: boolean; web?: boolean; log?: (s: string) => void } = {}): Promise<Running> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const db = await openDatabase(config);
  const ctx = createCtx(config, db);
  if (config.seedDemo && !(await isSeeded(ctx))) {
    log('首次启动：写入示例数据 / first start: seeding the demo …');
    await seedDemo(ctx, log);
  }
  if (opts.web !== false && webBuildStale()) await buildWeb(log);
  const app = await buildApp(ctx, { web: opts.web !== false });
  let worker: RunningWorker | undefined;
  if (opts.worker !== false) {
    worker = await createWorker(ctx, { warm: true, log: (m) => app.log.info(m) });
    void worker.start();
  }
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host}:${port}`;
  log(`\n政策快享 Kuaixiang 已启动 / is running: ${url}`);
  log(`  门户 / portal: ${url}/   工作台 / console: ${url}/console`);
  log(`  API 文档 / API docs: ${url}/api/v1/docs   健康检查 / health: ${url}/api/v1/health`);
  log(`  数据库 / database: ${config.databaseUrl ? 'PostgreSQL' : `PGlite (${config.dataDir})`}`);
  if (config.seedDemo) {
    log(`  示例账号（密码均为 ${DEMO_PASSWORD}）/ demo logins (password ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) log(`    ${a.username.padEnd(14)} ${a.role.padEnd(10)} ${a.display_name}`);
    log('    …以及其他各部门的 <部门代码>-clerk / -approver / -leader / -payout（如 lc-czj-clerk）');
    log('    … and <department code>-clerk / -approver / -leader / -payout for every other department (e.g. lc-czj-clerk)');
  }
  return {
    app, ctx, url,
    close: async () => {
      await worker?.stop();
      await app.close();
      await db.close();
    },
  };
}
