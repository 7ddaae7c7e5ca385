// kx serve: the platform service (what `npm start` runs).
import type { Command } from 'commander';
import { loadConfig } from '../../../server/src/config.ts';
import { startServer } from '../../../server/src/serve.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('启动平台服务（首次启动写入示例数据）/ start the platform service (seeds the demo on first start)')
    .option('--no-worker', '不在本进程运行任务 / do not run jobs in this process')
    .action(async (opts: { worker: boolean }) => {
      const running = await startServer(loadConfig(), { worker: opts.worker });
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
