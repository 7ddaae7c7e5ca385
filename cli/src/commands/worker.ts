// kx worker: a job worker on the configured database (any number, on any machines, share the
// queue). kx match: an operator's run of the matching, here and now, with a progress bar on
// stderr and one JSON summary line on stdout.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../../server/src/config.ts';
import { createCtx, type Ctx } from '../../../server/src/context.ts';
import { openDatabase } from '../../../server/src/db/open.ts';
import { refreshEntity } from '../../../server/src/modules/matching/entity.ts';
import { runFull, runItem } from '../../../server/src/modules/matching/runs-service.ts';
import { matchingState } from '../../../server/src/modules/matching/state.ts';
import { createWorker } from '../../../server/src/worker.ts';
import { ColumnarPool } from '@kx/engine';

function positive(name: string) {
  return (v: string): number => {
    if (!/^[1-9]\d*$/.test(v)) throw new Error(`${name} 应为正整数，实际为 "${v}" / ${name} must be a positive integer, got "${v}"`);
    return Number(v);
  };
}

async function withCtx<T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config, { migrate: false });
  try {
    return await fn(createCtx(config, db));
  } finally {
    await db.close();
  }
}

/** A bar on a terminal, a line about every 10% otherwise. */
function progressBar(label: string): { update(fraction: number): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label} [{bar}] {percentage}% | {duration_formatted}` }, cliProgress.Presets.shades_classic);
    bar.start(100, 0);
    return { update: (f) => bar.update(Math.round(f * 100)), stop: () => bar.stop() };
  }
  let next = 0.1;
  return {
    update(f) {
      if (f + 1e-9 < next) return;
      process.stderr.write(`${label}: ${Math.floor(f * 100)}%\n`);
      while (next <= f + 1e-9) next += 0.1;
    },
    stop() {},
  };
}

const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`);

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('运行任务进程：匹配、到期等（多个进程可在多台机器上共享队列）/ run a job worker: matching, expiry… (any number share the queue)')
    .option('--threads <n>', '列式计算的工作线程数（默认全部核心）/ worker threads for columnar evaluation (default: all cores)', positive('--threads'))
    .option('--concurrency <n>', '同时处理的主体匹配任务数 / entity jobs at once', positive('--concurrency'), 8)
    .option('--once', '处理完当前就绪的任务后退出 / process the ready jobs, then exit')
    .option('--no-warm', '启动时不预先加载人口快照 / do not load the population snapshot at start')
    .action(async (opts: { threads?: number; concurrency: number; once?: boolean; warm: boolean }) => {
      await withCtx(async (ctx) => {
        const worker = await createWorker(ctx, { threads: opts.threads, entityConcurrency: opts.concurrency, warm: opts.warm && !opts.once, log });
        if (opts.once) {
          const n = await worker.drain();
          await worker.stop();
          console.log(JSON.stringify({ jobs: n }));
          return;
        }
        log(`worker started (${opts.threads ?? 'all'} threads, ${opts.concurrency} entity jobs at once)`);
        const stop = () => {
          log('stopping: finishing the jobs under way');
          void worker.stop();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await worker.start();
        await worker.stop();
      });
    });

  program
    .command('match')
    .description('立即运行匹配：全量、某事项或某主体 / run the matching now: everything, one item, or one entity')
    .option('--all', '全量重新匹配 / full re-match of every item in force')
    .option('--item <id>', '匹配一个事项（默认其发布版本）/ match one item (its published version by default)')
    .option('--version <n>', '与 --item 一起：事项版本 / with --item: the item version', positive('--version'))
    .option('--entity <id>', '重新匹配一个主体 / re-match one entity')
    .option('--threads <n>', '工作线程数 / worker threads', positive('--threads'))
    .action(async (opts: { all?: boolean; item?: string; version?: number; entity?: string; threads?: number }) => {
      const chosen = [opts.all, opts.item, opts.entity].filter((x) => x !== undefined).length;
      if (chosen !== 1) throw new Error('请指定 --all、--item <id> 或 --entity <id> 之一 / give one of --all, --item <id>, --entity <id>');
      await withCtx(async (ctx) => {
        const state = matchingState(ctx);
        let summary: unknown;
        if (opts.entity) summary = await refreshEntity(ctx, opts.entity);
        else {
          state.pool = await ColumnarPool.create(opts.threads, { warmUp: true });
          const bar = progressBar(opts.all ? '全量匹配 / full re-match' : `事项 / item ${opts.item}`);
          try {
            if (opts.all) summary = await runFull(ctx, { progress: (p) => bar.update(p) });
            else {
              let version = opts.version;
              if (version === undefined) {
                const r = await ctx.db.query<{ v: number | null }>('SELECT published_version AS v FROM items WHERE id = $1', [opts.item]);
                if (!r.rows[0]) throw new Error(`事项 ${opts.item} 不存在 / no item ${opts.item}`);
                if (r.rows[0].v === null) throw new Error(`事项 ${opts.item} 没有已发布的版本 / item ${opts.item} has no published version`);
                version = r.rows[0].v;
              }
              summary = await runItem(ctx, opts.item!, version, { progress: (p) => bar.update(p) });
            }
            bar.update(1);
          } finally {
            bar.stop();
            await state.pool.close();
          }
        }
        console.log(JSON.stringify(summary));
      });
    });
}
