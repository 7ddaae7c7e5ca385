// kx serve: the platform service (what `npm start` runs).
import type { Command } from 'commander';
import { loadConfig } from '../../../server/src/config.ts';
import { startServer } from '../../../server/src/serve.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('启动平台服务（首次启动写入示例数据）/ start the platform service (seeds the demo on first start)')
    .option('--no-worker', '不在本进程运行任务 / do not run jobs in this process')
    .option('--no-web', '只提供 API，不提供门户页面 / serve the API only, not the portal pages')
    .addHelpText('after', '\n多个服务进程（需 PostgreSQL）/ several server processes (PostgreSQL only): KX_HTTP_PROCESSES=2 kx serve')
    .action(async (opts: { worker: boolean; web: boolean }) => {
      const running = await startServer(loadConfig(), { worker: opts.worker, web: opts.web });
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
