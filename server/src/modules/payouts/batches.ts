// Payout batches: a department's payable cases gathered into one batch, in one transaction.
// The cases are locked as they are read (FOR UPDATE SKIP LOCKED, cases.ts): two officers
// making batches at once split the cases between them, and a case a grant run is changing is
// left for the next batch. Each line is keyed by its cause (case, attempt) and a case may have
// one live line only (payout_lines_one_live) — the last guard should anything else insert lines.
import type { Ctx } from '../../context.ts';
import type { Queryable } from '../../db/db.ts';
import { DomainError, notFound } from '../../errors.ts';
import { maskBankCard, maskName } from '../../crypto/mask.ts';
import { appendAudit } from '../audit/audit.ts';
import { factValue, moveCase, payableCases, payees, text } from './cases.ts';
import { formatCents, sumCents, toCents } from './money.ts';
import { assertMayAct, assertMayRead, type Officer } from './officer.ts';
import type { Batch, Line, LineStatus, ListBatchesQuery, Skipped } from './schema.ts';

const CHUNK = 500;

export const BATCH_COLS = `b.id::text AS id, b.department, b.status, b.created_by::text AS created_by, b.created_at, b.exported_at, b.reconciled_at,
  b.file_sha256, b.file_format, b.line_count, b.total_amount::text AS total_amount`;

type BatchRow = Omit<Batch, 'created_at' | 'exported_at' | 'reconciled_at'> & { created_at: Date | string; exported_at: Date | string | null; reconciled_at: Date | string | null };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
export const presentBatch = (r: BatchRow): Batch => ({ ...r, created_at: iso(r.created_at)!, exported_at: iso(r.exported_at), reconciled_at: iso(r.reconciled_at), line_count: Number(r.line_count) });

/** The reference the bank echoes back: the line's cause, stable across exports. */
export const referenceOf = (type: 'grant' | 'application', caseId: string, attempt: number) => `KX${type === 'grant' ? 'G' : 'A'}${caseId}-${attempt}`;

export interface CreateResult {
  batch: Batch;
  skipped: Skipped[];
}

export async function createBatch(ctx: Ctx, by: Officer, department: string): Promise<CreateResult> {
  assertMayAct(by, department);
  return ctx.db.tx(async (q) => {
    const dept = await q.query('SELECT 1 FROM departments WHERE code = $1', [department]);
    if (!dept.rows.length) throw new DomainError('BAD_INPUT', `部门 "${department}" 不存在`, `no department "${department}"`, 'department');
    const cases = await payableCases(q, department);
    const who = await payees(ctx, q, [...new Set(cases.map((c) => c.entity_id))]);
    const skipped: Skipped[] = [];
    const now = ctx.now();
    const b = await q.query<{ id: string }>('INSERT INTO payout_batches (department, created_by, created_at) VALUES ($1, $2, $3) RETURNING id::text AS id', [department, by.userId ?? null, now]);
    const batchId = b.rows[0].id;
    const inserted: { case_type: 'grant' | 'application'; case_id: string; amount: string }[] = [];
    const rows: unknown[][] = [];
    for (const c of cases) {
      const p = who.get(c.entity_id);
      // The account declared on the application wins over the profile's: it is the applicant's latest word.
      const declared = text(factValue(ctx, c.declared_account));
      const account = declared ? declared.replace(/[\s-]/g, '') : p?.account;
      if (c.amount === null || (toCents(c.amount) ?? 0n) <= 0n) skipped.push({ case_type: c.case_type, case_id: c.case_id, reason: 'no_amount' });
      else if (!account) skipped.push({ case_type: c.case_type, case_id: c.case_id, reason: 'no_bank_account' });
      else
        rows.push([batchId, c.case_type, c.case_id, c.attempt, c.entity_id, c.item_id, c.item_version, department,
          ctx.crypto.encrypt(p?.name ?? ''), ctx.crypto.encrypt(account), c.amount, referenceOf(c.case_type, c.case_id, c.attempt), now]);
    }
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const params = chunk.flat();
      const values = chunk.map((_, r) => `(${Array.from({ length: 13 }, (_, k) => `$${r * 13 + k + 1}`).join(', ')})`).join(', ');
      // DO NOTHING on any conflict: another batch took the case first (one live line per case).
      const r = await q.query<{ case_type: 'grant' | 'application'; case_id: string; amount: string }>(
        `INSERT INTO payout_lines (batch_id, case_type, case_id, attempt, entity_id, item_id, item_version, department, payee_enc, account_enc, amount, reference, created_at)
         VALUES ${values} ON CONFLICT DO NOTHING RETURNING case_type, case_id::text AS case_id, amount::text AS amount`,
        params,
      );
      inserted.push(...r.rows);
    }
    if (!inserted.length)
      throw new DomainError('INVALID_STATE', `部门 ${department} 没有待拨付的案件${skipped.length ? `（${skipped.length} 件缺收款账号或金额）` : ''}`, `department ${department} has no cases to pay${skipped.length ? ` (${skipped.length} lack an account or amount)` : ''}`);
    for (const type of ['grant', 'application'] as const)
      await moveCase(q, type, inserted.filter((x) => x.case_type === type).map((x) => x.case_id), 'batched', now);
    const total = formatCents(sumCents(inserted.map((x) => x.amount)));
    const r = await q.query<BatchRow>(`UPDATE payout_batches b SET line_count = $2, total_amount = $3 WHERE b.id = $1 RETURNING ${BATCH_COLS}`, [batchId, inserted.length, total]);
    await appendAudit(q, { actor: by.actor, action: 'payout.batch.create', subject: `payout_batch:${batchId}`, detail: { department, lines: inserted.length, total, skipped: skipped.length } });
    return { batch: presentBatch(r.rows[0]), skipped };
  });
}

/** The batch row, locked when `lock` (export and import serialise on it). */
export async function loadBatch(q: Queryable, id: string, lock = false): Promise<Batch> {
  if (!/^[0-9]{1,18}$/.test(id)) throw notFound('拨付批次', id);
  const r = await q.query<BatchRow>(`SELECT ${BATCH_COLS} FROM payout_batches b WHERE b.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!r.rows[0]) throw notFound('拨付批次', id);
  return presentBatch(r.rows[0]);
}

export async function getBatch(ctx: Ctx, by: Officer, id: string): Promise<Batch> {
  const b = await loadBatch(ctx.db, id);
  assertMayRead(by, b.department);
  return b;
}

export async function listBatches(ctx: Ctx, by: Officer, query: ListBatchesQuery): Promise<{ items: Batch[]; total: number }> {
  // A department's officer sees that department's batches whatever the query says.
  const department = by.role === 'payout' ? by.department : query.department;
  if (query.department && department !== query.department) assertMayRead(by, query.department);
  const where: string[] = [];
  const params: unknown[] = [];
  if (department) where.push(`b.department = $${params.push(department)}`);
  if (query.status) where.push(`b.status = $${params.push(query.status)}`);
  const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const size = query.page_size ?? 20;
  const offset = ((query.page ?? 1) - 1) * size;
  const total = await ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM payout_batches b ${cond}`, params);
  const r = await ctx.db.query<BatchRow>(`SELECT ${BATCH_COLS} FROM payout_batches b ${cond} ORDER BY b.id DESC LIMIT ${size} OFFSET ${offset}`, params);
  return { items: r.rows.map(presentBatch), total: Number(total.rows[0].n) };
}

export interface LineRow {
  id: string;
  batch_id: string;
  case_type: 'grant' | 'application';
  case_id: string;
  attempt: number;
  entity_id: string;
  entity_kind: 'enterprise' | 'person';
  item_id: string;
  item_version: number;
  department: string;
  payee_enc: string;
  account_enc: string;
  amount: string;
  reference: string;
  status: LineStatus;
  bank_ref: string | null;
  failure_reason: string | null;
  paid_at: string | null;
}

export const LINE_COLS = `l.id::text AS id, l.batch_id::text AS batch_id, l.case_type, l.case_id::text AS case_id, l.attempt, l.entity_id::text AS entity_id,
  e.kind AS entity_kind, l.item_id, l.item_version, l.department, l.payee_enc, l.account_enc, l.amount::text AS amount, l.reference, l.status,
  l.bank_ref, l.failure_reason, l.paid_at::text AS paid_at`;

export async function batchLines(q: Queryable, batchId: string, opts: { status?: LineStatus | LineStatus[]; limit?: number; offset?: number } = {}): Promise<LineRow[]> {
  const params: unknown[] = [batchId];
  let cond = '';
  if (opts.status) cond = ` AND l.status = ANY($${params.push(Array.isArray(opts.status) ? opts.status : [opts.status])})`;
  const page = opts.limit !== undefined ? ` LIMIT ${opts.limit} OFFSET ${opts.offset ?? 0}` : '';
  const r = await q.query<LineRow>(`SELECT ${LINE_COLS} FROM payout_lines l JOIN entities e ON e.id = l.entity_id WHERE l.batch_id = $1${cond} ORDER BY l.id${page}`, params);
  return r.rows.map((x) => ({ ...x, attempt: Number(x.attempt), item_version: Number(x.item_version) }));
}

/** A line as every response shows it: the account masked (6228 **** **** 8888), a person's name masked. */
export function presentLine(ctx: Ctx, l: LineRow): Line {
  const name = ctx.crypto.decrypt(l.payee_enc);
  return {
    id: l.id, batch_id: l.batch_id, case_type: l.case_type, case_id: l.case_id, attempt: l.attempt, entity_id: l.entity_id, item_id: l.item_id,
    payee: l.entity_kind === 'person' ? maskName(name) : name,
    account: maskBankCard(ctx.crypto.decrypt(l.account_enc)),
    amount: l.amount, reference: l.reference, status: l.status, bank_ref: l.bank_ref, failure_reason: l.failure_reason, paid_at: l.paid_at,
  };
}

export async function listLines(ctx: Ctx, by: Officer, batchId: string, query: { status?: LineStatus; page?: number; page_size?: number }): Promise<{ items: Line[]; total: number }> {
  const b = await loadBatch(ctx.db, batchId);
  assertMayRead(by, b.department);
  const size = query.page_size ?? 100;
  const rows = await batchLines(ctx.db, batchId, { status: query.status, limit: size, offset: ((query.page ?? 1) - 1) * size });
  const total = await ctx.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM payout_lines l WHERE l.batch_id = $1${query.status ? ' AND l.status = $2' : ''}`, query.status ? [batchId, query.status] : [batchId]);
  return { items: rows.map((l) => presentLine(ctx, l)), total: Number(total.rows[0].n) };
}
