// The bank's answer to an exported batch. Every row is checked first — an unknown line, an
// amount that differs from what was sent, a line answered twice, a status or date that
// cannot be read, an answer contradicting an earlier one — and if any row is wrong the file
// is refused whole with a report per row. Otherwise it is applied in one transaction: paid
// lines pay their case, failed lines tell the applicant and the department. Answers already
// recorded are recognised, so importing the same file again changes nothing.
import { createHash } from 'node:crypto';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError } from '../../errors.ts';
import { appendAudit } from '../audit/audit.ts';
import { readBankFile, type BankRow } from './bank-file.ts';
import { batchLines, loadBatch, type LineRow } from './batches.ts';
import { moveCase } from './cases.ts';
import { formatCents, toCents } from './money.ts';
import type { Progress } from './export.ts';
import { assertMayAct, type Officer } from './officer.ts';
import type { Batch, ImportSummary, RowError } from './schema.ts';

const PAID = new Set(['成功', '支付成功', '已支付', '交易成功', '成功到账', '已到账', 'paid', 'success', 'succeeded', 'ok']);
const FAILED = new Set(['失败', '支付失败', '交易失败', '退票', '退回', 'failed', 'fail', 'failure', 'rejected', 'returned']);
const NO_REASON = '银行未说明原因 / no reason given by the bank';

export interface Answer {
  line: LineRow;
  status: 'paid' | 'failed';
  bank_ref: string | null;
  failure_reason: string | null;
  paid_date: string | null;
}

function civilDate(s: string): string | undefined {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[ T].*)?$/.exec(s.trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/** Checks every row against the batch; returns the answers to apply or every row's errors. */
export function checkRows(batch: Batch, lines: LineRow[], rows: BankRow[], today: string): { answers: Answer[]; unchanged: number; errors: RowError[] } {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const byRef = new Map(lines.map((l) => [l.reference.toUpperCase(), l]));
  const seen = new Map<string, number>();
  const errors: RowError[] = [];
  const answers: Answer[] = [];
  let unchanged = 0;
  const exportedOn = batch.exported_at?.slice(0, 10) ?? today;
  for (const r of rows) {
    const err = (code: string, field: string, zh: string, en: string) => errors.push({ row: r.row, code, field, message: zh, message_en: en });
    const line = r.line_id !== undefined ? byId.get(r.line_id) : byRef.get((r.reference ?? '').toUpperCase());
    if (!line) {
      const which = r.line_id !== undefined ? `明细号 ${r.line_id}` : `参考号 ${r.reference ?? '（空）'}`;
      err('UNKNOWN_LINE', r.line_id !== undefined ? 'line_id' : 'reference', `${which} 不属于批次 ${batch.id}`, `${r.line_id !== undefined ? `line ${r.line_id}` : `reference ${r.reference ?? '(empty)'}`} is not in batch ${batch.id}`);
      continue;
    }
    if (r.line_id !== undefined && r.reference !== undefined && r.reference.toUpperCase() !== line.reference.toUpperCase()) {
      err('REFERENCE_MISMATCH', 'reference', `明细 ${line.id} 的参考号应为 ${line.reference}，文件中为 ${r.reference}`, `line ${line.id} has reference ${line.reference}, the file says ${r.reference}`);
      continue;
    }
    const first = seen.get(line.id);
    if (first !== undefined) {
      err('DUPLICATE_ROW', 'line_id', `明细 ${line.id} 在第 ${first} 行已出现过`, `line ${line.id} already answered on row ${first}`);
      continue;
    }
    seen.set(line.id, r.row);
    // Once the line is known, every field of the row is checked, so the bank hears of all its errors at once.
    const before = errors.length;
    const statusText = (r.status ?? '').trim().toLowerCase();
    const status = PAID.has(statusText) ? 'paid' : FAILED.has(statusText) ? 'failed' : undefined;
    if (!status) err('BAD_STATUS', 'status', `状态 "${r.status ?? ''}" 无法识别，应为 成功/失败（paid/failed）`, `status "${r.status ?? ''}" not understood; expected 成功/失败 (paid/failed)`);
    if (r.amount !== undefined) {
      const got = toCents(r.amount);
      const want = toCents(line.amount)!;
      if (got === undefined) err('BAD_AMOUNT', 'amount', `金额 "${r.amount}" 不是有效金额`, `amount "${r.amount}" is not an amount`);
      else if (got !== want) err('AMOUNT_MISMATCH', 'amount', `明细 ${line.id} 导出金额为 ${line.amount} 元，银行结果为 ${formatCents(got)} 元`, `line ${line.id} was exported for ${line.amount}, the bank says ${formatCents(got)}`);
    }
    let paidDate: string | null = null;
    if (status === 'paid' || (!status && r.paid_date)) {
      paidDate = r.paid_date ? (civilDate(r.paid_date) ?? null) : null;
      if (!paidDate)
        err('BAD_DATE', 'paid_date', r.paid_date ? `支付日期 "${r.paid_date}" 无效，应为 YYYY-MM-DD` : `明细 ${line.id} 已支付但没有支付日期`, r.paid_date ? `paid date "${r.paid_date}" is not a date (YYYY-MM-DD)` : `line ${line.id} is paid but has no paid date`);
      else if (paidDate > today || paidDate < exportedOn)
        err('BAD_DATE', 'paid_date', `支付日期 ${paidDate} 应在导出日 ${exportedOn} 与今天 ${today} 之间`, `paid date ${paidDate} must lie between the export day ${exportedOn} and today ${today}`);
    }
    if (!status || errors.length > before) continue;
    if (line.status === 'paid' || line.status === 'failed') {
      const same = line.status === status && (status === 'failed' || line.paid_at === paidDate);
      if (same) unchanged++;
      else
        err('ALREADY_ANSWERED', 'status', `明细 ${line.id} 已记录为${line.status === 'paid' ? `于 ${line.paid_at} 支付成功` : '支付失败'}，与本行不符`, `line ${line.id} is already recorded as ${line.status}${line.paid_at ? ` on ${line.paid_at}` : ''}; this row disagrees`);
      continue;
    }
    answers.push({ line, status, bank_ref: r.bank_ref ?? null, failure_reason: status === 'failed' ? (r.failure_reason ?? NO_REASON) : null, paid_date: paidDate });
  }
  return { answers, unchanged, errors };
}

const MAX_ERRORS = 1000;

export async function importResults(ctx: Ctx, by: Officer, batchId: string, file: Buffer, opts: Progress = {}): Promise<ImportSummary> {
  const rows = await readBankFile(file);
  const sha256 = createHash('sha256').update(file).digest('hex');
  try {
    return await ctx.db.tx(async (q) => {
      const batch = await loadBatch(q, batchId, true);
      assertMayAct(by, batch.department);
      if (batch.status === 'draft') throw new DomainError('INVALID_STATE', `批次 ${batchId} 尚未导出，不能导入银行结果`, `batch ${batchId} has not been exported; there are no bank results yet`);
      const lines = await batchLines(q, batchId);
      const { answers, unchanged, errors } = checkRows(batch, lines, rows, ctx.today());
      if (errors.length)
        throw new DomainError('BAD_INPUT', `结果文件有 ${errors.length} 处错误，未做任何更改`, `${errors.length} errors in the results file; nothing was applied`, 'file', { errors: errors.slice(0, MAX_ERRORS) });
      for (const [i, a] of answers.entries()) {
        if (i % 100 === 0) opts.onProgress?.(i, answers.length);
        await applyAnswer(ctx, q, batch, a);
      }
      opts.onProgress?.(answers.length, answers.length);
      const status = await settleBatch(ctx, q, batchId);
      const summary: ImportSummary = {
        batch_id: batchId, rows: rows.length, unchanged, status: status.status, unanswered: status.unanswered,
        paid: answers.filter((a) => a.status === 'paid').length, failed: answers.filter((a) => a.status === 'failed').length,
      };
      await appendAudit(q, { actor: by.actor, action: 'payout.results', subject: `payout_batch:${batchId}`, detail: { sha256, rows: rows.length, paid: summary.paid, failed: summary.failed, unchanged } });
      return summary;
    });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'BAD_INPUT')
      await appendAudit(ctx.db, { actor: by.actor, action: 'payout.results', subject: `payout_batch:${batchId}`, outcome: 'failed', detail: { sha256, rows: rows.length, errors: (e.details as { errors?: unknown[] } | undefined)?.errors?.length ?? 0 } });
    throw e;
  }
}

const event = (q: Queryable, l: LineRow, name: 'paid' | 'payment_failed', at: Date, detail: Record<string, unknown>, key: string) =>
  q.query(
    `INSERT INTO case_events (case_type, case_id, entity_id, item_id, item_version, department, event, at, detail, dedupe_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING`,
    [l.case_type, l.case_id, l.entity_id, l.item_id, l.item_version, l.department, name, at, JSON.stringify(detail), key],
  );

async function applyAnswer(ctx: Ctx, q: Queryable, batch: Batch, a: Answer): Promise<void> {
  const l = a.line;
  const now = ctx.now();
  if (a.status === 'paid') {
    await q.query(`UPDATE payout_lines SET status = 'paid', bank_ref = $2, paid_at = $3, answered_at = $4 WHERE id = $1 AND status = 'exported'`, [l.id, a.bank_ref, a.paid_date, now]);
    await moveCase(q, l.case_type, [l.case_id], 'paid', now);
    // The bank's day, but never before the file left (a same-day payment stays after 'batched').
    const at = new Date(Math.max(Date.parse(`${a.paid_date}T00:00:00Z`), Date.parse(batch.exported_at!)));
    await event(q, l, 'paid', at, { batch_id: batch.id, line_id: l.id, amount: l.amount, bank_ref: a.bank_ref, paid_date: a.paid_date }, `${l.case_type}:${l.case_id}:paid`);
    return;
  }
  await q.query(`UPDATE payout_lines SET status = 'failed', bank_ref = $2, failure_reason = $3, answered_at = $4 WHERE id = $1 AND status = 'exported'`, [l.id, a.bank_ref, a.failure_reason, now]);
  await moveCase(q, l.case_type, [l.case_id], 'payment_failed', now);
  await event(q, l, 'payment_failed', now, { batch_id: batch.id, line_id: l.id, amount: l.amount, reason: a.failure_reason }, `${l.case_type}:${l.case_id}:payment_failed:${l.attempt}`);
  const item = await q.query<{ title: string }>('SELECT title FROM item_versions WHERE item_id = $1 AND version = $2', [l.item_id, l.item_version]);
  const title = item.rows[0]?.title ?? l.item_id;
  const notice = (who: 'entity' | 'department', body: string) =>
    q.query(
      `INSERT INTO inbox (entity_id, department, kind, title, body, cause_key, item_id, case_type, case_id, created_at)
       VALUES ($1, $2, 'payment_failed', $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (cause_key) DO NOTHING`,
      [who === 'entity' ? l.entity_id : null, who === 'department' ? l.department : null, `兑现资金支付失败 / Payment failed: ${title}`, body, `payout:${l.id}:failed:${who}`, l.item_id, l.case_type, l.case_id, now],
    );
  await notice('entity', `您的“${title}”兑现资金 ${l.amount} 元支付失败，原因：${a.failure_reason}。请核对收款账号；核实后部门将重新安排支付。 / The payment of ${l.amount} yuan for "${title}" failed (${a.failure_reason}). Please check your bank account; the department will pay again.`);
  await notice('department', `拨付批次 ${batch.id} 明细 ${l.id}（${l.case_type === 'grant' ? '免申即享' : '申请'} ${l.case_id}）${l.amount} 元支付失败：${a.failure_reason}。该案件可列入下一批次重新支付。 / Line ${l.id} of batch ${batch.id} (${l.case_type} ${l.case_id}, ${l.amount} yuan) failed: ${a.failure_reason}. The case will be taken up by the next batch.`);
}

/** Once the bank has answered every line, the batch is reconciled (all paid) or partially failed. */
async function settleBatch(ctx: Ctx, q: Queryable, batchId: string): Promise<{ status: Batch['status']; unanswered: number }> {
  const r = await q.query<{ unanswered: string; failed: string }>(
    `SELECT count(*) FILTER (WHERE l.status IN ('pending', 'exported'))::text AS unanswered, count(*) FILTER (WHERE l.status = 'failed')::text AS failed
       FROM payout_lines l WHERE l.batch_id = $1`,
    [batchId],
  );
  const unanswered = Number(r.rows[0].unanswered);
  if (unanswered > 0) return { status: 'exported', unanswered };
  const status = Number(r.rows[0].failed) > 0 ? 'partially_failed' : 'reconciled';
  await q.query(`UPDATE payout_batches SET status = $2, reconciled_at = COALESCE(reconciled_at, $3) WHERE id = $1`, [batchId, status, ctx.now()]);
  return { status, unanswered };
}
