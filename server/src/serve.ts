// `npm start` / `kx serve`: open (and migrate) the database, seed the demo on first start,
// run the job worker in-process (the embedded PGlite allows one process; with PostgreSQL,
// more `kx worker` processes may join), listen, and say where and how to log in. With
// KX_HTTP_PROCESSES > 1 (PostgreSQL only) this process forks that many HTTP server processes
// sharing the port (node:cluster, decision 0029) and keeps the jobs for itself.
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { buildApp, closeApp, type App } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { createCtx, type Ctx } from './context.ts';
import { openDatabase } from './db/open.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './seed/accounts.ts';
import { isSeeded, seedDemo } from './seed/demo.ts';
import { createWorker, type RunningWorker } from './worker.ts';
import { buildWeb, webBuildStale } from './http/web.ts';

export interface Running {
  /** The HTTP app when this process serves (one process); absent when forked processes do. */
  app?: App;
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
  if (config.httpProcesses > 1) return startProcesses(config, ctx, opts.web !== false, opts.worker !== false, log);
  const app = await buildApp(ctx, { web: opts.web !== false });
  let worker: RunningWorker | undefined;
  if (opts.worker !== false) {
    worker = await createWorker(ctx, { warm: true, log: (m) => app.log.info(m) });
    void worker.start();
  }
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const url = announce(config, typeof addr === 'object' && addr ? addr.port : config.port, log);
  return {
    app, ctx, url,
    close: async () => {
      await worker?.stop();
      await closeApp(app);
      await db.close();
    },
  };
}

/**
 * Forks config.httpProcesses server processes on the shared port, restarts one that dies, and
 * runs the jobs here (they need one warm snapshot, not one per server process).
 */
async function startProcesses(config: Config, ctx: Ctx, web: boolean, jobs: boolean, log: (s: string) => void): Promise<Running> {
  cluster.setupPrimary({
    exec: fileURLToPath(new URL('./http-process.ts', import.meta.url)),
    execArgv: ['--import', import.meta.resolve('tsx')],
    // The forked processes answer on the shared port; what they print is theirs to say.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const env = { KX_SERVE_WEB: web ? '1' : '0' };
  let stopping = false;
  /** The processes alive, each with the promise of its exit. */
  const alive = new Map<ClusterWorker, Promise<void>>();
  /** Starts one server process; resolves with its port once it listens. */
  const fork = (): Promise<number> => {
    const w = cluster.fork(env);
    alive.set(w, new Promise<void>((resolve) => w.once('exit', () => resolve())).then(() => void alive.delete(w)));
    let served = false;
    w.on('exit', (code, signal) => {
      // One that never answered (bad configuration, no database) would fail again: not restarted.
      if (stopping || !served) return;
      log(`服务进程 ${w.process.pid} 退出（${signal ?? code}），重新启动 / server process ${w.process.pid} exited (${signal ?? code}), starting another`);
      fork().catch((e: unknown) => log(e instanceof Error ? e.message : String(e)));
    });
    return new Promise<number>((resolve, reject) => {
      w.once('listening', (address) => {
        served = true;
        resolve(address.port);
      });
      w.once('exit', (code) => reject(new Error(`服务进程启动失败 / a server process failed to start (exit ${code})`)));
    });
  };
  const stopAll = async () => {
    stopping = true;
    for (const w of alive.keys()) w.process.kill('SIGTERM');
    await Promise.all(alive.values());
  };
  const starting = Array.from({ length: config.httpProcesses }, fork);
  for (const s of starting) s.catch(() => {}); // the first failure is the one reported
  const [port] = await Promise.all(starting).catch(async (e: unknown) => {
    await stopAll();
    await ctx.db.close();
    throw e;
  });
  let worker: RunningWorker | undefined;
  if (jobs) {
    worker = await createWorker(ctx, { warm: true, log });
    void worker.start();
  }
  const url = announce(config, port, log);
  log(`  服务进程 / server processes: ${config.httpProcesses}`);
  return {
    ctx, url,
    close: async () => {
      stopping = true;
      await worker?.stop();
      await stopAll();
      await ctx.db.close();
    },
  };
}

/** Says where the platform answers and how to log in; returns its URL. */
function announce(config: Config, port: number, log: (s: string) => void): string {
  const url = `http://${config.host}:${port}`;
  log(`\n政策快享 Kuaixiang 已启动 / is running: ${url}`);
  log(`  门户 / portal: ${url}/   工作台 / console: ${url}/console`);
  log(`  API 文档 / API docs: ${url}/api/v1/docs   健康检查 / health: ${url}/api/v1/health`);
  log(`  数据库 / database: ${config.databaseUrl ? 'PostgreSQL' : `PGlite (${config.dataDir})`}`);
  if (config.clockStart) log(`  时钟 / clock: 从 ${config.clockStart.toISOString()} 起走（KX_CLOCK）/ runs from ${config.clockStart.toISOString()} (KX_CLOCK)`);
  if (config.seedDemo) {
    log(`  示例账号（密码均为 ${DEMO_PASSWORD}）/ demo logins (password ${DEMO_PASSWORD}):`);
    for (const a of DEMO_ACCOUNTS) log(`    ${a.username.padEnd(14)} ${a.role.padEnd(10)} ${a.display_name}`);
    log('    …以及其他各部门的 <部门代码>-clerk / -approver / -leader / -payout（如 lc-czj-clerk）');
    log('    … and <department code>-clerk / -approver / -leader / -payout for every other department (e.g. lc-czj-clerk)');
  }
  return url;
}
