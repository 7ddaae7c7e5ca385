// kx payout export | import: the payment file of a batch for the finance system, and the
// bank's answer back, on the configured database (DATABASE_URL, or PGlite in KX_DATA_DIR).
// Both are safe to repeat: a second export writes the same rows and moves nothing; a second
// import of the same answer changes nothing. Progress and notes go to stderr; stdout carries
// one JSON summary line for scripts. The export holds account numbers in clear: it is written
// readable by its owner only, and every export is in the audit log (actor cli:<user>).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../../server/src/config.ts';
import { createCtx } from '../../../server/src/context.ts';
import { DomainError } from '../../../server/src/errors.ts';
import { exportBatch } from '../../../server/src/modules/payouts/export.ts';
import { consoleOperator } from '../../../server/src/modules/payouts/officer.ts';
import { importResults } from '../../../server/src/modules/payouts/results.ts';
import type { RowError } from '../../../server/src/modules/payouts/schema.ts';
import { withServerDatabase } from './database.ts';

function progress(label: string): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label} [{bar}] {value}/{total}` }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

function batchId(raw: string): string {
  if (!/^[0-9]{1,18}$/.test(raw)) throw new Error(`--batch 应为批次号（数字），实际为 "${raw}" / --batch must be a batch number, got "${raw}"`);
  return raw;
}

export function registerPayout(program: Command): void {
  const payout = program.command('payout').description('兑现拨付：导出拨付文件、导入银行回盘 / payouts: export the payment file, import the bank’s results');
  payout
    .command('export')
    .description('导出批次的拨付文件（含明文账号，记入审计日志），可重复运行 / write a batch’s payment file (accounts in clear, audited); safe to repeat')
    .requiredOption('--batch <id>', '批次号 / batch id')
    .option('--format <csv|xlsx>', '文件格式 / file format', 'csv')
    .requiredOption('--out <file>', '输出文件 / output file')
    .action(async (opts: { batch: string; format: string; out: string }) => {
      if (opts.format !== 'csv' && opts.format !== 'xlsx') throw new Error(`--format 应为 csv 或 xlsx，实际为 "${opts.format}" / --format must be csv or xlsx, got "${opts.format}"`);
      const format = opts.format;
      const id = batchId(opts.batch);
      const config = loadConfig(process.env);
      const file = await withServerDatabase(async (db) => {
        const bar = progress('导出 / exporting');
        try {
          return await exportBatch(createCtx(config, db), consoleOperator(), id, format, { onProgress: (d, t) => bar.update(d, t) });
        } finally {
          bar.stop();
        }
      });
      // Written beside the target and renamed: a reader never sees half a file.
      const tmp = `${opts.out}.part`;
      writeFileSync(tmp, file.body, { mode: 0o600 });
      renameSync(tmp, opts.out);
      process.stderr.write(`已导出批次 ${id}：${file.lines} 笔，文件 ${opts.out}（含明文账号，请妥善保管）/ batch ${id} exported: ${file.lines} lines to ${opts.out} (accounts in clear: keep it safe)\n`);
      process.stdout.write(`${JSON.stringify({ batch: id, format, lines: file.lines, sha256: file.sha256, file: opts.out })}\n`);
    });
  payout
    .command('import')
    .description('导入银行回盘结果（CSV 或 XLSX），逐行校验，有错则不做任何更改；可重复运行 / import the bank’s results; every row is checked first and nothing is applied if one is wrong; safe to repeat')
    .requiredOption('--batch <id>', '批次号 / batch id')
    .argument('<file>', '银行结果文件 / the bank’s results file')
    .action(async (path: string, opts: { batch: string }) => {
      const id = batchId(opts.batch);
      const body = readFileSync(path);
      const config = loadConfig(process.env);
      try {
        const summary = await withServerDatabase(async (db) => {
          const bar = progress('导入 / importing');
          try {
            return await importResults(createCtx(config, db), consoleOperator(), id, body, { onProgress: (d, t) => bar.update(d, t) });
          } finally {
            bar.stop();
          }
        });
        process.stderr.write(
          `批次 ${id}：本次成功 ${summary.paid} 笔、失败 ${summary.failed} 笔、此前已记录 ${summary.unchanged} 笔，尚待回盘 ${summary.unanswered} 笔，批次状态 ${summary.status} / ` +
            `batch ${id}: ${summary.paid} paid, ${summary.failed} failed, ${summary.unchanged} already recorded, ${summary.unanswered} unanswered, status ${summary.status}\n`,
        );
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } catch (e) {
        const rows = e instanceof DomainError ? (e.details as { errors?: RowError[] } | undefined)?.errors : undefined;
        if (rows) for (const r of rows) process.stderr.write(`  第 ${r.row} 行 / row ${r.row} [${r.code}] ${r.message} / ${r.message_en}\n`);
        throw e;
      }
    });
}
