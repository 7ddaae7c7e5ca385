// The file for the finance system: one row per line with the payee and the account in
// clear. This is the one place the account number leaves the platform unmasked, so every
// export is audited (who, which batch, which fields, the file's SHA-256). The first export
// moves the batch and its lines to 'exported' and writes each case's 'batched' event once.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { appendAudit } from '../audit/audit.ts';
import { batchLines, loadBatch, type LineRow } from './batches.ts';
import { toCsv } from './csv.ts';
import { assertMayAct, type Officer } from './officer.ts';

export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_HEADER = ['批次号', '明细号', '收款人', '收款账号', '金额', '参考号'] as const;

export interface ExportRow {
  batch_id: string;
  line_id: string;
  payee: string;
  account: string;
  amount: string;
  reference: string;
}

export async function renderExport(rows: ExportRow[], format: ExportFormat, at: Date): Promise<Buffer> {
  if (format === 'csv') return toCsv([[...EXPORT_HEADER], ...rows.map((r) => [r.batch_id, r.line_id, r.payee, r.account, r.amount, r.reference])]);
  const wb = new ExcelJS.Workbook();
  wb.creator = '政策快享 Kuaixiang';
  wb.created = at;
  wb.modified = at;
  const ws = wb.addWorksheet('拨付明细');
  ws.columns = [
    { header: EXPORT_HEADER[0], key: 'batch_id', width: 10, style: { numFmt: '@' } },
    { header: EXPORT_HEADER[1], key: 'line_id', width: 10, style: { numFmt: '@' } },
    { header: EXPORT_HEADER[2], key: 'payee', width: 28 },
    // text, so that a 19-digit card number is not rounded to a double
    { header: EXPORT_HEADER[3], key: 'account', width: 24, style: { numFmt: '@' } },
    { header: EXPORT_HEADER[4], key: 'amount', width: 14, style: { numFmt: '0.00' } },
    { header: EXPORT_HEADER[5], key: 'reference', width: 18 },
  ];
  for (const r of rows) ws.addRow({ ...r, amount: Number(r.amount) });
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
  sha256: string;
  lines: number;
}

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

async function writeBatchedEvents(q: Queryable, lines: LineRow[], batchId: string, at: Date): Promise<void> {
  for (const l of lines)
    await q.query(
      `INSERT INTO case_events (case_type, case_id, entity_id, item_id, item_version, department, event, at, detail, dedupe_key)
       VALUES ($1, $2, $3, $4, $5, $6, 'batched', $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING`,
      [l.case_type, l.case_id, l.entity_id, l.item_id, l.item_version, l.department, at, JSON.stringify({ batch_id: batchId, line_id: l.id, attempt: l.attempt }), `${l.case_type}:${l.case_id}:batched:${l.attempt}`],
    );
}

export interface Progress {
  /** Called as lines are written (export) or answers applied (import). */
  onProgress?: (done: number, total: number) => void;
}

export async function exportBatch(ctx: Ctx, by: Officer, batchId: string, format: ExportFormat, opts: Progress = {}): Promise<ExportFile> {
  return ctx.db.tx(async (q) => {
    const batch = await loadBatch(q, batchId, true);
    assertMayAct(by, batch.department);
    const lines = await batchLines(q, batchId);
    const now = ctx.now();
    const exportedAt = batch.exported_at ? new Date(batch.exported_at) : now;
    const rows = lines.map((l, i) => {
      if (i % 500 === 0) opts.onProgress?.(i, lines.length);
      return { batch_id: batchId, line_id: l.id, payee: ctx.crypto.decrypt(l.payee_enc), account: ctx.crypto.decrypt(l.account_enc), amount: l.amount, reference: l.reference };
    });
    const body = await renderExport(rows, format, exportedAt);
    opts.onProgress?.(lines.length, lines.length);
    const sha256 = createHash('sha256').update(body).digest('hex');
    if (batch.status === 'draft') {
      await q.query(`UPDATE payout_batches SET status = 'exported', exported_at = $2, exported_by = $3 WHERE id = $1`, [batchId, now, by.userId ?? null]);
      await q.query(`UPDATE payout_lines SET status = 'exported' WHERE batch_id = $1 AND status = 'pending'`, [batchId]);
      await writeBatchedEvents(q, lines, batchId, now);
    }
    await q.query('UPDATE payout_batches SET file_sha256 = $2, file_format = $3 WHERE id = $1', [batchId, sha256, format]);
    // The audit row names the fields that left in clear, never their values.
    await appendAudit(q, {
      actor: by.actor, action: 'payout.export', subject: `payout_batch:${batchId}`,
      detail: { format, lines: lines.length, sha256, clear_fields: ['payee', 'bank_account'], first: batch.status === 'draft' },
    });
    return { filename: `payout-batch-${batchId}.${format}`, contentType: CONTENT_TYPE[format], body, sha256, lines: lines.length };
  });
}
