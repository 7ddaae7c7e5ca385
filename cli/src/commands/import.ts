// kx import <file>: a source system's CSV / NDJSON / XLSX file into the service's profiles,
// exactly as POST /api/v1/imports does it — every row validated first, nothing written if
// any row is bad (the per-row report says which and why), else all rows in one transaction.
// The configured database (DATABASE_URL, or the embedded PGlite in KX_DATA_DIR) is migrated
// first; stop the service before importing into the embedded one.
//
// kx import <file> --bulk: the first load of a population (millions of rows): new entities only,
// one statement per chunk, invalid rows skipped and reported, existing entities left alone
// (server/src/modules/profiles/bulk.ts, docs/decisions/0015).
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { liaochengDictionary } from '@kx/data';
import { loadConfig } from '../../../server/src/config.ts';
import { createCtx } from '../../../server/src/context.ts';
import { openDatabase } from '../../../server/src/db/open.ts';
import { importFile, type ImportResult } from '../../../server/src/modules/profiles/imports.ts';
import { bulkLoad, type BulkRecord } from '../../../server/src/modules/profiles/bulk.ts';
import { FORMATS, formatOf, readRows, type Format } from '../../../server/src/modules/profiles/parse.ts';
import { checkSource } from '../../../server/src/modules/profiles/service.ts';
import { describeDatabase } from './database.ts';

interface ImportOpts {
  source: string;
  format?: string;
  asOf?: string;
  report: string;
  bulk?: boolean;
}

/** --bulk: parse the file as it streams, load new entities chunk by chunk; prints what it did. */
async function importBulk(ctx: ReturnType<typeof createCtx>, file: string, opts: ImportOpts): Promise<boolean> {
  const format = (opts.format as Format | undefined) ?? formatOf(file);
  if (!format) throw new Error(`无法从文件名判断格式，请用 --format 指定 / cannot tell the format from the file name; give --format`);
  const unreadable: { row: number; message: string }[] = [];
  async function* records(): AsyncGenerator<BulkRecord> {
    for await (const r of readRows(ctx.dict, format!, createReadStream(file))) {
      if (r.header) {
        if (r.issues?.length) throw new Error(`表头有误 / bad header: ${r.issues.map((i) => i.message).join('; ')}`);
        continue;
      }
      if (r.raw) yield { row: r.row, raw: r.raw };
      else unreadable.push({ row: r.row, message: (r.issues ?? []).map((i) => i.message).join('; ') });
    }
  }
  let next = 100_000;
  const r = await bulkLoad(ctx, records(), {
    source: opts.source, format, filename: basename(file), actor: `cli:${userInfo().username}`, ...(opts.asOf ? { asOf: opts.asOf } : {}),
    onProgress: (p) => {
      if (p.rows < next) return;
      next += 100_000;
      process.stderr.write(`写入 / loading: ${p.rows} 行 rows，新建 / created ${p.created}\n`);
    },
  });
  console.log(`批量导入 / bulk import #${r.import_id}: ${r.rows + unreadable.length} 行 rows`);
  console.log(`  新建主体 / created ${r.created}，已存在而跳过 / skipped (existing) ${r.skipped}，有误 / bad ${r.failed + unreadable.length}，已标记 / flagged ${r.flagged}，历史记录 / history rows ${r.history_rows}`);
  console.log(`  用时 / took ${r.seconds.toFixed(1)} s（${Math.round(r.rows / Math.max(r.seconds, 0.001))} 行/秒 rows/s）${r.created ? '；已排队全量匹配 / full re-match queued' : ''}`);
  const lines = [...unreadable, ...r.report].sort((a, b) => a.row - b.row).slice(0, Number(opts.report) || 50);
  for (const l of lines) console.log(`  错误 第 ${l.row} 行 row ${l.row}: ${l.message}`);
  return r.failed + unreadable.length === 0;
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
    .option('--bulk', '批量首次导入：只新建主体（已存在的跳过），有误的行跳过并报告，适合数百万行 / bulk first load: new entities only, bad rows skipped and reported; for millions of rows')
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
      if (opts.bulk) {
        try {
          if (!(await importBulk(createCtx(config, db), file, opts))) process.exitCode = 1;
        } finally {
          await db.close();
        }
        return;
      }
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
