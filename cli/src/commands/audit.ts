// kx audit verify: recomputes the audit log's hash chain from the first row to the last.
// A row changed or deleted afterwards breaks the chain at that row; the command names it
// and exits with status 1, so that a scheduled check can raise the alarm.
import type { Command } from 'commander';
import { verifyAudit } from '../../../server/src/modules/audit/audit.ts';
import { describeDatabase, withServerDatabase } from './database.ts';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('审计日志 / the audit log');
  audit
    .command('verify')
    .description('重新计算哈希链，找出被修改或删除的记录 / recompute the hash chain and find rows changed or deleted')
    .action(async () => {
      const where = describeDatabase();
      const result = await withServerDatabase(async (db) => {
        const t = await db.query<{ ok: boolean }>("SELECT to_regclass('audit_log') IS NOT NULL AS ok");
        if (!t.rows[0]?.ok) throw new Error(`数据库中没有审计日志表，请先运行 kx migrate / no audit_log table: run kx migrate first (${where})`);
        return verifyAudit(db);
      });
      if (result.ok) {
        console.log(`审计日志完好：${result.rows} 条记录，哈希链校验通过 / audit log intact: ${result.rows} rows, hash chain verified (${where})`);
        return;
      }
      const b = result.broken!;
      console.error(`审计日志校验失败：记录 id=${b.id} 起哈希链断裂 / audit log verification FAILED at row id=${b.id} (${where})`);
      console.error(`  ${b.reason}`);
      process.exitCode = 1;
    });
}
