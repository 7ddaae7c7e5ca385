// kx import <file>: a source system's CSV / NDJSON / XLSX file into the service's profiles,
// exactly as POST /api/v1/imports does it — every row validated first, nothing written if
// any row is bad (the per-row report says which and why), else all rows in one transaction.
// The configured database (DATABASE_URL, or the embedded PGlite in KX_DATA_DIR) is migrated
// first; stop the service before importing into the embedded one.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { liaochengDictionary } from '@kx/data';
import { loadConfig } from '../../../server/src/config.ts';
import { createCtx } from '../../../server/src/context.ts';
import { openDatabase } from '../../../server/src/db/open.ts';
import { importFile, type ImportResult } from '../../../server/src/modules/profiles/imports.ts';
import { FORMATS, type Format } from '../../../server/src/modules/profiles/parse.ts';
import { checkSource } from '../../../server/src/modules/profiles/service.ts';
import { describeDatabase } from './database.ts';

interface ImportOpts {
  source: string;
  format?: string;
  asOf?: string;
  report: string;
}

/** Validation counts rows as it goes; the apply phase knows the total and shows a bar. */
function progressPrinter(): { update(p: { phase: 'validate' | 'apply'; rows: number; total?: number }): void; stop(): void } {
  const tty = process.stderr.isTTY;
  let bar: cliProgress.SingleBar | undefined;
  let nextTenth = 1;
  let stopped = false;
  return {
    update(p) {
      if (p.phase === 'validate') {
        if (tty) process.stderr.write(`\r校验 / validating: ${p.rows} 行 rows`);
        else if (p.total !== undefined) process.stderr.write(`校验 / validated: ${p.rows} 行 rows\n`);
        return;
      }
      const total = p.total ?? 0;
      if (tty) {
        if (!bar) {
          process.stderr.write('\n');
          bar = new cliProgress.SingleBar({ stream: process.stderr, format: '写入 / applying [{bar}] {percentage}% | {value}/{total} | {eta_formatted}' }, cliProgress.Presets.shades_classic);
          bar.start(total, 0);
        }
        bar.update(p.rows);
      } else if (total > 0 && p.rows * 10 >= nextTenth * total) {
        while (p.rows * 10 >= nextTenth * total) nextTenth++;
        process.stderr.write(`写入 / applying: ${p.rows}/${total}\n`);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
      if (tty && !bar) process.stderr.write('\n');
    },
  };
}

function printResult(r: ImportResult, maxLines: number, seconds: number): void {
  const status = { applied: '已写入 / applied', rejected: '已拒绝，未写入任何数据 / rejected, nothing written', failed: '失败 / failed', running: '进行中 / running' }[r.status];
  console.log(`导入 / import #${r.id}: ${status}`);
  console.log(`  行数 / rows: ${r.rows_total}（有误 / bad ${r.rows_failed}，已标记 / flagged ${r.rows_flagged}）  数据日期 / as of ${r.as_of}`);
  if (r.status === 'applied') {
    const s = r.stats;
    console.log(`  新建主体 / created ${s.entities_created}，变更主体 / changed ${s.entities_changed}，历史记录 / history rows ${s.history_rows}`);
    console.log(`  用时 / took ${seconds.toFixed(1)} s（${Math.round(r.rows_total / Math.max(seconds, 0.001))} 行/秒 rows/s）`);
  }
  const lines = r.report.slice(0, maxLines);
  if (lines.length) console.log(`  报告 / report${r.report.length > lines.length || r.report_truncated ? `（前 ${lines.length} 条 / first ${lines.length}）` : ''}:`);
  for (const l of lines) console.log(`  ${l.warning ? '提示' : '错误'} 第 ${l.row} 行 row ${l.row}${l.field ? ` [${l.field}]` : ''}: ${l.message}`);
}

export function registerImport(program: Command): void {
  program
    .command('import <file>')
    .description('导入数据源文件（CSV / NDJSON / XLSX）：逐行校验，任何一行有误则整批不写入 / import a source file; nothing is written if any row is bad')
    .requiredOption('--source <id>', '数据源系统，如 market、tax、hrss / source system')
    .option('--format <format>', `文件格式 ${FORMATS.join(' | ')}（默认按扩展名）/ file format (default: from the extension)`)
    .option('--as-of <date>', '数据日期 YYYY-MM-DD（默认今天）/ as-of date (default: today)')
    .option('--report <n>', '最多显示的报告行数 / report lines to print', '50')
    .action(async (file: string, opts: ImportOpts) => {
      checkSource({ dict: liaochengDictionary() }, opts.source);
      if (opts.format && !FORMATS.includes(opts.format as Format))
        throw new Error(`--format 应为 ${FORMATS.join('、')}，实际为 "${opts.format}" / --format must be one of ${FORMATS.join(', ')}`);
      try {
        statSync(file);
      } catch {
        throw new Error(`无法读取文件 ${file} / cannot read ${file}`);
      }
      const config = loadConfig(process.env);
      console.error(`数据库 / database: ${describeDatabase()}`);
      const db = await openDatabase(config);
      const progress = progressPrinter();
      try {
        const ctx = createCtx(config, db);
        const t0 = performance.now();
        const r = await importFile(ctx, undefined, {
          source: opts.source, filename: basename(file), content: { path: file }, actor: `cli:${userInfo().username}`,
          ...(opts.format ? { format: opts.format as Format } : {}), ...(opts.asOf ? { asOf: opts.asOf } : {}), onProgress: (p) => progress.update(p),
        });
        progress.stop();
        printResult(r, Number(opts.report) || 50, (performance.now() - t0) / 1000);
        if (r.status !== 'applied') process.exitCode = 1;
      } finally {
        progress.stop();
        await db.close();
      }
    });
}
