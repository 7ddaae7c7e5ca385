// kx grant run: the 免申即享 grant run on the configured database (DATABASE_URL, or PGlite in
// KX_DATA_DIR). Progress and notes go to stderr; stdout carries exactly one JSON line,
// {"created","already_granted","blocked_by_budget","seconds"}, for scripts. Safe to repeat and
// to kill: each chunk is one transaction and every grant is keyed by (entity, item, period).
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../../server/src/config.ts';
import { createCtx } from '../../../server/src/context.ts';
import { runGrants, type GrantRunProgress } from '../../../server/src/modules/grants/run.ts';
import { withServerDatabase } from './database.ts';

function progressBar(stepPercent: number): { update(p: GrantRunProgress): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: '发放 / granting [{bar}] {percentage}% | 完成单元 / units {unit}/{units} | 已发放 / created {created} | {eta_formatted}', etaBuffer: 20 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1000, 0, { unit: 0, units: 0, created: 0 });
    return { update: (p) => bar.update(Math.round(p.fraction * 1000), { unit: p.unitsDone, units: p.units, created: p.created }), stop: () => bar.stop() };
  }
  // Not a terminal (a log file, a test): a line when the work starts, then about every
  // `stepPercent` (10 by default; the crash test asks for 1 to see each chunk commit).
  const steps = 100 / stepPercent;
  let next = 1;
  let started = false;
  return {
    update(p) {
      if (!started) {
        started = true;
        process.stderr.write(`发放 / granting: 0% (${p.units} 个发放单元 / units)\n`);
      }
      const f = p.fraction;
      if (f * steps < next) return;
      while (f * steps >= next) next++;
      process.stderr.write(`发放 / granting: ${Math.floor(f * 100)}% (单元 / units ${p.unitsDone}/${p.units}, 已发放 / created ${p.created})\n`);
    },
    stop() {},
  };
}

export function registerGrant(program: Command): void {
  const grant = program.command('grant').description('免申即享发放 / auto-grants (免申即享)');
  grant
    .command('run')
    .description('为符合条件的主体发放免申即享待遇，可重复运行 / grant every eligible entity its auto-grant items; safe to repeat')
    .option('--item <id>', '只运行一个事项 / one item only')
    .option('--date <YYYY-MM-DD>', '发放日期：决定有效事项与期间（默认今天）/ run date: items in force and period (default today)')
    .option('--chunk <n>', '每个事务的主体数 / entities per transaction', '5000')
    .option('--concurrency <n>', '同时进行的事务数（仅 PostgreSQL）/ transactions at once (PostgreSQL only)', '4')
    .option('--progress-step <percent>', '非终端输出时每隔多少百分比输出一行进度 / without a terminal, a progress line every this many percent', '10')
    .action(async (opts: { item?: string; date?: string; chunk: string; concurrency: string; progressStep: string }) => {
      const chunkSize = Number(opts.chunk);
      if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 100_000)
        throw new Error(`--chunk 应为 1 到 100000 的整数，实际为 "${opts.chunk}" / --chunk must be an integer from 1 to 100000, got "${opts.chunk}"`);
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
        throw new Error(`--concurrency 应为 1 到 64 的整数，实际为 "${opts.concurrency}" / --concurrency must be an integer from 1 to 64, got "${opts.concurrency}"`);
      const step = Number(opts.progressStep);
      if (!Number.isInteger(step) || step < 1 || step > 100)
        throw new Error(`--progress-step 应为 1 到 100 的整数，实际为 "${opts.progressStep}" / --progress-step must be an integer from 1 to 100, got "${opts.progressStep}"`);
      const config = loadConfig(process.env);
      const report = await withServerDatabase(async (db) => {
        const bar = progressBar(step);
        try {
          return await runGrants(createCtx(config, db), { item: opts.item, date: opts.date, chunkSize, concurrency, actor: 'cli:kx-grant-run', onProgress: (p) => bar.update(p) });
        } finally {
          bar.stop();
        }
      });
      for (const x of report.exhausted)
        process.stderr.write(`${x.reason === 'budget' ? '预算' : '名额'}已用尽 / ${x.reason} used up: ${x.item} ${x.period}，${x.blocked} 个主体未获发放 / left without a grant\n`);
      for (const item of report.waiting) process.stderr.write(`等待匹配 / waiting for matching: ${item}（已发布版本尚未完成匹配 / its published version is not matched yet）\n`);
      const { created, already_granted, blocked_by_budget, seconds } = report;
      process.stdout.write(`${JSON.stringify({ created, already_granted, blocked_by_budget, seconds })}\n`);
    });
}
