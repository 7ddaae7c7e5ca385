// `kx payout export | import` as an operator runs them: real child processes on a PGlite
// data folder, and on a PostgreSQL database when DATABASE_URL is set.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config.ts';
import { createCtx } from '../../../server/src/context.ts';
import { connectPostgres, type Db } from '../../../server/src/db/db.ts';
import { openDatabase } from '../../../server/src/db/open.ts';
import { createBatch } from '../../../server/src/modules/payouts/batches.ts';
import { parseCsv, toCsv } from '../../../server/src/modules/payouts/csv.ts';
import { consoleOperator } from '../../../server/src/modules/payouts/officer.ts';
import { seedEntity, seedGrant, seedItem } from '../../../server/src/modules/payouts/testing.ts';
import { seedDepartments } from '../../../server/src/seed/departments.ts';
import { keepForLogScan } from '../../../server/test/logs.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const KX = join(ROOT, 'cli', 'bin', 'kx.mjs');
const ACCOUNTS = ['6228480012348888', '6217001234567890123', '6222020200112233'];

function kx(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && !k.startsWith('KX_'))) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KX, ...args], { cwd: ROOT, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      keepForLogScan(`kx-${args.slice(0, 2).join('-')}`, stdout + stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

const KINDS = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

describe.each(KINDS)('kx payout on %s', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'kx-cli-payout-'));
  const env: Record<string, string> = { KX_DATA_DIR: dir, KX_DATA_KEY: '07'.repeat(32) };
  let dropPg = async () => {};
  let batch = '';
  // PGlite admits one process at a time: the test opens the database only between commands.
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const db = await openDatabase(loadConfig(env), { migrate: false });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const count = (sql: string) => withDb(async (db) => (await db.query<{ n: string }>(sql)).rows[0].n);

  beforeAll(async () => {
    if (kind === 'postgres') {
      const url = new URL(process.env.DATABASE_URL!);
      const name = `kx_cli_${randomBytes(6).toString('hex')}`;
      const admin = await connectPostgres(url.toString(), 1);
      await admin.query(`CREATE DATABASE ${name}`);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
      dropPg = async () => {
        // pg's pool.end() resolves before its sockets are gone; forcing the drop at once would
        // kill a closing connection and surface as an unhandled error. Let them leave first.
        for (let i = 0; i < 30; i++) {
          const left = await admin.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = $1', [name]);
          if (left.rows[0].n === '0') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.close();
      };
    }
    const db = await openDatabase(loadConfig(env));
    try {
      await seedDepartments(db);
      const ctx = createCtx(loadConfig(env), db, () => new Date('2025-06-30T02:00:00Z'));
      await db.tx(async (q) => {
        await seedItem(q, 'cli-auto', 'lc-rsj');
        for (const [i, a] of ACCOUNTS.entries()) await seedGrant(q, await seedEntity(ctx, q, 'person', `收款人${i}`, a), 'cli-auto', 'lc-rsj', `${(i + 1) * 100}.00`);
      });
      batch = (await createBatch(ctx, consoleOperator(), 'lc-rsj')).batch.id;
    } finally {
      await db.close();
    }
  });
  afterAll(async () => {
    await dropPg();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports the payment file readable by its owner only, the same file when repeated, audited each time', async () => {
    const out = join(dir, 'pay.csv');
    const r = await kx(['payout', 'export', '--batch', batch, '--format', 'csv', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim());
    expect(summary).toMatchObject({ batch, format: 'csv', lines: 3 });
    const rows = parseCsv(readFileSync(out));
    expect(rows.slice(1).map((x) => [x[3], x[4]])).toEqual([[ACCOUNTS[0], '100.00'], [ACCOUNTS[1], '200.00'], [ACCOUNTS[2], '300.00']]);
    expect(statSync(out).mode & 0o077).toBe(0);
    expect(r.stderr + r.stdout).not.toContain(ACCOUNTS[0]);
    const again = await kx(['payout', 'export', '--batch', batch, '--format', 'csv', '--out', out], env);
    expect(JSON.parse(again.stdout.trim()).sha256).toBe(summary.sha256);
    expect(await count(`SELECT (SELECT count(*) FROM case_events WHERE event = 'batched') || '/' || (SELECT count(*) FROM audit_log WHERE action = 'payout.export' AND actor LIKE 'cli:%') AS n`)).toBe('3/2');
    const x = await kx(['payout', 'export', '--batch', batch, '--format', 'xlsx', '--out', join(dir, 'pay.xlsx')], env);
    expect(x.code, x.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(dir, 'pay.xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getCell('D3').value).toBe(ACCOUNTS[1]);
  });

  it('imports the bank’s answer once, names bad rows and applies nothing from a bad file', async () => {
    const lines = parseCsv(readFileSync(join(dir, 'pay.csv'))).slice(1);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, toCsv([['明细号', '状态', '支付日期', '金额'], [lines[0][1], '成功', '2025-06-30', '999.00']]));
    const rb = await kx(['payout', 'import', '--batch', batch, bad], env);
    expect(rb.code).toBe(1);
    expect(rb.stderr).toContain('第 2 行');
    expect(rb.stderr).toContain('AMOUNT_MISMATCH');
    expect(await count(`SELECT count(*)::text AS n FROM payout_lines WHERE status IN ('paid', 'failed')`)).toBe('0');

    const good = join(dir, 'bank.csv');
    // the command runs on the real clock: the bank paid today
    const today = new Date().toISOString().slice(0, 10);
    writeFileSync(good, toCsv([['参考号', '状态', '银行流水号', '失败原因', '支付日期'], ...lines.map((l, i) => [l[5], i === 1 ? '失败' : '成功', `B${i}`, i === 1 ? '户名与账号不符' : '', i === 1 ? '' : today])]));
    const r1 = await kx(['payout', 'import', '--batch', batch, good], env);
    expect(r1.code, r1.stderr).toBe(0);
    expect(JSON.parse(r1.stdout.trim())).toMatchObject({ paid: 2, failed: 1, unchanged: 0, status: 'partially_failed' });
    const r2 = await kx(['payout', 'import', '--batch', batch, good], env);
    expect(JSON.parse(r2.stdout.trim())).toMatchObject({ paid: 0, failed: 0, unchanged: 3 });
    expect(await count(`SELECT count(*)::text AS n FROM case_events WHERE event IN ('paid', 'payment_failed')`)).toBe('3');
  });
});
