// The audit log (R14, 等保 2.0): every decision and every read of personal data is
// appended with a hash chain — each row's hash covers its own content and the previous
// row's hash — so that `kx audit verify` finds any row changed or deleted afterwards.
// Appends are serialised by a transaction-scoped advisory lock; the log never holds
// personal data itself (ids and field names only).
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/db.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  outcome?: 'ok' | 'denied' | 'failed';
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);
const LOCK = 4_815_162_343;

/** Canonical JSON: sorted keys, so the hash does not depend on key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function rowHash(prev: string, at: string, e: Required<AuditEntry>): string {
  return createHash('sha256').update(prev).update('\n').update(canonical({ at, actor: e.actor, action: e.action, subject: e.subject, outcome: e.outcome, detail: e.detail })).digest('hex');
}

/** Appends within the caller's transaction, so the entry commits with the change it records. */
export async function appendAudit(q: Queryable, entry: AuditEntry): Promise<void> {
  const e = { outcome: 'ok' as const, detail: {}, ...entry };
  await q.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
  const last = await q.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
  const prev = last.rows[0]?.hash ?? GENESIS;
  // The timestamp is fixed here (ms precision, UTC) so that verification recomputes it exactly.
  const at = new Date().toISOString();
  await q.query('INSERT INTO audit_log (at, actor, action, subject, outcome, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
    at, e.actor, e.action, e.subject, e.outcome, JSON.stringify(e.detail), prev, rowHash(prev, at, e),
  ]);
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  /** The first row whose content or chain does not verify. */
  broken?: { id: string; reason: string };
}

/** Recomputes the whole chain; reads in pages so that millions of rows fit in memory. */
export async function verifyAudit(q: Queryable, page = 10_000): Promise<VerifyResult> {
  let prev = GENESIS;
  let lastId = '0';
  let rows = 0;
  for (;;) {
    const r = await q.query<{ id: string; at: Date | string; actor: string; action: string; subject: string; outcome: 'ok' | 'denied' | 'failed'; detail: Record<string, unknown>; prev_hash: string; hash: string }>(
      'SELECT id::text AS id, at, actor, action, subject, outcome, detail, prev_hash, hash FROM audit_log WHERE audit_log.id > $1::bigint ORDER BY audit_log.id LIMIT $2',
      [lastId, page],
    );
    for (const row of r.rows) {
      rows++;
      const at = new Date(row.at).toISOString();
      if (row.prev_hash !== prev) return { ok: false, rows, broken: { id: row.id, reason: '链断裂：上一条记录被删除或修改 / chain broken: a previous row was deleted or changed' } };
      const want = rowHash(prev, at, { actor: row.actor, action: row.action, subject: row.subject, outcome: row.outcome, detail: row.detail });
      if (want !== row.hash) return { ok: false, rows, broken: { id: row.id, reason: '内容与哈希不符：该记录被修改 / content does not match its hash: the row was changed' } };
      prev = row.hash;
      lastId = row.id;
    }
    if (r.rows.length < page) break;
  }
  return { ok: true, rows };
}
